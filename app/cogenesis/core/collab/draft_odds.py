"""How far a draft is worth making: the chance that each drafted token is the fused one.

A branch request can only cover the answer while it follows the draft (or a run the remote
continues from one of its points), so a drafted position after the answer has most likely
left the draft costs the local model and its twin a decode for nothing. The chance that the
fused token at a draft position is the draft's own depends on what the twin (the stand-in for
the remote) thought of it: whether it would have chosen it too, and how sure it was. Those
chances are counted as the answer goes (each walk says, for every draft position it reached,
whether the fused token was the draft's), starting from what they were on the tuning samples,
so they adapt to the pair in use: a twin of the remote's own model is nearly always right.
They are kept for the session, per remote, local vocabulary and fusion rule (``odds_for``).

Where drafting stops weighs what a call costs against what a paired decode costs, both as
measured in this session (``DraftCosts``). One more draft token costs a decode for nothing
when the answer leaves the draft before it (chance ``1 - s``, ``s`` the chance it still follows
the draft there) and nothing when the answer follows it (the walk needs that decode anyway);
then the request covers one more token, worth about ``1 / COVER`` of a call. So drafting goes on
while ``s * call / COVER >= (1 - s) * decode``: while ``s >= decode / (decode + call / COVER)``.
A slow remote gets long drafts (fewer calls), a fast one short drafts (fewer decodes wasted).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from cogenesis.core.collab.drafts import DraftView

# A call's share of the cost of one more covered token, fitted on traces of dev samples 0-4
# (Qwen2.5-Coder 0.5B with a 1.5B remote, and the starter model on both sides).
COVER = 6.0
LEAST, MOST = 0.05, 0.95  # the survival asked for stays between these
SMOOTHING = 0.3  # weight of the newest measurement in the running costs
BANDS = (0.3, 0.7, 0.95)  # the twin's probability of the draft token, in bands
# The fused token was the draft's this often on the tuning samples, per (the twin chose the
# draft token too, its band): the prior, worth PRIOR_WEIGHT observations.
PRIOR = {
    (True, 0): 0.34,
    (True, 1): 0.72,
    (True, 2): 0.88,
    (True, 3): 0.99,
    (False, 0): 0.51,
    (False, 1): 0.67,
    (False, 2): 0.67,
    (False, 3): 0.67,
}
PRIOR_WEIGHT = 2.0

Bucket = tuple[bool, int]


def bucket(draft: DraftView, j: int) -> Bucket:
    """Position ``j``'s kind: whether the twin would choose the draft token, how sure it is."""
    probability = draft.twin_probability(j)
    band = sum(probability >= edge for edge in BANDS)
    return draft.guess(j) == draft.tokens[j], band


@dataclass
class DraftCosts:
    """What a remote call and a paired decode of the local model and its twin take, in
    seconds: running averages of what this session measured, from a guess before the first
    (``pinned``: kept as given, for figures that must not depend on timing)."""

    call_s: float = 0.3
    decode_s: float = 0.1
    pinned: bool = False
    calls: int = 0
    call_total_s: float = 0.0
    drafts: int = 0  # drafts measured

    def called(self, seconds: float) -> None:
        """One remote call took ``seconds`` (request, remote, answer read)."""
        self.calls += 1
        self.call_total_s += seconds
        if not self.pinned:
            self.call_s = _averaged(self.call_s, seconds, self.calls == 1)

    def drafted(self, seconds: float, positions: int) -> None:
        """Drafting ``positions`` positions took ``seconds``."""
        if positions > 0 and not self.pinned:
            self.drafts += 1
            self.decode_s = _averaged(self.decode_s, seconds / positions, self.drafts == 1)

    def survival(self) -> float:
        """How likely the answer must still be to follow the draft for one more token."""
        wanted = self.decode_s / (self.decode_s + self.call_s / COVER)
        return min(MOST, max(LEAST, wanted))


def _averaged(old: float, new: float, first: bool) -> float:
    return new if first else (1 - SMOOTHING) * old + SMOOTHING * new


@dataclass
class DraftOdds:
    """The chance that a draft token is the fused one, by bucket, counted as the answer goes,
    and what calls and decodes cost."""

    kept: dict[Bucket, float] = field(default_factory=dict)
    seen: dict[Bucket, float] = field(default_factory=dict)
    costs: DraftCosts = field(default_factory=DraftCosts)

    def chance(self, draft: DraftView, j: int) -> float:
        kind = bucket(draft, j)
        kept = self.kept.get(kind, 0.0) + PRIOR[kind] * PRIOR_WEIGHT
        return kept / (self.seen.get(kind, 0.0) + PRIOR_WEIGHT)

    def keep_going(self, draft: DraftView) -> bool:
        """Whether to draft one more token after ``draft``: while it is likely enough that the
        answer still follows it (``DraftCosts.survival``)."""
        survival = 1.0
        for j in range(len(draft.tokens)):
            survival *= self.chance(draft, j)
        return survival >= self.costs.survival()

    def observe(self, draft: DraftView, fused: Sequence[int]) -> None:
        """Count the draft positions the walk reached: up to and with the first whose fused
        token was not the draft's."""
        for j, token in enumerate(draft.tokens[: len(fused)]):
            kind = bucket(draft, j)
            self.seen[kind] = self.seen.get(kind, 0.0) + 1
            if fused[j] != token:
                return
            self.kept[kind] = self.kept.get(kind, 0.0) + 1


_KNOWN: weakref.WeakKeyDictionary[object, dict[tuple[str, str], DraftOdds]] = (
    weakref.WeakKeyDictionary()
)


def odds_for(remote: object, vocabulary: str, rule: str) -> DraftOdds:
    """The odds counted so far with this remote, local vocabulary and fusion rule."""
    known = _KNOWN.setdefault(remote, {})
    return known.setdefault((vocabulary, rule), DraftOdds())
