"""The fusion rules, their guards against degenerate output, and sampling."""

from __future__ import annotations

import numpy as np
import pytest

from cogenesis.core.collab.fusion import FusionConfig, choose, fuse
from cogenesis.core.collab.noise import SampleNoise
from cogenesis.core.llm.distribution import log_softmax

CONFIG = FusionConfig(remote_weight=0.5, loop_ngram=3, loop_repeats=2)


def test_a_loop_is_not_entered_a_third_time() -> None:
    local = log_softmax(np.array([0.0, 4.0, 3.0, 0.0, 0.0], dtype=np.float32))
    top = [(1, -0.1), (2, -2.5)]
    fused = fuse(local, top, CONFIG)
    history = [3, 4, 1, 3, 4, 1, 3, 4]  # "3 4 1" twice already; 1 would make it three times
    assert choose(fused, local, top, frozenset(), CONFIG, history=history) == 2
    assert choose(fused, local, top, frozenset(), CONFIG, history=history[:5]) == 1


def test_a_short_cycle_is_cut_before_it_fills_the_answer() -> None:
    """ "[Your [Your [Your": a unit of two tokens, too short for the n-gram guard to see soon."""
    local = log_softmax(np.array([0.0, 4.0, 3.0, 0.0, 0.0], dtype=np.float32))
    top = [(1, -0.1), (2, -2.5)]
    config = FusionConfig()  # the defaults: units of up to 4 tokens over 8 or more
    fused = fuse(local, top, config)
    cycle = [4, 3, 1, 3, 1, 3, 1, 3]  # "3 1" three and a half times; 1 would close the fourth
    assert choose(fused, local, top, frozenset(), config, history=cycle) == 2
    assert choose(fused, local, top, frozenset(), config, history=cycle[2:]) == 1  # span 7


def test_a_run_of_one_token_may_reach_the_span() -> None:
    """Digits are single tokens in some vocabularies: "10000000" must still be writable."""
    local = log_softmax(np.array([4.0, 3.0, 0.0], dtype=np.float32))
    top = [(0, -0.1), (1, -2.5)]
    config = FusionConfig()
    fused = fuse(local, top, config)
    assert choose(fused, local, top, frozenset(), config, history=[1] + [0] * 6) == 0  # 7th
    assert choose(fused, local, top, frozenset(), config, history=[1] + [0] * 7) == 1  # 8th


def test_sampling_follows_the_fused_distribution() -> None:
    local = log_softmax(np.array([0.0, 2.0, 2.0, -9.0], dtype=np.float32))
    top = [(1, -0.7), (2, -0.7)]
    fused = fuse(local, top, CONFIG)
    draws = [choose(fused, local, top, frozenset(), CONFIG, SampleNoise(i)) for i in range(400)]
    counts = np.bincount(draws, minlength=4)
    assert counts[3] == 0  # no model rates it: never drawn
    assert 150 < counts[1] < 250 and 150 < counts[2] < 250, counts  # equal odds
    assert counts[0] < 40


def test_a_position_draws_the_same_token_from_the_same_distribution() -> None:
    """The noise depends on the seed and the position only: the same draw whoever asks, and
    another at the next position."""
    local = log_softmax(np.array([0.0, 2.0, 2.0, 1.5], dtype=np.float32))
    top = [(1, -0.7), (2, -0.7), (3, -1.5)]
    fused = fuse(local, top, CONFIG)
    noise = SampleNoise(11)
    first = [choose(fused, local, top, frozenset(), CONFIG, noise, [5] * 3) for _ in range(5)]
    assert len(set(first)) == 1
    assert first[0] == choose(fused, local, top, frozenset(), CONFIG, SampleNoise(11), [9] * 3)
    later = {choose(fused, local, top, frozenset(), CONFIG, noise, [5] * n) for n in range(40)}
    assert len(later) > 1


def test_low_temperature_sampling_is_nearly_greedy() -> None:
    local = log_softmax(np.array([1.0, 2.0, 0.0], dtype=np.float32))
    top = [(1, -0.3), (0, -1.5)]
    cold = FusionConfig(temperature=0.05)
    fused = fuse(local, top, cold)
    assert {choose(fused, local, top, frozenset(), cold, SampleNoise(i)) for i in range(50)} == {1}


def test_the_shift_rule_gives_the_local_model_when_the_remote_is_its_baseline() -> None:
    """Same model on both sides: the remote and the baseline cancel, the context stays."""
    rng = np.random.default_rng(3)
    local = log_softmax(rng.normal(size=12).astype(np.float32))
    public = log_softmax(rng.normal(size=12).astype(np.float32))
    top = [(int(i), float(public[i])) for i in range(12)]  # a top-k that is the whole vocabulary
    fused = fuse(local, top, FusionConfig(rule="shift"), baseline=public)
    np.testing.assert_allclose(fused, local, atol=1e-5)


def test_the_shift_rule_moves_the_remote_by_what_the_context_changes() -> None:
    public = log_softmax(np.array([2.0, 1.0, 0.0, 0.0], dtype=np.float32))
    local = log_softmax(np.array([0.0, 3.0, 0.0, 0.0], dtype=np.float32))  # context favours 1
    top = [(0, -0.2), (1, -2.0), (2, -3.0)]  # the remote, without context, prefers 0
    assert int(np.argmax(fuse(local, top, FusionConfig(rule="shift", shift=0.0), public))) == 0
    assert int(np.argmax(fuse(local, top, FusionConfig(rule="shift"), public))) == 1


def test_a_partial_correction_keeps_the_local_model_closer() -> None:
    """``correction`` c: local + c * (remote - baseline); 0 is the local model, 1 the full rule."""
    public = log_softmax(np.array([1.0, 1.0, 0.0, 0.0], dtype=np.float32))
    local = log_softmax(np.array([0.0, 2.0, 0.0, 0.0], dtype=np.float32))
    top = [(0, -0.1), (1, -3.0), (2, -3.5), (3, -3.5)]  # the remote knows better: 0
    pick = [
        int(np.argmax(fuse(local, top, FusionConfig(rule="shift", correction=c), public)))
        for c in (0.0, 0.25, 1.0)
    ]
    assert pick == [1, 1, 0]
    none = fuse(local, top, FusionConfig(rule="shift", correction=0.0), public)
    np.testing.assert_allclose(none, local, atol=1e-5)


def test_the_shift_rule_without_a_baseline_is_a_clear_error() -> None:
    local = log_softmax(np.zeros(4, dtype=np.float32))
    with pytest.raises(ValueError, match="baseline"):
        fuse(local, [(0, -0.1)], FusionConfig(rule="shift"))


def test_every_fusion_rule_a_user_can_choose_is_a_configuration() -> None:
    from cogenesis.core.collab.fusion import FUSION_PRESETS
    from cogenesis.core.settings import FUSION_RULES

    assert tuple(FUSION_PRESETS) == FUSION_RULES
    assert FUSION_PRESETS["shift"].rule == "shift" and FUSION_PRESETS["adaptive"].adaptive
