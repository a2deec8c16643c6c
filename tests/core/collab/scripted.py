"""Scripted fakes of the local and the remote model, for millisecond strategy tests.

In the spirit of llm's ``MockModel.enqueue``: each test queues what the models will say, and
where they fail. The local model's vocabulary is one token per character (id = code point;
0 ends an answer, 1 ends a chat prompt), so distributions and text line up by hand. Both
record what they were asked, so a test can check what each side saw.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import (
    CancelToken,
    ChatMessage,
    GenerationChunk,
    GenerationParams,
    ModelInfo,
    ReadProgress,
    TokenDistribution,
)
from cogenesis.core.remote import ChatDelta, RemoteToken, TokenRun

VOCAB = 256
END, PROMPT_END = 0, 1
READ_CHUNK = 16
Step = str | BaseException | Callable[[], object]  # text, an error raised there, or a wait


def remote_error(message: str = "The remote endpoint failed.") -> CogenesisError:
    return CogenesisError(message, "Try again later.")


class ScriptedLocal:
    """A local model whose answers are queued (``enqueue``); for fusion, ``prefers`` is the
    text its distribution favours after the prompt, one character per step."""

    def __init__(self, prefers: str = "") -> None:
        self._answers: deque[list[Step]] = deque()
        self.prefers = prefers
        self.read_prompts: list[list[int]] = []
        self.generated_prompts: list[list[int]] = []
        self.on_token: Callable[[int], None] = lambda _count: None  # e.g. cancel at token n
        self.on_read: Callable[[int], None] = lambda _done: None

    def enqueue(self, *steps: Step) -> ScriptedLocal:
        """The next answer: its pieces in order (an exception is raised where it stands)."""
        self._answers.append(list(steps))
        return self

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(
            "scripted", "", "test", 0, "none", VOCAB, 4096, 4096, True, "CPU", threads=1
        )

    def vocabulary_fingerprint(self) -> str:
        return "scripted-characters"

    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        return [min(ord(c), VOCAB - 1) for c in text]

    def detokenize(self, tokens: Sequence[int]) -> str:
        return "".join(chr(t) for t in tokens if t > PROMPT_END)

    def piece_id(self, piece: str) -> int | None:
        return ord(piece) if len(piece) == 1 and ord(piece) < VOCAB else None

    def end_ids(self) -> frozenset[int]:
        return frozenset({END})

    def format_chat(self, messages: Sequence[ChatMessage]) -> list[int]:
        text = "".join(f"<{m.role}>{m.content}\n" for m in messages)
        return [*self.tokenize(text), PROMPT_END]

    def read(
        self, prompt: Sequence[int], cancel: CancelToken | None = None
    ) -> Iterator[ReadProgress]:
        self.read_prompts.append(list(prompt))
        for done in range(READ_CHUNK, len(prompt) + READ_CHUNK, READ_CHUNK):
            if cancel is not None and cancel.cancelled:
                return
            self.on_read(min(done, len(prompt)))
            yield ReadProgress(min(done, len(prompt)), len(prompt))

    def generate(
        self, prompt: Sequence[int], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[GenerationChunk]:
        self.generated_prompts.append(list(prompt))
        steps = self._answers.popleft() if self._answers else []
        count = 0
        for step in steps:
            if isinstance(step, BaseException):
                raise step
            if callable(step):
                step()
                continue
            for char in step:
                if cancel is not None and cancel.cancelled:
                    yield GenerationChunk("", None, "cancelled")
                    return
                if count >= params.max_tokens:
                    yield GenerationChunk("", None, "length")
                    return
                count += 1
                self.on_token(count)
                yield GenerationChunk(char, ord(char))
        yield GenerationChunk("", None, "stop")

    def next_token_distribution(
        self, prefix: Sequence[int], top_k: int | None = None
    ) -> TokenDistribution:
        position = len(prefix) - 1 - _last_index(prefix, PROMPT_END)
        wanted = self.prefers[position] if position < len(self.prefers) else chr(END)
        logits = np.zeros(VOCAB, dtype=np.float32)
        logits[ord(wanted)] = 12.0
        return TokenDistribution.from_logits(logits, top_k)

    def score_run(self, prefix: Sequence[int], run: Sequence[int]) -> list[TokenDistribution]:
        return [self.next_token_distribution([*prefix, *run[:i]]) for i in range(len(run) + 1)]

    def close(self) -> None:
        pass


class ScriptedRemote:
    """A remote model: chat streams are queued (``enqueue_chat``); token runs continue
    ``says`` from the answer prefix, until ``fail_runs_after`` calls have been made."""

    model_name = "scripted-remote"

    def __init__(self, says: str = "", fail_runs_after: int | None = None) -> None:
        self._chats: deque[list[Step]] = deque()
        self.says = says
        self.fail_runs_after = fail_runs_after
        self.chats: list[list[ChatMessage]] = []
        self.runs: list[tuple[list[ChatMessage], str]] = []

    def enqueue_chat(self, *steps: Step) -> ScriptedRemote:
        self._chats.append(list(steps))
        return self

    def stream_chat(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.7
    ) -> Iterator[ChatDelta]:
        self.chats.append(list(messages))
        steps = self._chats.popleft() if self._chats else []
        for step in steps:
            if isinstance(step, BaseException):
                raise step
            if callable(step):
                step()
                continue
            yield ChatDelta(step)
        yield ChatDelta("", "stop")

    def continue_run(
        self,
        messages: Sequence[ChatMessage],
        answer_prefix: str,
        *,
        max_tokens: int,
        top_k: int,
        draft: str = "",
    ) -> TokenRun:
        self.runs.append((list(messages), answer_prefix))
        if self.fail_runs_after is not None and len(self.runs) > self.fail_runs_after:
            raise remote_error("The remote endpoint stopped answering.")
        rest = self.says[len(answer_prefix) :][:max_tokens]
        tokens = tuple(RemoteToken(c, -0.01, ((c, -0.01), ("~", -5.0))) for c in rest)
        finish = "stop" if len(rest) < max_tokens else "length"
        return TokenRun(tokens, finish, prompt_tokens=10, completion_tokens=len(tokens))


def _last_index(values: Sequence[int], wanted: int) -> int:
    for i in range(len(values) - 1, -1, -1):
        if values[i] == wanted:
            return i
    return -1
