"""Branch verification: one remote request answers several likely futures of the answer.

Run verification (``runs``) stops at the first position where the fused token differs from
the remote's own, and the next call starts there: with the remote and the private model
disagreeing every few tokens, that is a call every few tokens. Here the local side first
drafts the fused continuation (the private model fused with its public twin, the stand-in for
the remote: ``drafts.TwinDrafter``) and marks where the remote is likely to go elsewhere:
after each draft token the twin would not have chosen or is unsure of. One request then holds
one prompt per such point: the answer, and the answer plus the draft up to that point (servers
that take token-id prompts take a list of them: llama.cpp's server, vLLM). The remote continues
each with its top-k at every position.

The walk is the same as run verification's: a position is fused only with the top-k the
remote gave for exactly the accepted prefix (a branch that starts with the accepted tokens
and whose run has followed them), so greedy output is identical to per-token fusion over the
same ids; the call ends at the first position no branch covers. The local distributions the
draft computed are the walk's own (the same prefixes), so a right guess costs no second pass.
While the request is away the local side decodes the position after the draft (where the
walk goes on when the answer takes all of it), and what a walk leaves of a draft it followed
starts the next one: no position is decoded twice.

The remote sees the public prompt, the public accepted answer, and the draft's prefixes up to
their first private term (the public side of the local model's guess of the next words).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

import numpy as np

from cogenesis.core.collab.baseline import PublicBaseline
from cogenesis.core.collab.draft_odds import DraftOdds
from cogenesis.core.collab.drafts import DraftView, ScoredDraft, TwinDrafter
from cogenesis.core.collab.fusion import FusionConfig, choose, fuse
from cogenesis.core.collab.noise import SampleNoise
from cogenesis.core.collab.runs import (
    DEFAULT_FUSION,
    FusionStats,
    RemotePosition,
    RunLength,
    shift_baseline,
)
from cogenesis.core.llm import LocalScorer
from cogenesis.core.llm.distribution import FloatArray

_LOG = logging.getLogger(__name__)

MAX_BRANCHES = 8  # prompts per request
MAX_DRAFT = 48  # tokens drafted for one request at most (``DraftOdds`` stops it sooner)
UNSURE = 0.3  # a draft token the twin rates below this may be where the remote goes elsewhere
RUN_SLACK = 4  # remote tokens asked beyond the draft's end
# Forced drafts (start, shortest, longest): a draft held by a grammar costs the remote one
# position per draft token and is rarely wrong for long, so they start long.
FORCED_DRAFTS = (32, 4, 64)

Branch = tuple[list[int], list[RemotePosition]]  # the draft prefix sent, the remote's run


class BranchRemote(Protocol):
    """The remote side of branch verification (``IdRuns`` where prompt lists are taken)."""

    def branches(
        self, answer: Sequence[int], drafts: Sequence[Sequence[int]], length: int
    ) -> list[Branch]: ...

    def forced(
        self, answer: Sequence[int], draft: Sequence[int], length: int
    ) -> list[RemotePosition]: ...


def branch_points(draft: DraftView, limit: int = MAX_BRANCHES) -> list[int]:
    """Where branches start: at the answer, and after each draft token the twin would not
    choose or is unsure of (up to ``limit`` in all, earliest first)."""
    points = [0]
    for j, token in enumerate(draft.tokens):
        if len(points) >= limit:
            break
        if draft.guess(j) != token or draft.twin_probability(j) < UNSURE:
            points.append(j + 1)
    return points


def run_length(points: Sequence[int], drafted: int) -> int:
    """Tokens each branch is continued by: the longest stretch from one branch point to the
    next (or to the draft's end) and some slack. A branch continued past the next point
    repeats what that point's branch computes when the remote follows the draft there; it is
    needed further only where the remote leaves the draft, and then the walk ends soon."""
    ends = [*points[1:], drafted]
    return max(end - start for start, end in zip(points, ends, strict=True)) + RUN_SLACK


def covering(branches: Sequence[Branch], fused: Sequence[int]) -> RemotePosition | None:
    """The remote's position for exactly ``fused`` (the tokens accepted in this call): from a
    branch that starts with a prefix of them and whose run has followed the rest."""
    offset, found, start_found = len(fused), None, -1
    for start, run in branches:
        j = len(start)
        usable = j <= offset < j + len(run) and j > start_found and list(fused[:j]) == start
        if usable and all(run[i].token == fused[j + i] for i in range(offset - j)):
            found, start_found = run[offset - j], j
    return found


def branch_verification(
    local: LocalScorer,
    prompt: Sequence[int],
    remote: BranchRemote,
    end_ids: frozenset[int],
    *,
    max_tokens: int,
    drafter: TwinDrafter,
    config: FusionConfig = DEFAULT_FUSION,
    rng: SampleNoise | None = None,
    stats: FusionStats | None = None,
    baseline: PublicBaseline | None = None,
    forced: bool = False,
    odds: DraftOdds | None = None,
) -> Iterator[int]:
    """Fused tokens, one remote request per walk; stops at an end token or ``max_tokens``.
    ``forced``: the request holds the remote to the whole draft instead (one prompt, see
    ``forced_branch``). ``odds``: how likely draft tokens are the fused ones (what earlier
    answers with this pair counted; new ones otherwise)."""
    stats = stats if stats is not None else FusionStats()
    baseline = shift_baseline(config, baseline)
    lengths = RunLength(*FORCED_DRAFTS)
    odds = odds if odds is not None else DraftOdds()
    reuse_public = baseline is not None and drafter.gives_baseline(baseline)
    answer: list[int] = []
    rest = ScoredDraft()  # what the last walk left of its draft (the answer followed it)
    while len(answer) < max_tokens:
        left = max_tokens - len(answer)
        began = time.perf_counter()
        if forced:
            draft = drafter.scored_draft(answer, min(lengths.value, left), start=rest)
        else:  # as far as the answer is likely to follow it (and worth it: ``DraftOdds``)
            draft = drafter.scored_draft(answer, min(MAX_DRAFT, left), odds.keep_going, rest)
        asking = time.perf_counter()
        computed = len(draft.private) - min(len(rest.private), len(draft.private))
        if answer and computed:  # the first draft also reads the prompts
            odds.costs.drafted(asking - began, computed)
        with _meanwhile(drafter.one_more(answer, draft) if len(draft.tokens) < left else None):
            if forced:
                found = forced_branch(remote, answer, draft, left)
            else:
                points = branch_points(draft)
                asked = min(left, run_length(points, len(draft.tokens)))
                found = remote.branches(answer, [draft.tokens[:j] for j in points], asked)
            odds.costs.called(time.perf_counter() - asking)
        stats.remote_calls += 1
        stats.remote_positions += sum(len(run) for _, run in found)
        start = len(answer)
        walk = _Walk(local, prompt, baseline, draft, answer, start, reuse_public)
        for token in _walked(walk, found, answer, max_tokens, config, rng, end_ids):
            stats.generated += 1
            yield token
            if token in end_ids:
                return
            answer.append(token)
        accepted = len(answer) - start
        followed = answer[start:] == draft.tokens[:accepted]
        rest = draft.after(accepted) if followed else ScoredDraft()
        stats.run_lengths.append(accepted)
        stats.drafted += len(draft.tokens)
        lengths.update(accepted, max(len(draft.tokens), 1))
        odds.observe(draft, answer[start:])


@contextmanager
def _meanwhile(job: Callable[[], None] | None) -> Iterator[None]:
    """Run ``job`` in another thread while the block runs (the remote is asked) and wait for
    it at the end: the local model decodes while the request is away. A job that fails
    leaves its draft as it was (the walk decodes that position itself)."""
    if job is None:
        yield
        return
    worker = threading.Thread(target=_quietly, args=(job,), name="draft-ahead", daemon=True)
    worker.start()
    try:
        yield
    finally:
        worker.join()


def _quietly(job: Callable[[], None]) -> None:
    try:
        job()
    except Exception:  # the walk computes the position again, and reports what fails then
        _LOG.debug("decoding ahead failed", exc_info=True)


def forced_branch(
    remote: BranchRemote, answer: Sequence[int], draft: ScoredDraft, left: int
) -> list[Branch]:
    """The whole draft as one branch from the accepted answer: the remote held to it (its
    top-k at every draft position, as echo would give) and then free for a few tokens.
    The walk follows it while the fused tokens are the ids the remote took."""
    slack = max(0, min(RUN_SLACK, left - len(draft.tokens)))
    return [([], remote.forced(answer, draft.tokens, slack))]


def _walked(
    walk: _Walk,
    found: Sequence[Branch],
    answer: list[int],
    max_tokens: int,
    config: FusionConfig,
    rng: SampleNoise | None,
    end_ids: frozenset[int],
) -> Iterator[int]:
    """One call's tokens (the caller appends each to ``answer``): fused while a branch covers
    the accepted prefix; the local model's own token when none covers even the first."""
    start = len(answer)
    while len(answer) < max_tokens:
        position = covering(found, answer[start:])
        if position is None:
            break
        private, public = walk.dists()
        fused = fuse(private, position.top, config, public)
        yield choose(fused, private, position.top, end_ids, config, rng, answer)
    if len(answer) == start:  # no branch came back: the local model goes on alone
        yield int(np.argmax(walk.dists()[0]))


class _Walk:
    """The local distributions at the walk's position: the draft's where the accepted tokens
    are the draft's, computed token by token (as per-token fusion does) elsewhere."""

    def __init__(
        self,
        local: LocalScorer,
        prompt: Sequence[int],
        baseline: PublicBaseline | None,
        draft: ScoredDraft,
        answer: list[int],
        start: int,
        reuse_public: bool,
    ) -> None:
        self._local, self._prompt, self._baseline = local, prompt, baseline
        self._draft, self._answer, self._start = draft, answer, start
        self._reuse_public = reuse_public

    def dists(self) -> tuple[FloatArray, FloatArray | None]:
        fused = self._answer[self._start :]
        offset = len(fused)
        drafted = offset < len(self._draft.private) and fused == self._draft.tokens[:offset]
        prefix = [*self._prompt, *self._answer]
        if drafted and self._reuse_public:
            return self._draft.private[offset], self._draft.public[offset]
        if drafted:
            public = self._baseline.next(self._answer) if self._baseline else None
            return self._draft.private[offset], public
        if self._baseline is None:
            return self._local.next_token_distribution(prefix).logprobs, None
        return self._baseline.next_with(self._local, prefix, self._answer)
