"""The strategies: local only, cloud without context, full context (consented), sketch-then-
expand, logit fusion.

Each is a generator of events. The local model sees the private context; the remote model
sees only the public part of the instruction (and, for fusion, the public version of the
answer so far). Every remote request still passes the privacy guard at the choke point.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, TypeVar

import numpy as np

from cogenesis.core.collab.baseline import PublicBaseline
from cogenesis.core.collab.context import ContextItem, render
from cogenesis.core.collab.drafts import ProxyDrafter
from cogenesis.core.collab.events import (
    Done,
    Event,
    Failed,
    Notice,
    Phase,
    Reading,
    SketchText,
    Stats,
    Token,
)
from cogenesis.core.collab.fusion import FusionConfig
from cogenesis.core.collab.id_runs import IdRuns, remote_runs
from cogenesis.core.collab.pipeline import OutlineStream
from cogenesis.core.collab.public_ids import public_ids
from cogenesis.core.collab.remote_runs import TextRuns
from cogenesis.core.collab.runs import (
    FusionStats,
    per_token_fusion,
    run_verification,
    scheduled_fusion,
)
from cogenesis.core.errors import CogenesisError, PrivacyViolation
from cogenesis.core.llm import CancelToken, ChatMessage, GenerationParams, LocalModel
from cogenesis.core.remote import ChatDelta, RemoteModel

T = TypeVar("T")
LOCAL_SYSTEM = (
    "You are a personal assistant. Use the user's private context below when it helps, and "
    "write in the user's own style.\n\n{context}"
)
CLOUD_SYSTEM = "You are a helpful assistant."
SKETCH_PROMPT = (
    "Write a short numbered outline (3 to 6 points, one line each) for answering the request "
    "below. Only the outline.\n\nRequest: {instruction}"
)
OUTLINE_TOKENS, OUTLINE_TEMPERATURE = 160, 0.3
# The outline goes into the system message, after the context: as part of the user's turn it
# made the 0.5B model recite the context block instead of answering (measured: see
# docs/collaboration.md, "Sketch-then-expand").
PLAN_PROMPT = (
    "\n\nA plan for your answer, written without the user's details:\n{outline}\n\n"
    "Follow the plan in your own words and make it personal; write the answer, not the plan."
)


@dataclass
class Ask:
    instruction: str
    public: str  # the instruction with private details replaced
    sanitize: Callable[[str], str]  # builds the public version of any text (answer prefixes)
    context: Sequence[ContextItem] = ()
    history: Sequence[ChatMessage] = ()
    max_tokens: int = 300
    temperature: float = 0.7
    seed: int | None = None
    fusion: FusionConfig = field(default_factory=FusionConfig)
    # "runs", "draft" (runs that verify a local guess too), "per-token" (the reference) or
    # "schedule" (the paper's)
    fusion_method: str = "runs"
    finish_locally: bool = True  # when the remote fails mid-answer
    pipeline: bool = False  # sketch: expand each outline point as soon as it is complete


Strategy = Callable[[Ask, LocalModel | None, RemoteModel | None, CancelToken], Iterator[Event]]


def local_only(
    ask: Ask, local: LocalModel | None, remote: RemoteModel | None, cancel: CancelToken
) -> Iterator[Event]:
    local = _need(local, "the local model")
    yield Phase("generating")
    yield from _local_answer(ask, local, _local_messages(ask), cancel, Stats(), time.perf_counter())


def cloud_without_context(
    ask: Ask, local: LocalModel | None, remote: RemoteModel | None, cancel: CancelToken
) -> Iterator[Event]:
    messages = [ChatMessage("system", CLOUD_SYSTEM), ChatMessage("user", ask.public)]
    yield from _cloud_answer(ask, _need(remote, "a remote endpoint"), messages, cancel)


def full_context(
    ask: Ask, local: LocalModel | None, remote: RemoteModel | None, cancel: CancelToken
) -> Iterator[Event]:
    """The cloud alone with the private context and the instruction as written. The engine
    runs it only after the user consented for this conversation."""
    messages = _local_messages(ask)
    yield from _cloud_answer(ask, _need(remote, "a remote endpoint"), messages, cancel)


def _cloud_answer(
    ask: Ask, remote: RemoteModel, messages: list[ChatMessage], cancel: CancelToken
) -> Iterator[Event]:
    stats, started = Stats(), time.perf_counter()
    yield Phase("generating")
    text: list[str] = []
    try:
        stats.remote_calls += 1
        for delta in remote.stream_chat(
            messages, max_tokens=ask.max_tokens, temperature=ask.temperature
        ):
            if cancel.cancelled:
                break
            if delta.text:
                _first(stats, started)
                text.append(delta.text)
                stats.remote_tokens += 1
                yield Token(delta.text)
    except CogenesisError as exc:
        yield Failed(exc, "".join(text))
        return
    yield _done("".join(text), "cancelled" if cancel.cancelled else "stop", stats, started)


def sketch_then_expand(
    ask: Ask, local: LocalModel | None, remote: RemoteModel | None, cancel: CancelToken
) -> Iterator[Event]:
    local, remote = _need(local, "the local model"), _need(remote, "a remote endpoint")
    stats, started = Stats(), time.perf_counter()
    yield Phase("sketching")
    if ask.pipeline:
        yield from _pipelined_sketch(ask, local, remote, cancel, stats, started)
        return
    outline: list[str] = []
    try:
        stats.remote_calls += 1
        for delta in outline_stream(ask, remote):
            if cancel.cancelled:
                yield _done("", "cancelled", stats, started)
                return
            outline.append(delta.text)
            stats.remote_tokens += 1
            yield SketchText("".join(outline))
    except PrivacyViolation as exc:
        yield Failed(exc, "")
        return
    except CogenesisError as exc:
        yield Notice(f"The outline could not be fetched ({exc.message}); answering locally.")
    yield Phase("expanding")
    messages = expansion_messages(ask, "".join(outline).strip())
    yield from _local_answer(ask, local, messages, cancel, stats, started)


def outline_stream(ask: Ask, remote: RemoteModel) -> Iterator[ChatDelta]:
    """The cloud's outline of the public instruction; greedy when the answer is (a greedy
    answer is reproducible only if its outline is)."""
    messages = [ChatMessage("user", SKETCH_PROMPT.format(instruction=ask.public))]
    temperature = min(OUTLINE_TEMPERATURE, ask.temperature)
    return remote.stream_chat(messages, max_tokens=OUTLINE_TOKENS, temperature=temperature)


def _pipelined_sketch(
    ask: Ask,
    local: LocalModel,
    remote: RemoteModel,
    cancel: CancelToken,
    stats: Stats,
    started: float,
) -> Iterator[Event]:
    stats.remote_calls += 1
    outline = OutlineStream(outline_stream(ask, remote))
    try:
        yield from _expand_as_it_arrives(ask, local, outline, cancel, stats, started)
    finally:
        outline.stop()
        stats.remote_tokens = outline.deltas


def _expand_as_it_arrives(
    ask: Ask,
    local: LocalModel,
    outline: OutlineStream,
    cancel: CancelToken,
    stats: Stats,
    started: float,
) -> Iterator[Event]:
    answer, shown, used, reason, expanding = "", "", 0, "", False
    while not cancel.cancelled and stats.local_tokens < ask.max_tokens:
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
        used, final, reason = len(points), outline.done, ""
        messages = expansion_messages(ask, "\n".join(points))
        prompt = local.format_chat(messages) + local.tokenize(answer)
        for event in _section(ask, local, prompt, final, cancel, stats, started):
            if isinstance(event, str):
                reason = event
                continue
            if isinstance(event, Token):
                answer += event.text
            yield event
        if final:
            break
    if outline.text != shown:
        yield SketchText(outline.text)
    yield _done(answer, "cancelled" if cancel.cancelled else reason or "stop", stats, started)


def _section(
    ask: Ask,
    local: LocalModel,
    prompt: list[int],
    final: bool,
    cancel: CancelToken,
    stats: Stats,
    started: float,
) -> Iterator[Token | Reading | str]:
    """One section's tokens (to a paragraph break unless ``final``), then its finish reason."""
    left = ask.max_tokens - stats.local_tokens
    params = GenerationParams(max_tokens=left, temperature=ask.temperature, seed=ask.seed)
    yield from read_prompt(local, prompt, cancel)
    if cancel.cancelled:
        yield "cancelled"
        return
    chunks = local.generate(prompt, params, cancel)
    written = ""
    try:
        for chunk in chunks:
            stats.local_tokens += chunk.token_id is not None
            if chunk.text:
                _first(stats, started)
                written += chunk.text
                yield Token(chunk.text)
            if chunk.finish_reason:
                yield chunk.finish_reason
            if not final and "\n\n" in written.lstrip("\n"):
                return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def logit_fusion(
    ask: Ask,
    local: LocalModel | None,
    remote: RemoteModel | None,
    cancel: CancelToken,
    proxy: LocalModel | None = None,
) -> Iterator[Event]:
    """Token-level fusion; ``proxy`` (a second copy of a model with the local vocabulary)
    stands in for the remote when ``ask.fusion_method`` is "draft"."""
    local, remote = _need(local, "the local model"), _need(remote, "a remote endpoint")
    stats, started = Stats(), time.perf_counter()
    yield Phase("fusing")
    prompt = local.format_chat(_local_messages(ask))
    public = [ChatMessage("system", CLOUD_SYSTEM), ChatMessage("user", ask.public)]
    runs = remote_runs(remote, local, public, ask.sanitize)
    fusion_stats = FusionStats()
    answer: list[int] = []
    shown = ""
    sampling = ask.temperature > 0
    config = replace(ask.fusion, temperature=ask.temperature) if sampling else ask.fusion
    extra: dict[str, Any] = {"rng": np.random.default_rng(ask.seed) if sampling else None}
    reader = proxy if proxy is not None else local  # the local model on the public side
    public_prompt, public_answer = _public_side(runs, reader, public, local, ask.sanitize)
    if ask.fusion_method == "draft":
        extra["drafter"] = ProxyDrafter(
            local, prompt, reader, public_prompt, local.end_ids(), config, public=public_answer
        )
    if config.rule == "shift":
        extra["baseline"] = PublicBaseline(reader, public_prompt, public_answer)
    yield from read_prompt(local, prompt, cancel)
    if cancel.cancelled:
        yield _done("", "cancelled", stats, started)
        return
    try:
        fuse_tokens = FUSION_METHODS.get(ask.fusion_method, run_verification)
        for token in fuse_tokens(
            local,
            prompt,
            runs,
            local.end_ids(),
            max_tokens=ask.max_tokens,
            config=config,
            stats=fusion_stats,
            **extra,
        ):
            if cancel.cancelled:
                break
            if token in local.end_ids():
                break
            answer.append(token)
            text = local.detokenize(answer)
            if len(text) > len(shown) and not text.endswith("\ufffd"):
                _first(stats, started)
                yield Token(text[len(shown) :])
                shown = text
    except PrivacyViolation as exc:
        yield Failed(exc, shown)
        return
    except CogenesisError as exc:
        yield Notice(f"The remote model failed mid-answer ({exc.message}).")
        if not ask.finish_locally:
            yield Failed(exc, shown)
            return
        yield Notice("Finishing with the local model alone.")
        yield from _continue_locally(ask, local, [*prompt, *answer], shown, cancel, stats, started)
        return
    stats.remote_calls = runs.calls
    stats.remote_tokens = fusion_stats.remote_positions
    stats.local_tokens = fusion_stats.generated
    stats.extra["billed_tokens"] = float(runs.billed_tokens)
    stats.extra["calls_per_token"] = fusion_stats.calls_per_token
    stats.extra["token_ids"] = float(isinstance(runs, IdRuns))  # 1: no re-tokenization
    yield _done(shown, "cancelled" if cancel.cancelled else "stop", stats, started)


def _public_side(
    runs: IdRuns | TextRuns,
    reader: LocalModel,
    public: list[ChatMessage],
    local: LocalModel,
    sanitize: Callable[[str], str],
) -> tuple[list[int], Callable[[Sequence[int]], list[int]] | None]:
    """What the remote reads, as ``reader`` reads it: the public prompt, and how the answer
    becomes public (over token ids the remote's own ids; over text the answer as it is)."""
    if isinstance(runs, IdRuns):
        return list(runs.prompt_ids), partial(public_ids, local, sanitize)
    return reader.format_chat(public), None


FUSION_METHODS: dict[str, Callable[..., Iterator[int]]] = {
    "runs": run_verification,
    "draft": run_verification,  # with a ProxyDrafter
    "per-token": per_token_fusion,
    "schedule": scheduled_fusion,
}

STRATEGIES: dict[str, Strategy] = {
    "local": local_only,
    "cloud": cloud_without_context,
    "full": full_context,
    "sketch": sketch_then_expand,
    "logit": logit_fusion,
}


def expansion_messages(ask: Ask, outline: str) -> list[ChatMessage]:
    """What the local model reads to expand ``outline`` (none: it answers alone)."""
    messages = _local_messages(ask)
    if outline:
        plan = PLAN_PROMPT.format(outline=outline)
        messages[0] = ChatMessage("system", messages[0].content + plan)
    return messages


def _local_messages(ask: Ask) -> list[ChatMessage]:
    """The private context, the conversation so far and the instruction as written."""
    system = LOCAL_SYSTEM.format(context=render(list(ask.context)) or "(no private context)")
    return [ChatMessage("system", system), *ask.history, ChatMessage("user", ask.instruction)]


def _local_answer(
    ask: Ask,
    local: LocalModel,
    messages: list[ChatMessage],
    cancel: CancelToken,
    stats: Stats,
    started: float,
) -> Iterator[Event]:
    yield from _continue_locally(
        ask, local, local.format_chat(messages), "", cancel, stats, started
    )


def _continue_locally(
    ask: Ask,
    local: LocalModel,
    prompt: list[int],
    shown: str,
    cancel: CancelToken,
    stats: Stats,
    started: float,
) -> Iterator[Event]:
    params = GenerationParams(max_tokens=ask.max_tokens, temperature=ask.temperature, seed=ask.seed)
    text = [shown]
    reason = "stop"
    yield from read_prompt(local, prompt, cancel)
    if cancel.cancelled:
        yield _done(shown, "cancelled", stats, started)
        return
    for chunk in local.generate(prompt, params, cancel):
        if chunk.text:
            _first(stats, started)
            text.append(chunk.text)
            yield Token(chunk.text)
        if chunk.token_id is not None:
            stats.local_tokens += 1
        reason = chunk.finish_reason or reason
    yield _done("".join(text), reason, stats, started)


def read_prompt(local: LocalModel, prompt: list[int], cancel: CancelToken) -> Iterator[Reading]:
    """The local model reads ``prompt`` (what its cache holds from the previous turn is kept),
    saying how far it is; stops early when cancelled."""
    for progress in local.read(prompt, cancel):
        yield Reading(progress.done, progress.total, progress.reused)


def _first(stats: Stats, started: float) -> None:
    if stats.first_token_ms is None:
        stats.first_token_ms = (time.perf_counter() - started) * 1000


def _done(text: str, reason: str, stats: Stats, started: float) -> Done:
    stats.total_ms = (time.perf_counter() - started) * 1000
    return Done(text, reason, stats)


def _need(value: T | None, what: str) -> T:
    if value is None:
        raise CogenesisError(f"This mode needs {what}.", "Configure it, or choose another mode.")
    return value
