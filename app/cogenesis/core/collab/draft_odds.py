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
Drafting stops where the draft is less than ``SURVIVAL`` likely to still be the answer.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from cogenesis.core.collab.drafts import DraftView

SURVIVAL = 0.2  # chosen on dev samples 0-4 (Qwen2.5-Coder 0.5B with a 1.5B remote)
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
class DraftOdds:
    """The chance that a draft token is the fused one, by bucket, counted as the answer goes."""

    kept: dict[Bucket, float] = field(default_factory=dict)
    seen: dict[Bucket, float] = field(default_factory=dict)

    def chance(self, draft: DraftView, j: int) -> float:
        kind = bucket(draft, j)
        kept = self.kept.get(kind, 0.0) + PRIOR[kind] * PRIOR_WEIGHT
        return kept / (self.seen.get(kind, 0.0) + PRIOR_WEIGHT)

    def keep_going(self, draft: DraftView) -> bool:
        """Whether to draft one more token after ``draft``: while it is at least ``SURVIVAL``
        likely that the answer still follows it."""
        survival = 1.0
        for j in range(len(draft.tokens)):
            survival *= self.chance(draft, j)
        return survival >= SURVIVAL

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
