"""How far drafts go: the chance that a draft token is the fused one, counted as it goes."""

from __future__ import annotations

import numpy as np

from cogenesis.core.collab.draft_odds import (
    PRIOR,
    SURVIVAL,
    DraftOdds,
    bucket,
    odds_for,
)
from cogenesis.core.collab.drafts import ScoredDraft

SURE = np.log(np.array([0.97, 0.01, 0.01, 0.01], dtype=np.float32))
UNSURE = np.log(np.array([0.28, 0.24, 0.24, 0.24], dtype=np.float32))
ELSEWHERE = np.log(np.array([0.01, 0.97, 0.01, 0.01], dtype=np.float32))


def draft(*twin: np.ndarray) -> ScoredDraft:
    """Draft token 0 at every position; the twin's distributions as given."""
    return ScoredDraft([0] * len(twin), [SURE] * len(twin), list(twin))


def test_positions_are_sorted_by_what_the_twin_thought() -> None:
    scored = draft(SURE, UNSURE, ELSEWHERE)
    assert [bucket(scored, j) for j in range(3)] == [(True, 3), (True, 0), (False, 0)]


def test_the_chance_starts_at_the_prior_and_follows_what_the_walks_saw() -> None:
    odds, scored = DraftOdds(), draft(UNSURE, UNSURE, UNSURE, UNSURE)
    assert odds.chance(scored, 0) == PRIOR[(True, 0)]
    for _ in range(10):
        odds.observe(scored, [0, 0, 0, 0])  # every draft token was the fused one
    assert odds.chance(scored, 0) > 0.9
    for _ in range(200):
        odds.observe(scored, [5])  # the first was not
    assert odds.chance(scored, 0) < 0.2


def test_a_walk_counts_up_to_its_first_miss() -> None:
    odds, scored = DraftOdds(), draft(SURE, UNSURE, UNSURE)
    odds.observe(scored, [0, 7, 0])
    assert odds.seen == {(True, 3): 1, (True, 0): 1}
    assert odds.kept == {(True, 3): 1}


def test_drafting_stops_where_the_answer_has_likely_left_the_draft() -> None:
    odds = DraftOdds()
    assert odds.keep_going(draft(*[SURE] * 40))  # the twin sure every time: keep going
    unsure = [UNSURE] * 3
    chance = PRIOR[(True, 0)]
    assert chance**2 < SURVIVAL and not odds.keep_going(draft(*unsure[:2]))
    assert odds.keep_going(draft(UNSURE)) == (chance >= SURVIVAL)


def test_the_odds_are_kept_per_remote_vocabulary_and_rule() -> None:
    class Remote:
        pass

    remote, other = Remote(), Remote()
    assert odds_for(remote, "v", "shift") is odds_for(remote, "v", "shift")
    assert odds_for(remote, "v", "shift") is not odds_for(remote, "v", "product")
    assert odds_for(remote, "v", "shift") is not odds_for(other, "v", "shift")
