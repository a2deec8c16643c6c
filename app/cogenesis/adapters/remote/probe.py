"""Find out what an endpoint supports, with a few one-token requests (all recorded)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import openai
from openai.types.chat import ChatCompletionMessageParam

from cogenesis.adapters.remote.config import RemoteConfig
from cogenesis.adapters.remote.errors import remote_errors
from cogenesis.adapters.remote.gbnf import held_to
from cogenesis.adapters.remote.logprob_layouts import positions, top_count
from cogenesis.core.errors import PrivacyViolation, RemoteError
from cogenesis.core.remote import Capabilities

_PROMPT: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Say hello."}]
# Asked largest first: llama.cpp's server gives 100, llama-cpp-python's and OpenAI's 20, some 5.
TOP_K_TRIED = (100, 50, 20, 10, 5, 2)


def probe(client: openai.OpenAI, config: RemoteConfig, host: str) -> Capabilities:
    """Try each operation; a failure marks it unsupported (auth and network errors propagate)."""
    notes: list[str] = []

    def attempt(name: str, call: Callable[[], Any], first: bool = False) -> Any:
        """``first``: the chat call, where a 404 means the model is not there; later, a 404
        is an operation this endpoint lacks (OpenAI answers /completions for a chat model with
        one, and so does a server without that route)."""
        try:
            with remote_errors(host, config.model):
                return call()
        except PrivacyViolation:
            raise
        except RemoteError as exc:
            fatal = ("RemoteAuthError", "RemoteModelNotFound") if first else ("RemoteAuthError",)
            if exc.retryable or type(exc).__name__ in fatal:
                raise
            notes.append(f"{name}: {exc.message}")
            return None

    model = config.model
    chat_stream = (
        attempt(
            "streamed chat",
            lambda: _drain(
                client.chat.completions.create(
                    model=model, messages=_PROMPT, max_tokens=1, stream=True
                )
            ),
            first=True,
        )
        is not None
    )
    chat_k = attempt("chat logprobs", lambda: _chat_top(client, model, 5)) or 0
    completion_k = attempt("completions logprobs", lambda: _completion_top(client, model, 5))
    completions = completion_k is not None
    largest = 0
    for k in TOP_K_TRIED:
        if k > largest:
            got = _quiet(partial(_completion_top, client, model, k)) if completion_k else None
            got = got or (_quiet(partial(_chat_top, client, model, k)) if chat_k else None)
            largest = max(largest, min(got or 0, k))
    echo = bool(completions and _quiet(lambda: _echo(client, model)))
    ids = bool(
        completions
        and _quiet(lambda: client.completions.create(model=model, prompt=[1, 2, 3], max_tokens=1))
    )
    lists = bool(ids and _quiet(lambda: _takes_prompt_lists(client, model)))
    forced = bool(ids and completion_k and _quiet(lambda: _forces_drafts(client, model)))
    final = _supports_continue_final_message(client, model)
    if completion_k and not config.chat_template:
        notes.append(
            "completions with logprobs work, but the chat template is not set: "
            "prefix continuation through /completions needs it"
        )
    return Capabilities(
        chat_stream=chat_stream,
        chat_logprobs=chat_k > 0,
        completions=completions,
        completions_logprobs=bool(completion_k) and bool(config.chat_template),
        echo=echo,
        token_id_prompts=ids,
        continue_final_message=final,
        max_top_logprobs=largest,
        prompt_lists=lists,
        forced_drafts=forced,
        notes=tuple(notes),
    )


def _drain(stream: Any) -> bool:
    try:
        for _ in stream:
            pass
    finally:
        stream.close()
    return True


def _chat_top(client: openai.OpenAI, model: str, k: int) -> int:
    response = client.chat.completions.create(
        model=model, messages=_PROMPT, max_tokens=1, logprobs=True, top_logprobs=k
    )
    content = response.choices[0].logprobs.content if response.choices[0].logprobs else None
    return len(content[0].top_logprobs) if content else 0


def _completion_top(client: openai.OpenAI, model: str, k: int) -> int:
    """How many alternatives a completion gives when ``k`` are asked, in either layout
    (``logprob_layouts``: llama.cpp's server answers in the chat layout)."""
    response = client.completions.create(model=model, prompt="Hello", max_tokens=1, logprobs=k)
    return top_count(response.choices[0].logprobs)


def _echo(client: openai.OpenAI, model: str) -> bool:
    response = client.completions.create(
        model=model, prompt="Hello there", max_tokens=1, echo=True, logprobs=1
    )
    return response.choices[0].text.startswith("Hello there")


def _takes_prompt_lists(client: openai.OpenAI, model: str) -> bool:
    """Whether two token-id prompts in one request come back as two choices, each its own
    (a server that reads the list as one prompt answers once)."""
    response = client.completions.create(
        model=model, prompt=[[1, 2, 3], [1, 2, 4]], max_tokens=1, temperature=0
    )
    return sorted(c.index for c in response.choices) == [0, 1]


def _forces_drafts(client: openai.OpenAI, model: str) -> bool:
    """Whether a grammar holds a token-id completion to given ids while the log-probabilities
    stay the model's own: held to the free completion's second choice, then its first, the
    completion takes those two ids, and its first position has the alternatives the free one
    has (not only the one the grammar allows). A server that ignores the field continues
    freely; one that refuses it answers 400: both are a no."""
    prompt, k = [1, 2, 3], 2
    free = client.completions.create(
        model=model, prompt=prompt, max_tokens=1, temperature=0, logprobs=k
    )
    free_first = positions(free.choices[0].logprobs) or []
    ranked = [i for i, _ in free_first[0].top_ids] if free_first else []
    if len(ranked) < 2:
        return False
    held_ids = [ranked[1], ranked[0]]
    held = client.completions.create(
        model=model,
        prompt=prompt,
        max_tokens=3,
        temperature=0,
        logprobs=k,
        extra_body={"grammar": held_to(held_ids)},
    )
    found = positions(held.choices[0].logprobs) or []
    if [p.token_id for p in found[:2]] != held_ids:
        return False
    return _close(dict(found[0].top_ids), dict(free_first[0].top_ids))


def _close(a: dict[int, float], b: dict[int, float], tolerance: float = 0.1) -> bool:
    """The same alternatives with nearly the same log-probabilities (a server's numbers for
    one prompt vary a little with how it was split into batches)."""
    return len(a) >= 2 and a.keys() == b.keys() and all(abs(a[t] - b[t]) <= tolerance for t in a)


def _supports_continue_final_message(client: openai.OpenAI, model: str) -> bool:
    """vLLM refuses continue_final_message together with add_generation_prompt (400);
    servers that ignore the field answer normally."""
    try:
        client.chat.completions.create(
            model=model,
            max_tokens=1,
            messages=[*_PROMPT, {"role": "assistant", "content": "Hel"}],
            extra_body={"continue_final_message": True, "add_generation_prompt": True},
        )
    except openai.BadRequestError as exc:
        return "continue_final_message" in str(exc)
    except openai.OpenAIError:
        return False
    return False


def _quiet(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except (openai.OpenAIError, ValueError, TypeError, IndexError, AttributeError):
        return None
