"""Logit fusion as a strategy: the local model with the private context and the remote's
top-k on the public side, fused token by token (the methods are in ``runs``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from cogenesis.core.collab.answering import (
    LOOP_NOTICE,
    Tally,
    continue_locally,
    need,
    read_prompt,
)
from cogenesis.core.collab.ask import Ask, FusionMethod
from cogenesis.core.collab.baseline import PublicBaseline
from cogenesis.core.collab.branches import branch_verification
from cogenesis.core.collab.draft_odds import DraftOdds, odds_for
from cogenesis.core.collab.drafts import TwinDrafter
from cogenesis.core.collab.events import Event, Failed, Notice, Phase, Token
from cogenesis.core.collab.fusion import FusionConfig
from cogenesis.core.collab.guards import SentenceLoop
from cogenesis.core.collab.id_runs import IdRuns, remote_runs
from cogenesis.core.collab.noise import SampleNoise
from cogenesis.core.collab.prompts import local_messages, public_messages
from cogenesis.core.collab.remote_runs import TextRuns
from cogenesis.core.collab.runs import (
    FusionStats,
    RemoteRuns,
    per_token_fusion,
    run_verification,
    scheduled_fusion,
)
from cogenesis.core.errors import CogenesisError, PrivacyViolation
from cogenesis.core.llm import CancelToken, ChatMessage, LocalModel
from cogenesis.core.remote import RemoteModel


@dataclass(frozen=True)
class FusionInputs:
    """Everything a fusion method reads besides the models and the prompt."""

    method: FusionMethod
    max_tokens: int
    config: FusionConfig
    stats: FusionStats
    rng: SampleNoise | None = None
    baseline: PublicBaseline | None = None  # the "shift" rule's
    drafter: TwinDrafter | None = None  # the "draft", "branches" and "forced" methods'
    odds: DraftOdds | None = None  # "branches": how far drafts are worth making


def fused_tokens(
    local: LocalModel, prompt: Sequence[int], runs: RemoteRuns, inputs: FusionInputs
) -> Iterator[int]:
    """The fused answer's tokens, by ``inputs.method`` ("forced" where the remote holds a
    completion to a draft, else "branches" where it takes lists of prompts, else plain
    runs)."""
    ends, i = local.end_ids(), inputs
    forced = i.method == "forced" and isinstance(runs, IdRuns) and runs.takes_forced
    listed = i.method in ("forced", "branches") and isinstance(runs, IdRuns) and runs.takes_branches
    if forced or listed:
        assert i.drafter is not None and isinstance(runs, IdRuns)  # _inputs makes the drafter
        return branch_verification(
            local,
            prompt,
            runs,
            ends,
            max_tokens=i.max_tokens,
            drafter=i.drafter,
            config=i.config,
            rng=i.rng,
            stats=i.stats,
            baseline=i.baseline,
            forced=forced,
            odds=i.odds,
        )
    if i.method in ("per-token", "schedule"):
        method = per_token_fusion if i.method == "per-token" else scheduled_fusion
        return method(
            local,
            prompt,
            runs,
            ends,
            max_tokens=i.max_tokens,
            config=i.config,
            rng=i.rng,
            stats=i.stats,
            baseline=i.baseline,
        )
    return run_verification(
        local,
        prompt,
        runs,
        ends,
        max_tokens=i.max_tokens,
        config=i.config,
        rng=i.rng,
        stats=i.stats,
        baseline=i.baseline,
        drafter=i.drafter if i.method == "draft" else None,
    )


def logit_fusion(
    ask: Ask,
    local: LocalModel | None,
    remote: RemoteModel | None,
    cancel: CancelToken,
    twin: LocalModel | None = None,
) -> Iterator[Event]:
    """Token-level fusion; ``twin`` (a second copy of a model with the local vocabulary)
    reads the public side: the shift rule's baseline, and the drafts' stand-in for the remote
    when ``ask.fusion_method`` is "draft". Without it the local model reads it too."""
    local, remote = need(local, "the local model"), need(remote, "a remote endpoint")
    tally = Tally()
    yield Phase("fusing")
    prompt = local.format_chat(local_messages(ask))
    public = public_messages(ask)
    runs = remote_runs(remote, local, public, ask.sanitize)
    inputs = _inputs(ask, local, prompt, twin or local, runs, public)
    yield from read_prompt(local, prompt, cancel)
    if cancel.cancelled:
        yield tally.done("", "cancelled")
        return
    answer: list[int] = []
    shown = ""
    ended = False
    loop = SentenceLoop()
    try:
        for token in fused_tokens(local, prompt, runs, inputs):
            ended = token in local.end_ids()
            if cancel.cancelled or ended:
                break
            answer.append(token)
            text = local.detokenize(answer)
            if len(text) > len(shown) and not text.endswith("\ufffd"):
                tally.first()
                yield Token(text[len(shown) :])
                shown = text
                if loop.looping(shown):
                    yield Notice(LOOP_NOTICE)
                    ended = True  # an end, not the budget
                    break
    except PrivacyViolation as exc:
        yield Failed(exc, shown)
        return
    except CogenesisError as exc:
        yield Notice(f"The remote model failed mid-answer ({exc.message}).")
        if not ask.finish_locally:
            yield Failed(exc, shown)
            return
        yield Notice("Finishing with the local model alone.")
        _count(tally, runs, inputs.stats)  # the calls that answered count
        prefix = [*prompt, *answer]
        yield from continue_locally(ask, local, prefix, shown, cancel, tally, used=len(answer))
        return
    _count(tally, runs, inputs.stats)
    yield tally.done(shown, _reason(cancel.cancelled, ended, len(answer), ask.max_tokens))


def _reason(cancelled: bool, ended: bool, generated: int, budget: int) -> str:
    """Why a fused answer stopped: cut by the user, by the budget ("length"), or its end."""
    if cancelled:
        return "cancelled"
    return "length" if not ended and generated >= budget else "stop"


def _inputs(
    ask: Ask,
    local: LocalModel,
    prompt: list[int],
    twin: LocalModel,
    runs: IdRuns | TextRuns,
    public: list[ChatMessage],
) -> FusionInputs:
    """The fusion method's inputs for ``ask``; ``twin`` reads the public side."""
    sampling = ask.temperature > 0
    config = replace(ask.fusion, temperature=ask.temperature) if sampling else ask.fusion
    public_prompt, public_answer = _public_side(runs, twin, public)
    noise = SampleNoise(ask.seed) if sampling else None  # the walk's and the drafts' alike
    drafter = None
    if ask.fusion_method in ("draft", "branches", "forced"):
        drafter = TwinDrafter(
            local,
            prompt,
            twin,
            public_prompt,
            local.end_ids(),
            config,
            public=public_answer,
            noise=noise,
        )
    baseline = None
    if config.rule == "shift":
        baseline = PublicBaseline(twin, public_prompt, public_answer)
    return FusionInputs(
        method=ask.fusion_method,
        max_tokens=ask.max_tokens,
        config=config,
        stats=FusionStats(),
        rng=noise,
        baseline=baseline,
        drafter=drafter,
        odds=odds_for(runs.remote, local.vocabulary_fingerprint(), config.rule),
    )


def _public_side(
    runs: IdRuns | TextRuns, twin: LocalModel, public: list[ChatMessage]
) -> tuple[list[int], Callable[[Sequence[int]], list[int]] | None]:
    """What the remote reads, as ``twin`` reads it: the public prompt, and how the answer
    becomes public (over token ids the remote's own ids; over text the answer as it is)."""
    if isinstance(runs, IdRuns):
        return list(runs.prompt_ids), runs.public
    return twin.format_chat(public), None


def _count(tally: Tally, runs: IdRuns | TextRuns, fusion: FusionStats) -> None:
    stats = tally.stats
    stats.remote_calls = runs.calls
    stats.remote_tokens = fusion.remote_positions
    stats.local_tokens = fusion.generated
    stats.extra["billed_tokens"] = float(runs.billed_tokens)
    stats.extra["calls_per_token"] = fusion.calls_per_token
    stats.extra["token_ids"] = float(isinstance(runs, IdRuns))  # 1: no re-tokenization
