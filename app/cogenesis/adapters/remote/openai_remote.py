"""RemoteModel over any OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp, Ollama, …)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import urlparse

import openai
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from cogenesis.adapters.remote.config import RemoteConfig
from cogenesis.adapters.remote.errors import remote_errors
from cogenesis.adapters.remote.gbnf import held_to
from cogenesis.adapters.remote.logprob_layouts import id_pairs, positions
from cogenesis.adapters.remote.prompt_reading import PromptReading
from cogenesis.core.errors import (
    CapabilityMissing,
    RemoteError,
    RemoteProtocolError,
    RemoteRateLimited,
    RemoteTimeout,
)
from cogenesis.core.llm import ChatMessage
from cogenesis.core.remote import Capabilities, ChatDelta, RemoteToken, TokenRun

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_RETRY_WAIT = 30.0


class OpenAIRemote:
    """Streams chat for sketches; continues an answer prefix with top-k log-probabilities."""

    def __init__(
        self,
        config: RemoteConfig,
        client: openai.OpenAI,
        *,
        capabilities: Capabilities | None = None,
        attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._config = config
        self._client = client  # the probe's: setting up may take the full timeout
        # Every call made while answering: a silent endpoint is given up after the stall
        # timeout, once (a retry would only double the wait the user sees).
        self._answering = client.with_options(timeout=config.stall_timeout, max_retries=0)
        self._reading = PromptReading(config.stall_timeout)  # a long prompt earns more
        self.capabilities = capabilities
        self._attempts = attempts
        self._sleep = sleep
        self._host = urlparse(config.base_url).netloc or config.base_url

    @property
    def model_name(self) -> str:
        return self._config.model

    def close(self) -> None:
        """Close the connections of the underlying client."""
        self._client.close()

    # -- chat ----------------------------------------------------------------------------

    def stream_chat(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.7
    ) -> Iterator[ChatDelta]:
        """Deltas as they arrive. Retried only while nothing has arrived yet."""
        stream = self._retrying(
            lambda: self._answering.chat.completions.create(
                model=self._config.model,
                messages=_messages(messages),
                stream=True,
                max_tokens=max_tokens,
                temperature=temperature,
                timeout=self._reading.allow(_chat_text(messages)),
            )
        )
        received: list[str] = []
        try:
            with remote_errors(self._host, self._config.model):
                for event in stream:
                    if not event.choices:
                        continue
                    choice = event.choices[0]
                    text = (choice.delta.content or "") if choice.delta else ""
                    received.append(text)
                    yield ChatDelta(text, choice.finish_reason)
        except RemoteError as exc:
            failure = self._stalled() if isinstance(exc, RemoteTimeout) else exc
            if not received and not isinstance(failure, RemoteProtocolError):
                raise failure from exc
            raise RemoteProtocolError(
                f"The answer broke off: {failure.message}",
                "What arrived so far is kept; try again for the rest.",
                partial="".join(received),
            ) from exc
        finally:
            stream.close()

    # -- prefix continuation with log-probabilities ------------------------------------------

    def continue_run(
        self,
        messages: Sequence[ChatMessage],
        answer_prefix: str,
        *,
        max_tokens: int,
        top_k: int,
        draft: str = "",
    ) -> TokenRun:
        capabilities = self._require_capabilities()
        mode = capabilities.prefix_continuation
        if mode == "completions" and draft and capabilities.echo:
            return self._retrying(
                lambda: self._drafted_run(messages, answer_prefix, draft, max_tokens, top_k)
            )
        if mode == "completions":
            return self._retrying(
                lambda: self._completion_run(messages, answer_prefix, max_tokens, top_k)
            )
        if mode == "continue_final_message":
            return self._retrying(
                lambda: self._chat_run(messages, answer_prefix, max_tokens, top_k)
            )
        raise CapabilityMissing(
            f"{self._host} cannot continue an answer with log-probabilities.",
            "Logit fusion needs /completions with logprobs (and the model's chat template) "
            "or vLLM's continue_final_message; use sketch mode with this endpoint.",
        )

    def next_token_top_k(
        self, messages: Sequence[ChatMessage], answer_prefix: str, *, top_k: int
    ) -> RemoteToken:
        run = self.continue_run(messages, answer_prefix, max_tokens=1, top_k=top_k)
        if not run.tokens:
            raise RemoteProtocolError(f"{self._host} returned no token.", "Try again.")
        return run.tokens[0]

    def render_prompt(self, messages: Sequence[ChatMessage], answer_prefix: str) -> str:
        """The completions prompt: the chat template with the assistant turn opened."""
        if not self._config.chat_template:
            raise CapabilityMissing(
                "The remote model's chat template is not configured.",
                "Set it with: cogenesis remote set --chat-template-file F",
            )
        formatter = Jinja2ChatFormatter(self._config.chat_template, eos_token="", bos_token="")
        return formatter(messages=_messages(messages)).prompt + answer_prefix

    def _completion_run(
        self, messages: Sequence[ChatMessage], prefix: str, max_tokens: int, top_k: int
    ) -> TokenRun:
        with remote_errors(self._host, self._config.model):
            prompt = self.render_prompt(messages, prefix)
            response = self._answering.completions.create(
                model=self._config.model,
                prompt=prompt,
                max_tokens=max_tokens,
                temperature=0,
                logprobs=top_k,
                timeout=self._reading.allow(prompt),
            )
            tokens = self._tokens(response.choices[0], top_k)
            return TokenRun(tokens, response.choices[0].finish_reason, *_usage(response))

    def _drafted_run(
        self, messages: Sequence[ChatMessage], prefix: str, draft: str, max_tokens: int, top_k: int
    ) -> TokenRun:
        """One call: the prompt ends with the draft, echoed with top-k at each of its tokens."""
        with remote_errors(self._host, self._config.model):
            prompt = self.render_prompt(messages, prefix + draft)
            response = self._answering.completions.create(
                model=self._config.model,
                prompt=prompt,
                max_tokens=max_tokens,
                temperature=0,
                logprobs=top_k,
                echo=True,
                timeout=self._reading.allow(prompt),
            )
            prompt_tokens, completion_tokens = _usage(response)
            choice = response.choices[0]
            logprobs = choice.logprobs
            texts = list(logprobs.tokens or []) if logprobs else []
            generated = min(completion_tokens, len(texts))
            drafted = _draft_tokens(texts[: len(texts) - generated], draft)
            if drafted is None:  # the draft did not start on a token boundary there
                return TokenRun((), "draft-misaligned", prompt_tokens, completion_tokens)
            start = len(texts) - generated - drafted
            tokens = self._tokens(response.choices[0], top_k, start)
            return TokenRun(tokens, choice.finish_reason, prompt_tokens, completion_tokens, drafted)

    # -- token-id prompts ----------------------------------------------------------------------

    def takes_token_ids(self) -> bool:
        capabilities = self._require_capabilities()
        return capabilities.token_id_prompts and capabilities.completions

    def scores_drafts(self) -> bool:
        return self.takes_token_ids() and self._require_capabilities().echo

    def vocabulary_pairs(self, prompt: Sequence[int]) -> list[tuple[int, str]]:
        top_k = min(_PAIR_TOP_K, self._require_capabilities().max_top_logprobs)
        response = self._retrying(
            lambda: self._answering.completions.create(
                model=self._config.model,
                prompt=list(prompt),
                max_tokens=_PAIR_TOKENS,
                temperature=0,
                logprobs=top_k,
                timeout=self._reading.allow(list(prompt)),
            )
        )
        with remote_errors(self._host, self._config.model):
            return id_pairs(response.choices[0].logprobs)

    def continue_ids(
        self, prompt: Sequence[int], *, max_tokens: int, top_k: int, scored: int = 0
    ) -> TokenRun:
        return self._retrying(lambda: self._id_run(list(prompt), max_tokens, top_k, scored))

    def takes_prompt_lists(self) -> bool:
        return self.takes_token_ids() and self._require_capabilities().prompt_lists

    def continue_id_lists(
        self, prompts: Sequence[Sequence[int]], *, max_tokens: int, top_k: int
    ) -> list[TokenRun]:
        return self._retrying(lambda: self._id_lists([list(p) for p in prompts], max_tokens, top_k))

    def forces_drafts(self) -> bool:
        return self.takes_token_ids() and self._require_capabilities().forced_drafts

    def force_ids(
        self, prompt: Sequence[int], held: Sequence[int], *, max_tokens: int, top_k: int
    ) -> TokenRun:
        return self._retrying(lambda: self._forced_run(list(prompt), list(held), max_tokens, top_k))

    def _forced_run(
        self, prompt: list[int], held: list[int], max_tokens: int, top_k: int
    ) -> TokenRun:
        """One call held to ``held`` by a grammar; the server gives the top-k it computed
        before the grammar narrowed the choice (``probe`` checked that)."""
        with remote_errors(self._host, self._config.model):
            response = self._answering.completions.create(
                model=self._config.model,
                prompt=prompt,
                max_tokens=max_tokens,
                temperature=0,
                logprobs=top_k,
                extra_body={"grammar": held_to(held), "return_tokens_as_token_ids": True},
                timeout=self._reading.allow(prompt),
            )
            choice = response.choices[0]
            tokens = self._tokens(choice, top_k, ids=True)
            drafted = min(len(held), len(tokens))
            return TokenRun(tokens, choice.finish_reason, *_usage(response), drafted)

    def echo_pieces(self, prompt: Sequence[int]) -> list[str]:
        response = self._retrying(
            lambda: self._answering.completions.create(
                model=self._config.model,
                prompt=list(prompt),
                max_tokens=1,
                temperature=0,
                logprobs=1,
                echo=True,
                timeout=self._reading.allow(list(prompt)),
            )
        )
        logprobs = response.choices[0].logprobs
        return list(logprobs.tokens or [])[: len(prompt)] if logprobs else []

    def _id_run(self, prompt: list[int], max_tokens: int, top_k: int, scored: int) -> TokenRun:
        """One call with a token-id prompt; the server is asked to name tokens by id."""
        with remote_errors(self._host, self._config.model):
            response = self._answering.completions.create(
                model=self._config.model,
                prompt=prompt,
                max_tokens=max_tokens,
                temperature=0,
                logprobs=top_k,
                echo=scored > 0,
                extra_body={"return_tokens_as_token_ids": True},
                timeout=self._reading.allow(prompt),
            )
            # With echo the log-probabilities start with the prompt's tokens; the run starts
            # at the first scored one.
            start = len(prompt) - scored if scored > 0 else 0
            tokens = self._tokens(response.choices[0], top_k, start, ids=True)
            return TokenRun(tokens, response.choices[0].finish_reason, *_usage(response), scored)

    def _id_lists(self, prompts: list[list[int]], max_tokens: int, top_k: int) -> list[TokenRun]:
        """One call with several token-id prompts: a run per prompt, by the choices' index."""
        with remote_errors(self._host, self._config.model):
            response = self._answering.completions.create(
                model=self._config.model,
                prompt=prompts,
                max_tokens=max_tokens,
                temperature=0,
                logprobs=top_k,
                extra_body={"return_tokens_as_token_ids": True},
                timeout=self._reading.allow_many(prompts),
            )
            choices = sorted(response.choices, key=lambda c: c.index)
            if len(choices) != len(prompts):
                raise RemoteProtocolError(
                    f"{self._host} answered {len(choices)} of {len(prompts)} prompts.",
                    "Turn off 'several prompts per call' for this endpoint (remote test).",
                )
            runs = [self._tokens(choice, top_k, ids=True) for choice in choices]
            # llama-server reports one prompt's usage: a bill covers every prompt sent
            reported = _usage(response)
            usage = (
                max(reported[0], sum(len(p) for p in prompts)),
                max(reported[1], sum(len(r) for r in runs)),
            )
            return [
                TokenRun(tokens, choice.finish_reason, *(usage if i == 0 else (0, 0)))
                for i, (tokens, choice) in enumerate(zip(runs, choices, strict=True))
            ]

    def _tokens(
        self, choice: Any, top_k: int, start: int = 0, *, ids: bool = False
    ) -> tuple[RemoteToken, ...]:
        """The run's tokens from either log-probability layout; ``ids``: keep the token ids a
        server names (only for token-id prompts, where remote and local share a vocabulary)."""
        found = positions(choice.logprobs)
        if found is None:
            raise RemoteProtocolError(
                f"{self._host} sent no log-probabilities.",
                "The endpoint must support 'logprobs' on /completions.",
            )
        tokens = []
        for position in found[start:]:
            token = _token(position.text, position.logprob, position.top, top_k, self._host)
            if ids and token.token_id is None and position.token_id is not None:
                ranked = tuple(sorted(position.top_ids, key=lambda item: -item[1])[:top_k])
                token = replace(token, token_id=position.token_id, top_ids=ranked)
            tokens.append(token)
        return tuple(tokens)

    def _chat_run(
        self, messages: Sequence[ChatMessage], prefix: str, max_tokens: int, top_k: int
    ) -> TokenRun:
        # An empty prefix is a new answer, asked as one: an empty assistant turn to continue
        # is dropped by some servers (llama-server), which then continue the template itself.
        turns = _messages(messages)
        if prefix:
            turns.append({"role": "assistant", "content": prefix})
        continuing = {"continue_final_message": True, "add_generation_prompt": False}
        with remote_errors(self._host, self._config.model):
            response = self._answering.chat.completions.create(
                model=self._config.model,
                messages=turns,
                max_tokens=max_tokens,
                temperature=0,
                logprobs=True,
                top_logprobs=top_k,
                extra_body=continuing if prefix else None,
                timeout=self._reading.allow(_chat_text(messages) + prefix),
            )
            choice = response.choices[0]
            content = choice.logprobs.content if choice.logprobs else None
            if not content:
                raise RemoteProtocolError(
                    f"{self._host} sent no log-probabilities.",
                    "The endpoint must support chat 'logprobs'.",
                )
            tokens = tuple(
                RemoteToken(
                    item.token,
                    float(item.logprob),
                    _top({t.token: t.logprob for t in item.top_logprobs}, top_k, self._host),
                )
                for item in content
            )
            return TokenRun(tokens, choice.finish_reason, *_usage(response))

    # -- capabilities -----------------------------------------------------------------------

    def probe(self) -> Capabilities:
        from cogenesis.adapters.remote.probe import probe

        self.capabilities = probe(self._client, self._config, self._host)
        return self.capabilities

    def _require_capabilities(self) -> Capabilities:
        return self.capabilities if self.capabilities is not None else self.probe()

    # -- retries ------------------------------------------------------------------------------

    def _retrying(self, call: Callable[[], T]) -> T:
        """Retry a call that has produced nothing yet, with backoff, on retryable errors."""
        for attempt in range(1, self._attempts + 1):
            try:
                with remote_errors(self._host, self._config.model):
                    return call()
            except RemoteTimeout:
                raise self._stalled() from None
            except RemoteError as exc:
                wait = _wait(exc, attempt)
                if not exc.retryable or attempt == self._attempts:
                    raise
                if wait > self._config.stall_timeout:  # waiting that long is a stall too
                    raise
                log.warning("%s; retrying in %.1f s", exc.message, wait)
                self._sleep(wait)
        raise AssertionError("unreachable")

    def _stalled(self) -> RemoteTimeout:
        seconds = self._reading.last_allowed
        waited = f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.2g} s"
        if seconds > self._config.stall_timeout:
            waited += ", time to read the prompt included"
        return RemoteTimeout(
            f"{self._host} sent nothing for {waited}.",
            "What arrived so far is kept. For a slow endpoint, allow longer: "
            "cogenesis settings set remote_stall_seconds N",
        )


_PAIR_TOKENS, _PAIR_TOP_K = 8, 20  # a vocabulary check without echo: up to 168 (id, text)


def _wait(exc: RemoteError, attempt: int) -> float:
    if isinstance(exc, RemoteRateLimited) and exc.retry_after is not None:
        return min(exc.retry_after, MAX_RETRY_WAIT)
    return min(0.5 * 2.0 ** (attempt - 1), MAX_RETRY_WAIT)


def _chat_text(messages: Sequence[ChatMessage]) -> str:
    """The text of the turns, in order: what the server reads (less its chat template)."""
    return "\n".join(f"{m.role}: {m.content}" for m in messages)


def _messages(messages: Sequence[ChatMessage]) -> list[Any]:
    return [{"role": m.role, "content": m.content} for m in messages]


def _top(top: dict[str, float], k: int, host: str) -> tuple[tuple[str, float], ...]:
    if not top:
        raise RemoteProtocolError(
            f"{host} sent an empty top-k list.", "The endpoint must return top log-probabilities."
        )
    if len(top) < min(k, 2):
        raise RemoteProtocolError(
            f"{host} sent {len(top)} alternatives where {k} were asked.",
            "Lower top-k to what the endpoint supports (see the probe).",
        )
    ranked = sorted(top.items(), key=lambda item: -item[1])
    return tuple((text, float(lp)) for text, lp in ranked[:k])


_ID_PREFIX = "token_id:"  # vLLM's spelling of a token named by id


def _token(text: str, logprob: float, top: dict[str, float], k: int, host: str) -> RemoteToken:
    ranked = _top(top, k, host)
    if not text.startswith(_ID_PREFIX):
        return RemoteToken(text, logprob, ranked)
    ids = tuple((_id(t, host), lp) for t, lp in ranked)
    return RemoteToken(text, logprob, ranked, _id(text, host), ids)


def _id(text: str, host: str) -> int:
    try:
        return int(text.removeprefix(_ID_PREFIX))
    except ValueError:
        raise RemoteProtocolError(
            f"{host} named a token {text!r}, which is not an id.",
            "The endpoint mixes token texts and ids; turn off token-id prompts for it.",
        ) from None


def _draft_tokens(prompt_texts: Sequence[str], draft: str) -> int | None:
    """How many of the last prompt tokens spell ``draft`` exactly (None: none do)."""
    spelled, count = "", 0
    for text in reversed(prompt_texts):
        if len(spelled) >= len(draft):
            break
        spelled, count = text + spelled, count + 1
    return count if spelled == draft else None


def _usage(response: Any) -> tuple[int, int]:
    usage = getattr(response, "usage", None)
    if usage is None:
        return 0, 0
    return int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0)
