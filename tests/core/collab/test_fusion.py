"""The fusion rule's guards against degenerate output, and sampling."""

from __future__ import annotations

import numpy as np

from cogenesis.core.collab.fusion import FusionConfig, choose, fuse
from cogenesis.core.llm.distribution import log_softmax

CONFIG = FusionConfig(remote_weight=0.5, loop_ngram=3, loop_repeats=2)


def test_a_loop_is_not_entered_a_third_time() -> None:
    local = log_softmax(np.array([0.0, 4.0, 3.0, 0.0, 0.0], dtype=np.float32))
    top = [(1, -0.1), (2, -2.5)]
    fused = fuse(local, top, CONFIG)
    history = [3, 4, 1, 3, 4, 1, 3, 4]  # "3 4 1" twice already; 1 would make it three times
    assert choose(fused, local, top, frozenset(), CONFIG, history=history) == 2
    assert choose(fused, local, top, frozenset(), CONFIG, history=history[:5]) == 1


def test_sampling_follows_the_fused_distribution() -> None:
    local = log_softmax(np.array([0.0, 2.0, 2.0, -9.0], dtype=np.float32))
    top = [(1, -0.7), (2, -0.7)]
    fused = fuse(local, top, CONFIG)
    rng = np.random.default_rng(7)
    draws = [choose(fused, local, top, frozenset(), CONFIG, rng) for _ in range(400)]
    counts = np.bincount(draws, minlength=4)
    assert counts[3] == 0  # no model rates it: never drawn
    assert 150 < counts[1] < 250 and 150 < counts[2] < 250, counts  # equal odds
    assert counts[0] < 40


def test_low_temperature_sampling_is_nearly_greedy() -> None:
    local = log_softmax(np.array([1.0, 2.0, 0.0], dtype=np.float32))
    top = [(1, -0.3), (0, -1.5)]
    cold = FusionConfig(temperature=0.05)
    fused = fuse(local, top, cold)
    rng = np.random.default_rng(1)
    assert {choose(fused, local, top, frozenset(), cold, rng) for _ in range(50)} == {1}
