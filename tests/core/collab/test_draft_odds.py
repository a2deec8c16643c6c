"""How far drafts go: the chance that a draft token is the fused one, counted as it goes."""

from __future__ import annotations

import numpy as np

from cogenesis.core.collab.draft_odds import (
    COVER,
    MOST,
    PRIOR,
    DraftCosts,
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
    chance, wanted = PRIOR[(True, 0)], odds.costs.survival()
    assert chance**2 < wanted and not odds.keep_going(draft(*unsure[:2]))
    assert odds.keep_going(draft(UNSURE)) == (chance >= wanted)


def test_a_slow_remote_gets_longer_drafts_than_a_fast_one() -> None:
    fast = DraftOdds(costs=DraftCosts(call_s=0.05, decode_s=0.1, pinned=True))
    slow = DraftOdds(costs=DraftCosts(call_s=2.0, decode_s=0.1, pinned=True))
    fading = [np.log(np.array([p, 1 - p], dtype=np.float32)) for p in (0.8, 0.8, 0.8, 0.8)]
    lengths = []
    for odds in (fast, slow):
        length = 1
        while length < 4 and odds.keep_going(draft(*fading[:length])):
            length += 1
        lengths.append(length)
    assert lengths[0] < lengths[1]


def test_the_wanted_survival_weighs_a_decode_against_a_share_of_a_call() -> None:
    costs = DraftCosts(call_s=0.6, decode_s=0.1, pinned=True)
    assert costs.survival() == 0.1 / (0.1 + 0.6 / COVER)
    assert DraftCosts(call_s=0.0, decode_s=0.1).survival() == MOST  # never a whole draft away


def test_costs_follow_what_was_measured_unless_pinned() -> None:
    costs = DraftCosts()
    costs.called(1.5)  # the first measurement replaces the guess
    costs.drafted(0.4, 4)
    assert (costs.call_s, costs.decode_s) == (1.5, 0.1)
    costs.called(0.5)
    assert 0.5 < costs.call_s < 1.5 and costs.calls == 2 and costs.call_total_s == 2.0
    pinned = DraftCosts(call_s=0.2, decode_s=0.05, pinned=True)
    pinned.called(3.0)
    pinned.drafted(1.0, 2)
    assert (pinned.call_s, pinned.decode_s) == (0.2, 0.05) and pinned.calls == 1


def test_the_odds_are_kept_per_remote_vocabulary_and_rule() -> None:
    class Remote:
        pass

    remote, other = Remote(), Remote()
    assert odds_for(remote, "v", "shift") is odds_for(remote, "v", "shift")
    assert odds_for(remote, "v", "shift") is not odds_for(remote, "v", "product")
    assert odds_for(remote, "v", "shift") is not odds_for(other, "v", "shift")
