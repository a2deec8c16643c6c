"""Sketch-then-expand: the remote writes an outline of the public part, the local model
writes the answer from it with the private context. Pipelined (``Ask.pipeline``), each
outline point is expanded as soon as it is complete, while the rest of the outline streams."""

from __future__ import annotations

from collections.abc import Generator, Iterator

from cogenesis.core.collab.answering import (
    Tally,
    close_stream,
    continue_locally,
    need,
    read_prompt,
)
from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.events import (
    Event,
    Failed,
    Notice,
    Phase,
    Reading,
    SketchText,
    Token,
)
from cogenesis.core.collab.guards import PlanEcho
from cogenesis.core.collab.pipeline import OutlineStream
from cogenesis.core.collab.prompts import (
    OUTLINE_TEMPERATURE,
    OUTLINE_TOKENS,
    expansion_messages,
    outline_messages,
)
from cogenesis.core.errors import CogenesisError, PrivacyViolation
from cogenesis.core.llm import CancelToken, GenerationParams, LocalModel
from cogenesis.core.remote import ChatDelta, RemoteModel


def sketch_then_expand(
    ask: Ask, local: LocalModel | None, remote: RemoteModel | None, cancel: CancelToken
) -> Iterator[Event]:
    local, remote = need(local, "the local model"), need(remote, "a remote endpoint")
    tally = Tally()
    yield Phase("sketching")
    if ask.pipeline:
        yield from _pipelined(ask, local, remote, cancel, tally)
        return
    outline: list[str] = []
    try:
        tally.stats.remote_calls += 1
        for delta in outline_stream(ask, remote):
            if cancel.cancelled:
                yield tally.done("", "cancelled")
                return
            outline.append(delta.text)
            tally.stats.remote_tokens += 1
            yield SketchText("".join(outline))
    except PrivacyViolation as exc:
        yield Failed(exc, "")
        return
    except CogenesisError as exc:
        yield Notice(f"The outline could not be fetched ({exc.message}); answering locally.")
    yield Phase("expanding")
    prompt = local.format_chat(expansion_messages(ask, "".join(outline).strip()))
    yield from continue_locally(ask, local, prompt, "", cancel, tally, echo=PlanEcho())


def outline_stream(ask: Ask, remote: RemoteModel) -> Iterator[ChatDelta]:
    """The cloud's outline of the public instruction; greedy when the answer is (a greedy
    answer is reproducible only if its outline is)."""
    temperature = min(OUTLINE_TEMPERATURE, ask.temperature)
    return remote.stream_chat(
        outline_messages(ask), max_tokens=OUTLINE_TOKENS, temperature=temperature
    )


def _pipelined(
    ask: Ask, local: LocalModel, remote: RemoteModel, cancel: CancelToken, tally: Tally
) -> Iterator[Event]:
    tally.stats.remote_calls += 1
    outline = OutlineStream(outline_stream(ask, remote))
    try:
        yield from _expand_as_it_arrives(ask, local, outline, cancel, tally)
    finally:
        outline.stop()
        tally.stats.remote_tokens = outline.deltas


def _expand_as_it_arrives(
    ask: Ask, local: LocalModel, outline: OutlineStream, cancel: CancelToken, tally: Tally
) -> Iterator[Event]:
    answer, shown, used, reason, expanding = "", "", 0, "", False
    echo = PlanEcho()
    while not cancel.cancelled and tally.stats.local_tokens < ask.max_tokens:
        while not cancel.cancelled and len(outline.points()) <= used and not outline.done:
            outline.wait(0.05)
            if outline.text != shown:
                shown = outline.text
                yield SketchText(shown)
        if isinstance(outline.error, PrivacyViolation):
            yield Failed(outline.error, answer)
            return
        points = outline.points()
        if cancel.cancelled or (len(points) <= used and reason):  # nothing new to write about
            break
        if not expanding:
            expanding = True
            yield Phase("expanding")
            if outline.error is not None and not points:
                yield Notice(f"The outline failed ({outline.error.message}); answering locally.")
        used, final = len(points), outline.done
        messages = expansion_messages(ask, "\n".join(points))
        prompt = local.format_chat(messages) + local.tokenize(answer)
        reason, written = yield from _section(ask, local, prompt, final, cancel, tally, echo)
        answer += written
        if final or echo.stopped:
            break
    if outline.text != shown:
        yield SketchText(outline.text)
    yield tally.done(answer, "cancelled" if cancel.cancelled else reason or "stop")


def _section(
    ask: Ask,
    local: LocalModel,
    prompt: list[int],
    final: bool,
    cancel: CancelToken,
    tally: Tally,
    echo: PlanEcho,
) -> Generator[Token | Reading, None, tuple[str, str]]:
    """One section's tokens (to a paragraph break unless ``final``); returns its finish
    reason ("" when it stopped at the break) and its text (``echo``: without the
    instructions)."""
    left = ask.max_tokens - tally.stats.local_tokens
    params = GenerationParams(max_tokens=left, temperature=ask.temperature, seed=ask.seed)
    yield from read_prompt(local, prompt, cancel)
    if cancel.cancelled:
        return "cancelled", ""
    chunks = local.generate(prompt, params, cancel)
    written, reason = "", ""
    try:
        for chunk in chunks:
            tally.stats.local_tokens += chunk.token_id is not None
            piece = echo.feed(chunk.text)
            if piece:
                tally.first()
                written += piece
                yield Token(piece)
            reason = chunk.finish_reason or reason
            if echo.stopped:
                return "stop", written
            if not final and "\n\n" in written.lstrip("\n"):
                break
    finally:
        close_stream(chunks)
    rest = echo.flush() if final or reason else ""
    if rest:
        written += rest
        yield Token(rest)
    return reason, written
