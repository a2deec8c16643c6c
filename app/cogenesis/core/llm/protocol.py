"""The LocalModel protocol: the only model that ever sees the private context."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from cogenesis.core.llm.distribution import TokenDistribution

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length", "cancelled", "eos"]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class ModelInfo:
    """What the app shows about a loaded model."""

    name: str
    path: str
    architecture: str
    parameters: int
    quantization: str
    vocab_size: int
    context_length: int  # the model's training context
    context_size: int  # the context this session was loaded with
    has_chat_template: bool
    device: str  # "CPU", "CUDA", "Metal", …
    device_note: str = ""  # why it runs on the CPU, when it is not the GPU
    device_fallback: bool = False  # a GPU was asked for or failed to load: the CPU stands in
    threads: int = 0  # generation threads (at most: fewer while other programs are busy)
    batch_threads: int = 0  # prompt-processing threads
    threads_note: str = ""  # the thread budget, in words
    gpu_layers: int = 0


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings. ``temperature`` 0 is greedy decoding."""

    max_tokens: int = 512
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 0
    seed: int | None = None
    stop: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class GenerationChunk:
    """One streamed step: new text (may be empty while a stop string is undecided)."""

    text: str
    token_id: int | None
    finish_reason: FinishReason | None = None


@dataclass(frozen=True)
class ReadProgress:
    """How far the model has read a prompt into its cache: ``done`` of ``total`` tokens, of
    which ``reused`` were already there (from the previous turn of the conversation)."""

    done: int
    total: int
    reused: int = 0


class CancelToken:
    """Set from any thread; generation stops between tokens."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class LocalScorer(Protocol):
    """The part of a local model that fusion needs: distributions after a prefix."""

    def next_token_distribution(
        self, prefix: Sequence[int], top_k: int | None = None
    ) -> TokenDistribution: ...

    def score_run(self, prefix: Sequence[int], run: Sequence[int]) -> list[TokenDistribution]:
        """``len(run) + 1`` full distributions: after ``prefix``, then after each run token."""


class LocalModel(Protocol):
    """A language model on the device.

    Capabilities needed by the collaboration strategies: streaming generation, the
    next-token distribution after any prefix, and batched scoring of a run of tokens. The
    key-value cache is reused between calls that share a prefix.
    """

    @property
    def info(self) -> ModelInfo: ...

    def vocabulary_fingerprint(self) -> str:
        """Equal for two models exactly when their token ids mean the same text."""

    def tokenize(self, text: str, *, special: bool = False) -> list[int]: ...

    def detokenize(self, tokens: Sequence[int]) -> str: ...

    def piece_id(self, piece: str) -> int | None:
        """The token whose text is exactly ``piece`` (to map another model's tokens)."""

    def end_ids(self) -> frozenset[int]:
        """Tokens that end an answer."""

    def format_chat(self, messages: Sequence[ChatMessage]) -> list[int]:
        """Prompt tokens from the model's own chat template, ready for the answer."""

    def read(
        self, prompt: Sequence[int], cancel: CancelToken | None = None
    ) -> Iterator[ReadProgress]:
        """Evaluate ``prompt`` into the cache in chunks, saying how far it is after each; stops
        between chunks when cancelled. The part already cached is not read again."""

    def generate(
        self, prompt: Sequence[int], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[GenerationChunk]: ...

    def next_token_distribution(
        self, prefix: Sequence[int], top_k: int | None = None
    ) -> TokenDistribution: ...

    def score_run(self, prefix: Sequence[int], run: Sequence[int]) -> list[TokenDistribution]:
        """``len(run) + 1`` full distributions: after ``prefix``, then after each run token."""

    def close(self) -> None: ...


@runtime_checkable
class PairedScorer(Protocol):
    """A local model that can decode its twin (a second reader of its weights) in the same
    batch as itself: where decoding is bound by memory bandwidth the second costs little."""

    def pairs_with(self, other: object) -> bool:
        """Whether ``other`` is the twin ``next_pair`` and ``score_pair`` batch with it."""

    def next_pair(
        self, prefix: Sequence[int], twin: Any, twin_prefix: Sequence[int]
    ) -> tuple[TokenDistribution, TokenDistribution]: ...

    def score_pair(
        self,
        prefix: Sequence[int],
        run: Sequence[int],
        twin: Any,
        twin_prefix: Sequence[int],
        twin_run: Sequence[int],
    ) -> tuple[list[TokenDistribution], list[TokenDistribution]]: ...
