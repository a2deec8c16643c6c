"""What every strategy shares: the answer's figures as it goes, reading a prompt into the
local model, and writing with the local model alone."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TypeVar

from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.events import Done, Event, Notice, Reading, Stats, Token
from cogenesis.core.collab.guards import PlanEcho, SentenceLoop
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken, GenerationParams, LocalModel

T = TypeVar("T")


class Tally:
    """One answer's figures, from its start: ``first`` at each token shown, ``done`` at the
    end."""

    def __init__(self) -> None:
        self.stats = Stats()
        self._started = time.perf_counter()

    def first(self) -> None:
        """A token is shown: the first one sets the time to first token."""
        if self.stats.first_token_ms is None:
            self.stats.first_token_ms = self._elapsed_ms()

    def done(self, text: str, reason: str) -> Done:
        self.stats.total_ms = self._elapsed_ms()
        return Done(text, reason, self.stats)

    def _elapsed_ms(self) -> float:
        return (time.perf_counter() - self._started) * 1000


def read_prompt(local: LocalModel, prompt: Sequence[int], cancel: CancelToken) -> Iterator[Reading]:
    """The local model reads ``prompt`` (what its cache holds from the previous turn is kept),
    saying how far it is; stops early when cancelled."""
    for progress in local.read(prompt, cancel):
        yield Reading(progress.done, progress.total, progress.reused)


def continue_locally(
    ask: Ask,
    local: LocalModel,
    prompt: list[int],
    shown: str,
    cancel: CancelToken,
    tally: Tally,
    *,
    used: int = 0,
    echo: PlanEcho | None = None,
) -> Iterator[Event]:
    """The local model writes on after ``prompt`` (whose answer so far, ``shown``, the user
    has seen already) to the end of the answer, within what is left of the budget after the
    ``used`` tokens already written. It stops where it goes round the same sentence; ``echo``
    (the sketch expansion's) keeps its instructions out of the answer."""
    left = ask.max_tokens - used
    if left <= 0:
        yield tally.done(shown, "length")
        return
    params = GenerationParams(max_tokens=left, temperature=ask.temperature, seed=ask.seed)
    text = [shown]
    reason = "stop"
    yield from read_prompt(local, prompt, cancel)
    if cancel.cancelled:
        yield tally.done(shown, "cancelled")
        return
    loop = SentenceLoop()
    chunks = local.generate(prompt, params, cancel)
    try:
        for chunk in chunks:
            if chunk.token_id is not None:
                tally.stats.local_tokens += 1
            reason = chunk.finish_reason or reason
            piece = echo.feed(chunk.text) if echo is not None else chunk.text
            if piece:
                tally.first()
                text.append(piece)
                yield Token(piece)
            if echo is not None and echo.stopped:
                reason = "stop"
                break
            if loop.looping("".join(text)):
                yield Notice(LOOP_NOTICE)
                reason = "stop"
                break
    finally:
        close_stream(chunks)
    rest = echo.flush() if echo is not None else ""
    if rest:
        text.append(rest)
        yield Token(rest)
    yield tally.done("".join(text), reason)


LOOP_NOTICE = "The answer began repeating itself; it was stopped there."


def close_stream(chunks: object) -> None:
    """Close a generation stream that can be closed (ends its generator at once)."""
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


def need(value: T | None, what: str) -> T:
    """``value``, or the error that says this mode needs it."""
    if value is None:
        raise CogenesisError(f"This mode needs {what}.", "Configure it, or choose another mode.")
    return value
