from __future__ import annotations

import numpy as np
import pytest

from cogenesis.core.llm import TokenDistribution, log_softmax


def test_log_softmax_is_stable_and_normalised() -> None:
    logits = np.array([1000.0, 1001.0, 999.0], dtype=np.float32)
    logprobs = log_softmax(logits)
    assert np.isfinite(logprobs).all()
    assert float(np.exp(logprobs.astype(np.float64)).sum()) == pytest.approx(1.0, abs=1e-6)


def test_top_k_is_sorted_and_matches_full() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=1000).astype(np.float32)
    full = TokenDistribution.from_logits(logits)
    top = TokenDistribution.from_logits(logits, top_k=10)
    assert top.token_ids is not None and list(top.token_ids) == list(np.argsort(-logits)[:10])
    assert top.logprobs == pytest.approx(full.logprobs[top.token_ids])
    assert full.top(3) == top.top(3)
    assert full.argmax() == int(np.argmax(logits))


def test_top_k_larger_than_vocabulary() -> None:
    dist = TokenDistribution.from_logits(np.zeros(4, dtype=np.float32), top_k=10)
    assert dist.token_ids is not None and len(dist.token_ids) == 4
