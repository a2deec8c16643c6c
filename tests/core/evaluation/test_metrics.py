"""The per-answer measures against values computed by hand."""

from __future__ import annotations

import math

import pytest

from cogenesis.core.evaluation.dataset import parse_samples
from cogenesis.core.evaluation.metrics import (
    bootstrap_interval,
    coverage,
    gap_closure,
    leaked_terms,
    profile_details,
    rouge_l,
    sensitive_terms,
)
from tests.core.evaluation.samples import SAMPLES


def test_rouge_l_is_the_f_measure_of_the_longest_common_subsequence() -> None:
    # LCS 5 of 5 candidate tokens and 6 reference tokens: P 1, R 5/6, F 2PR/(P+R) = 10/11
    assert rouge_l("the cat sat on the mat", "the cat on the mat") == pytest.approx(10 / 11)
    assert rouge_l("the cat sat", "") == 0.0
    # stemming: "sitting" and "sits" are not "sat", but "cats" is "cat"
    assert rouge_l("cats sleep", "cat sleeps") == pytest.approx(1.0)


def test_coverage_counts_details_half_of_whose_words_appear() -> None:
    details = [frozenset({"knee", "surgery", "recovering"}), frozenset({"beekeeper"})]
    assert coverage("After my knee surgery I rest.", details) == 0.5  # 2 of 3 words; 0 of 1
    assert coverage("A beekeeper's knee", details) == 0.5  # 1 of 3 is under half
    assert coverage("anything", []) == 0.0


def test_profile_details_leave_out_age_and_name() -> None:
    sample = parse_samples(SAMPLES)[0]
    details = profile_details(sample)
    assert frozenset({"beekeeper"}) in details
    assert frozenset({"recovering", "from", "knee", "surgery"}) in details
    assert not any("marisol" in d for d in details)  # the name is not a detail to cover


def test_sensitive_terms_join_the_vaults_terms_and_the_identifying_profile_lines() -> None:
    sample = parse_samples(SAMPLES)[0]
    terms = sensitive_terms(sample, ["Quenby", "ab"])
    assert "quenby" in terms and "marisol quenby" in terms and "tromsø" in terms
    assert "saving for a farmhouse" in terms and "beekeeper" in terms
    assert "ab" not in terms  # too short to count


def test_a_term_leaks_only_as_a_whole_word() -> None:
    terms = ["ghent", "ann", "saving for a farmhouse"]
    sent = ['{"content": "Planning a trip to Ghent; annual saving for a farmhouse"}']
    assert leaked_terms(terms, sent) == ["ghent", "saving for a farmhouse"]  # not "ann"


def test_bootstrap_interval_brackets_the_mean() -> None:
    assert bootstrap_interval([0.25] * 10) == (0.25, 0.25)
    low, high = bootstrap_interval([0.0, 1.0] * 20)
    assert low < 0.5 < high and low > 0.2 and high < 0.8
    assert all(math.isnan(v) for v in bootstrap_interval([]))


def test_gap_closure_is_the_share_of_the_gap_to_the_upper_bound() -> None:
    assert gap_closure(0.3, 0.2, 0.4) == pytest.approx(0.5)
    assert gap_closure(0.1, 0.2, 0.4) == pytest.approx(-0.5)
    assert gap_closure(0.3, 0.4, 0.4) is None  # no gap to close
