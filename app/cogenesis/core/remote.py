"""The RemoteModel protocol: a large model in the cloud that never sees private context."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from cogenesis.core.llm import ChatMessage

PrefixMode = Literal["completions", "continue_final_message"]


@dataclass(frozen=True)
class Capabilities:
    """What an endpoint supports, found by ``probe``; stored with the provider settings."""

    chat_stream: bool = False
    chat_logprobs: bool = False
    completions: bool = False
    completions_logprobs: bool = False
    echo: bool = False
    token_id_prompts: bool = False
    continue_final_message: bool = False
    max_top_logprobs: int = 0
    prompt_lists: bool = False  # several token-id prompts in one completions request
    # A completion held to given token ids by a grammar, each position with the top-k the
    # model gave before the grammar (llama.cpp's server): a draft scored without echo.
    forced_drafts: bool = False

    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def prefix_continuation(self) -> PrefixMode | None:
        """How an answer prefix can be continued with log-probabilities, if at all."""
        if self.completions_logprobs:
            return "completions"
        if self.continue_final_message and self.chat_logprobs:
            return "continue_final_message"
        return None

    def missing_for(self, strategy: str) -> list[str]:
        """What ``strategy`` ("sketch", "logit", "cloud") needs that this endpoint lacks."""
        needs = {
            "sketch": [("streamed chat", self.chat_stream)],
            "cloud": [("streamed chat", self.chat_stream)],
            "logit": [
                (
                    "prefix continuation with log-probabilities",
                    self.prefix_continuation is not None,
                ),
                ("top-k log-probabilities (k >= 2)", self.max_top_logprobs >= 2),
            ],
        }
        return [name for name, ok in needs.get(strategy, []) if not ok]

    def lines(self) -> list[str]:
        flag = {True: "yes", False: "no"}
        return [
            f"streamed chat:              {flag[self.chat_stream]}",
            f"chat log-probabilities:     {flag[self.chat_logprobs]}",
            f"completions:                {flag[self.completions]}",
            f"completions log-probs:      {flag[self.completions_logprobs]}",
            f"echo:                       {flag[self.echo]}",
            f"token-id prompts:           {flag[self.token_id_prompts]}",
            f"continue_final_message:     {flag[self.continue_final_message]}",
            f"largest top-k:              {self.max_top_logprobs}",
            f"several prompts per call:   {flag[self.prompt_lists]}",
            f"drafts held by a grammar:   {flag[self.forced_drafts]}",
            f"prefix continuation:        {self.prefix_continuation or 'none'}",
            *self.notes,
        ]


@dataclass(frozen=True)
class RemoteToken:
    """One generated position: the chosen token and the top-k alternatives (text, logprob)."""

    text: str
    logprob: float
    top: tuple[tuple[str, float], ...]
    # The ids, from a server that names its tokens by id (vLLM's return_tokens_as_token_ids).
    token_id: int | None = None
    top_ids: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class TokenRun:
    tokens: tuple[RemoteToken, ...]
    finish_reason: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    drafted: int = 0  # how many of ``tokens`` score the draft (the rest were generated)

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens)


@dataclass(frozen=True)
class ChatDelta:
    text: str
    finish_reason: str | None = None


class RemoteModel(Protocol):
    @property
    def model_name(self) -> str: ...

    def stream_chat(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.7
    ) -> Iterator[ChatDelta]: ...

    def continue_run(
        self,
        messages: Sequence[ChatMessage],
        answer_prefix: str,
        *,
        max_tokens: int,
        top_k: int,
        draft: str = "",
    ) -> TokenRun:
        """Continue ``answer_prefix`` for up to ``max_tokens`` with top-k log-probabilities.

        With a ``draft``, first score it (top-k at each of its tokens, ``drafted`` of them)
        and continue after it; an endpoint that cannot echo a prompt ignores the draft."""

    def next_token_top_k(
        self, messages: Sequence[ChatMessage], answer_prefix: str, *, top_k: int
    ) -> RemoteToken: ...

    def probe(self) -> Capabilities: ...


class TokenIdRemote(Protocol):
    """A remote whose completions read token-id prompts (vLLM, llama.cpp's server, OpenAI's
    legacy completions): it conditions on exactly the ids sent, with no re-tokenization."""

    def takes_token_ids(self) -> bool:
        """Whether the endpoint reads token-id prompts (with or without echo)."""

    def scores_drafts(self) -> bool:
        """Whether it echoes a prompt's tokens with log-probabilities (a draft needs that)."""

    def render_prompt(self, messages: Sequence[ChatMessage], answer_prefix: str) -> str: ...

    def continue_ids(
        self, prompt: Sequence[int], *, max_tokens: int, top_k: int, scored: int = 0
    ) -> TokenRun:
        """Continue ``prompt`` for up to ``max_tokens``, top-k at each generated position;
        with ``scored``, the run starts with the last ``scored`` prompt tokens (``drafted``),
        each with the top-k the remote gave it."""

    def takes_prompt_lists(self) -> bool:
        """Whether one completions request may hold several token-id prompts."""

    def continue_id_lists(
        self, prompts: Sequence[Sequence[int]], *, max_tokens: int, top_k: int
    ) -> list[TokenRun]:
        """Continue each of ``prompts`` for up to ``max_tokens`` in one request; one run per
        prompt, in order (the request's usage is counted on the first)."""

    def forces_drafts(self) -> bool:
        """Whether a token-id completion can be held to given ids (a grammar) while each
        position keeps the top-k the model gave before the grammar."""

    def force_ids(
        self, prompt: Sequence[int], held: Sequence[int], *, max_tokens: int, top_k: int
    ) -> TokenRun:
        """Continue ``prompt`` held to the ids ``held`` first (then free), up to
        ``max_tokens``, with the remote's own top-k at each position (its ``drafted`` are
        ``held``'s)."""

    def echo_pieces(self, prompt: Sequence[int]) -> list[str]:
        """The text the remote gives each token of ``prompt`` (to compare vocabularies)."""

    def vocabulary_pairs(self, prompt: Sequence[int]) -> list[tuple[int, str]]:
        """(id, text) of every token the remote names in a short continuation of ``prompt``,
        chosen and alternatives (to compare vocabularies without echo); empty if it names
        tokens by text only."""
