"""One chat completion at a time, for tools that talk to a model about invented or dataset
text (the evaluation's judge, ``cogenesis synth``), not about the user's vault. Every request
and reply is appended to a log file, which is the record of what left the device."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx2
import openai

from cogenesis.adapters.api_keys import api_key_for
from cogenesis.core.errors import CogenesisError
from cogenesis.core.settings import check_base_url

Ask = Callable[[str, str], str]


def chat_asker(
    base_url: str,
    model: str,
    log: Path,
    *,
    max_tokens: int = 1024,
    temperature: float = 0.0,
    timeout: float = 300.0,
    api_key: str = "",
) -> tuple[Ask, Callable[[], None]]:
    """A function (system, user) -> reply, and one that closes its connection. The key:
    ``api_key``, else $COGENESIS_API_KEY, else the OS keyring's for this URL."""
    url = check_base_url(base_url)
    http = httpx2.Client(trust_env=False, timeout=httpx2.Timeout(timeout, connect=10.0))
    client = openai.OpenAI(
        base_url=url, api_key=api_key or api_key_for(url), http_client=http, max_retries=2
    )
    written = threading.Lock()

    def ask(system: str, user: str) -> str:
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        started = time.time()
        try:
            reply = client.chat.completions.create(
                model=model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=max_tokens,
                temperature=temperature,
            )
            text = reply.choices[0].message.content or ""
        except openai.OpenAIError as exc:
            _append(
                log,
                written,
                {
                    "at": started,
                    "url": url,
                    "model": model,
                    "messages": messages,
                    "error": str(exc),
                },
            )
            raise CogenesisError(
                f"The endpoint {url} (model {model}) failed: {exc}.",
                "Check the URL, the model name and the API key ($COGENESIS_API_KEY).",
            ) from exc
        _append(
            log,
            written,
            {"at": started, "url": url, "model": model, "messages": messages, "reply": text},
        )
        return text

    return ask, client.close


def _append(log: Path, lock: threading.Lock, entry: dict[str, object]) -> None:
    with lock:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
