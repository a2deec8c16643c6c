"""The per-answer measures: ROUGE-L, profile coverage, leakage, and their statistics."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import numpy as np

from cogenesis.core.evaluation.dataset import Sample

_WORD = re.compile(r"[a-z]{4,}")
# Profile lines that describe the person (Age and Name are single facts, not details to cover).
_NOT_DETAILS = ("Age", "Name")
# Profile lines whose values are the person's identifying facts, whatever the app's detectors
# make of them: with the vault's terms they are what must not leave.
SENSITIVE_KEYS = ("Name", "Occupation", "Location", "Privacy_info")


@cache
def _scorer() -> Any:
    from rouge_score import rouge_scorer  # the eval extra

    quiet_absl()
    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)


def quiet_absl() -> None:
    """rouge-score imports absl, whose logging puts a handler on the root logger: every
    INFO line of the app then went to stderr, through the progress bar."""
    try:
        from absl import logging as absl_logging
    except ImportError:
        return
    logging.getLogger().removeHandler(absl_logging.get_absl_handler())


def rouge_l(reference: str, text: str) -> float:
    """ROUGE-L F-measure of ``text`` against ``reference`` (Porter stemming, as the paper)."""
    if not text.strip():
        return 0.0
    return float(_scorer().score(reference, text)["rougeL"].fmeasure)


def profile_details(sample: Sample) -> list[frozenset[str]]:
    """The content words (4+ letters) of each ``;``-separated profile detail."""
    details = []
    for line in sample.profile_lines.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in _NOT_DETAILS:
            continue
        for part in value.split(";"):
            words = frozenset(_WORD.findall(part.casefold()))
            if words:
                details.append(words)
    return details


def coverage(text: str, details: Sequence[frozenset[str]]) -> float:
    """Share of ``details`` at least half of whose words appear in ``text``."""
    if not details:
        return 0.0
    words = set(_WORD.findall(text.casefold()))
    return sum(len(d & words) * 2 >= len(d) for d in details) / len(details)


def sensitive_terms(sample: Sample, vault_terms: Iterable[str]) -> list[str]:
    """The user's sensitive terms: what the vault's index protects, and the values of the
    profile's identifying lines as the dataset states them (so leakage is not measured only
    against the app's own detectors)."""
    terms = {t.strip().casefold() for t in vault_terms}
    for key in SENSITIVE_KEYS:
        terms.update(part.strip().casefold() for part in sample.profile_value(key).split(";"))
    return sorted(t for t in terms if len(t) >= 3)


def occurs(term: str, lowered: str) -> bool:
    """``term`` (case-folded) in ``lowered`` and not part of a longer word there."""
    before = r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", term) else ""
    after = r"(?![a-z0-9])" if re.search(r"[a-z0-9]$", term) else ""
    return re.search(before + re.escape(term) + after, lowered) is not None


def leaked_terms(terms: Sequence[str], sent: Iterable[str]) -> list[str]:
    """The ``terms`` found in anything that was sent."""
    lowered = "\n".join(sent).casefold()
    return [t for t in terms if occurs(t, lowered)]


def bootstrap_interval(
    values: Sequence[float], rounds: int = 5000, seed: int = 0
) -> tuple[float, float]:
    """The 95% percentile-bootstrap interval of the mean of ``values``."""
    if not values:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    data = np.asarray(values, dtype=np.float64)
    means = rng.choice(data, size=(rounds, len(data)), replace=True).mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def gap_closure(strategy: float, cloud: float, upper: float) -> float | None:
    """The paper's gap closure: (strategy − cloud without context) / (upper − cloud); None
    when the upper bound does not exceed the cloud (no gap to close)."""
    gap = upper - cloud
    return (strategy - cloud) / gap if gap > 0 else None
