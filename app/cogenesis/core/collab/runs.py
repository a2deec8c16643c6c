"""Logit fusion with run verification: far fewer remote calls, the same greedy output.

Per-token fusion asks the remote for its top-k at every step. Run verification asks once for
a run of ``d`` tokens (the remote's own greedy continuation, with top-k at every position),
scores the same positions locally in one batched pass, and walks the run: while the fused
choice equals the remote's token the remote's next position is still conditioned on the
right prefix, so its top-k is exactly what per-token fusion would have asked for; at the
first disagreement the fused token is taken and the next call starts from there. Greedy
output is therefore identical to per-token fusion whenever the remote conditions on the same
token ids; with sampling, each token is drawn from the same fused distribution.

The remote sees only the public prompt (inside ``RemoteRuns``) and the accepted answer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from cogenesis.core.collab.baseline import PublicBaseline
from cogenesis.core.collab.fusion import FusionConfig, TopK, choose, fuse
from cogenesis.core.collab.noise import SampleNoise
from cogenesis.core.llm import LocalScorer
from cogenesis.core.llm.distribution import FloatArray

DEFAULT_FUSION = FusionConfig()


@dataclass(frozen=True)
class RemotePosition:
    token: int  # the remote's own (greedy) choice at this position
    top: TopK


class RemoteRuns(Protocol):
    """The remote side at token level; the public prompt lives inside the implementation."""

    def run(
        self, answer: Sequence[int], length: int, draft: Sequence[int] = ()
    ) -> list[RemotePosition]:
        """Score ``draft`` after public prompt + ``answer`` (one position per draft token, whose
        ``token`` is the draft's), then continue for up to ``length`` tokens (fewer at its end).
        A remote that cannot score drafts ignores ``draft`` and only continues ``answer``."""


class Drafter(Protocol):
    """Guesses the fused continuation, so that one remote call can verify it."""

    def draft(self, answer: Sequence[int], length: int) -> list[int]: ...


@dataclass
class FusionStats:
    remote_calls: int = 0
    remote_positions: int = 0  # positions the remote generated (billed completion tokens)
    generated: int = 0
    drafted: int = 0  # tokens the local side drafted for the requests
    run_lengths: list[int] = field(default_factory=list)  # accepted tokens per call

    @property
    def calls_per_token(self) -> float:
        return self.remote_calls / max(self.generated, 1)


class RunLength:
    """``d`` follows recent acceptance: longer after fully accepted runs, shorter after misses."""

    def __init__(self, start: int = 8, low: int = 2, high: int = 48) -> None:
        self.value, self._low, self._high = start, low, high
        self._recent: deque[int] = deque(maxlen=4)

    def update(self, accepted: int, asked: int) -> None:
        self._recent.append(accepted)
        if accepted >= asked:
            self.value = min(self.value * 2, self._high)
        else:
            mean = sum(self._recent) / len(self._recent)
            self.value = max(self._low, min(self._high, round(1.5 * mean) + 2))


def per_token_fusion(
    local: LocalScorer,
    prompt: Sequence[int],
    remote: RemoteRuns,
    end_ids: frozenset[int],
    *,
    max_tokens: int,
    config: FusionConfig = DEFAULT_FUSION,
    rng: SampleNoise | None = None,
    stats: FusionStats | None = None,
    baseline: PublicBaseline | None = None,
) -> Iterator[int]:
    """The reference: one remote call per generated token (a schedule that always fuses)."""
    yield from scheduled_fusion(
        local,
        prompt,
        remote,
        end_ids,
        max_tokens=max_tokens,
        config=config,
        rng=rng,
        stats=stats,
        schedule=ALWAYS_FUSE,
        baseline=baseline,
    )


def run_verification(
    local: LocalScorer,
    prompt: Sequence[int],
    remote: RemoteRuns,
    end_ids: frozenset[int],
    *,
    max_tokens: int,
    config: FusionConfig = DEFAULT_FUSION,
    rng: SampleNoise | None = None,
    stats: FusionStats | None = None,
    length: RunLength | None = None,
    drafter: Drafter | None = None,
    baseline: PublicBaseline | None = None,
) -> Iterator[int]:
    """Fused tokens, one remote call per run; stops at an end token or ``max_tokens``.

    With a ``drafter``, each call first has the remote score a guessed fused continuation
    (its top-k at every draft position), then continue after it: one call then covers every
    disagreement the draft guessed right. The walk, and so the output, is the same.
    ``baseline``: needed by the "shift" rule (scored over the same run)."""
    stats = stats if stats is not None else FusionStats()
    baseline = shift_baseline(config, baseline)
    length = length or RunLength()
    drafts = RunLength(start=8, low=2, high=32)
    hits: deque[int] = deque(maxlen=4)  # draft tokens accepted, recent calls
    answer: list[int] = []
    while len(answer) < max_tokens:
        draft = drafter.draft(answer, drafts.value) if drafter and _worth(hits, stats) else []
        draft = draft[: max_tokens - len(answer)]
        asked = max(1, min(length.value, max_tokens - len(answer) - len(draft)))
        positions = remote.run(answer, asked, draft) if draft else remote.run(answer, asked)
        stats.remote_calls += 1
        stats.remote_positions += max(len(positions) - len(draft), 0)
        run = [p.token for p in positions]
        scored, bases = _scored(local, prompt, answer, run, baseline)
        accepted = 0
        for position, dist, base in zip(positions, scored, bases, strict=False):
            if len(answer) >= max_tokens:
                return
            fused = fuse(dist, position.top, config, base)
            token = choose(fused, dist, position.top, end_ids, config, rng, answer)
            stats.generated += 1
            yield token
            if token in end_ids:
                return
            answer.append(token)
            if token != position.token:
                break
            accepted += 1
        else:
            if not positions:  # the remote has nothing to add: the local model goes on
                token = int(np.argmax(scored[0]))
                stats.generated += 1
                yield token
                if token in end_ids:
                    return
                answer.append(token)
        stats.run_lengths.append(accepted)
        if draft:
            drafts.update(min(accepted, len(draft)), len(draft))
            hits.append(min(accepted, len(draft)))
        if accepted >= len(draft):
            length.update(accepted - len(draft), asked)


def _scored(
    local: LocalScorer,
    prompt: Sequence[int],
    answer: Sequence[int],
    run: Sequence[int],
    baseline: PublicBaseline | None,
) -> tuple[list[FloatArray], Sequence[FloatArray | None]]:
    """The local model over ``run`` after the answer, and the baseline beside it (if any)."""
    prefix = [*prompt, *answer]
    if baseline is None:
        return [d.logprobs for d in local.score_run(prefix, run)], [None] * (len(run) + 1)
    return baseline.score_with(local, prefix, answer, run)


def _worth(hits: deque[int], stats: FusionStats) -> bool:
    """Draft while drafts get accepted; after four poor ones, try again every fourth call
    (a rejected draft wastes the call's continuation, which plain runs would have used)."""
    if len(hits) < hits.maxlen or sum(hits) >= len(hits):  # type: ignore[operator]
        return True
    return stats.remote_calls % 4 == 0


@dataclass(frozen=True)
class Schedule:
    """The paper's schedule: fuse for the first ``first`` steps, then ``local_steps`` local-only
    steps and ``fused_steps`` fused steps in turn."""

    first: int = 8
    local_steps: int = 4
    fused_steps: int = 2

    def fused(self, step: int) -> bool:
        if step < self.first:
            return True
        period = self.local_steps + self.fused_steps
        return period == 0 or (step - self.first) % period >= self.local_steps


def scheduled_fusion(
    local: LocalScorer,
    prompt: Sequence[int],
    remote: RemoteRuns,
    end_ids: frozenset[int],
    *,
    max_tokens: int,
    config: FusionConfig = DEFAULT_FUSION,
    rng: SampleNoise | None = None,
    stats: FusionStats | None = None,
    schedule: Schedule | None = None,
    baseline: PublicBaseline | None = None,
) -> Iterator[int]:
    """Per-token fusion on the scheduled steps, the local model alone in between."""
    stats = stats if stats is not None else FusionStats()
    baseline = shift_baseline(config, baseline)
    schedule = schedule or Schedule()
    answer: list[int] = []
    while len(answer) < max_tokens:
        prefix = [*prompt, *answer]
        top: TopK = ()
        if schedule.fused(len(answer)):
            positions = remote.run(answer, 1)
            stats.remote_calls += 1
            stats.remote_positions += len(positions)
            top = positions[0].top if positions else ()
        if top and baseline is not None:
            local_dist, base = baseline.next_with(local, prefix, answer)
        else:
            local_dist, base = local.next_token_distribution(prefix).logprobs, None
        if top:
            fused = fuse(local_dist, top, config, base)
            token = choose(fused, local_dist, top, end_ids, config, rng, answer)
        else:
            token = int(np.argmax(local_dist))
        stats.generated += 1
        yield token
        if token in end_ids:
            return
        answer.append(token)


ALWAYS_FUSE = Schedule(first=0, local_steps=0, fused_steps=1)


def shift_baseline(config: FusionConfig, baseline: PublicBaseline | None) -> PublicBaseline | None:
    """The baseline when the rule uses one (None otherwise); a clear error when it is missing."""
    if config.rule != "shift":
        return None
    if baseline is None:
        raise ValueError("the shift rule needs a PublicBaseline (the local model, public prompt)")
    return baseline
