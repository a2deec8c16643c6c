"""Per-strategy figures over a run's results, and each collaboration strategy against its
parts: paired differences with bootstrap intervals and the paper's gap closure."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cogenesis.core.evaluation.metrics import bootstrap_interval, gap_closure
from cogenesis.core.evaluation.results import Result

PARTS = ("local", "cloud")  # what each collaboration strategy combines
UPPER_BOUNDS = ("full", "local")  # cloud with the context, local with the context
JUDGE_CRITERIA = ("overall", "personalization", "quality")
COLLABORATIONS = ("sketch", "logit")  # strategy names start with one of these


@dataclass(frozen=True)
class StrategySummary:
    strategy: str
    samples: int
    answered: int  # with an answer (not refused, not failed)
    refused: int  # samples with at least one refused request
    rouge_l: float
    rouge_interval: tuple[float, float]
    coverage: float
    leakage: float  # leaked terms / sensitive terms, over all samples
    leaked: int
    requests: int
    calls_per_token: float | None
    billed_per_token: float | None
    remote_per_token: float | None
    first_token_ms: float | None  # median
    seconds: float  # mean per answer
    judge: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    """``strategy`` − ``part`` on ``metric``, paired by sample."""

    strategy: str
    part: str
    metric: str
    pairs: int
    mean: float
    interval: tuple[float, float]

    @property
    def verdict(self) -> str:
        low, high = self.interval
        return "better" if low > 0 else "worse" if high < 0 else "no difference shown"


@dataclass(frozen=True)
class Closure:
    strategy: str
    metric: str
    by_upper: dict[str, float | None]  # gap closure against each upper bound
    higher: str  # the upper bound with the higher score (the harder one to close)


def summarize(results: Sequence[Result]) -> list[StrategySummary]:
    order = list(dict.fromkeys(r.strategy for r in results))
    return [_summary(s, [r for r in results if r.strategy == s]) for s in order]


def _ratio(results: Sequence[Result], value: Callable[[Result], float | None]) -> float | None:
    values = [value(r) for r in results]
    generated = sum(r.generated_tokens for r in results)
    if not generated or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None) / generated


def _summary(strategy: str, results: Sequence[Result]) -> StrategySummary:
    rouge = [r.rouge_l for r in results]
    terms = sum(r.sensitive_terms for r in results)
    leaked = sum(len(r.leaked) for r in results)
    ttft = [r.first_token_ms for r in results if r.first_token_ms is not None]
    judge = {}
    for criterion in JUDGE_CRITERIA:
        scores = [s for r in results if (s := r.score(criterion)) is not None]
        if scores:
            judge[criterion] = statistics.fmean(scores)
    return StrategySummary(
        strategy=strategy,
        samples=len(results),
        answered=sum(not r.error for r in results),
        refused=sum(r.refused > 0 for r in results),
        rouge_l=statistics.fmean(rouge),
        rouge_interval=bootstrap_interval(rouge),
        coverage=statistics.fmean(r.coverage for r in results),
        leakage=leaked / terms if terms else 0.0,
        leaked=leaked,
        requests=sum(r.requests for r in results),
        calls_per_token=_ratio(results, lambda r: r.remote_calls),
        billed_per_token=_ratio(results, lambda r: r.billed_tokens),
        remote_per_token=_ratio(results, lambda r: r.remote_tokens),
        first_token_ms=statistics.median(ttft) if ttft else None,
        seconds=statistics.fmean(r.total_ms / 1000 for r in results),
        judge=judge,
    )


def metric_of(result: Result, metric: str) -> float | None:
    if metric == "rouge_l":
        return result.rouge_l
    if metric == "coverage":
        return result.coverage
    return result.score(metric)


def metrics_in(results: Sequence[Result]) -> list[str]:
    """ROUGE-L and coverage, and each judge criterion some result was scored on."""
    judged = [c for c in JUDGE_CRITERIA if any(r.score(c) is not None for r in results)]
    return ["rouge_l", "coverage", *judged]


def compare(results: Sequence[Result]) -> list[Comparison]:
    """Every collaboration strategy against each of its parts, on every metric."""
    by_key = {r.key: r for r in results}
    found = []
    for strategy in _collaborations(results):
        for part in PARTS:
            for metric in metrics_in(results):
                diffs = _paired(by_key, strategy, part, metric)
                if diffs:
                    found.append(
                        Comparison(
                            strategy,
                            part,
                            metric,
                            len(diffs),
                            statistics.fmean(diffs),
                            bootstrap_interval(diffs),
                        )
                    )
    return found


def closures(results: Sequence[Result]) -> list[Closure]:
    """Gap closure of each collaboration strategy, against both candidate upper bounds, on
    the samples every strategy involved answered."""
    by_key = {r.key: r for r in results}
    found = []
    for strategy in _collaborations(results):
        for metric in metrics_in(results):
            means = _means_on_common(by_key, [strategy, "cloud", *UPPER_BOUNDS], metric)
            if means is None:
                continue
            by_upper = {
                u: gap_closure(means[strategy], means["cloud"], means[u]) for u in UPPER_BOUNDS
            }
            higher = max(UPPER_BOUNDS, key=lambda u: means[u])
            found.append(Closure(strategy, metric, by_upper, higher))
    return found


def _collaborations(results: Sequence[Result]) -> list[str]:
    names = dict.fromkeys(r.strategy for r in results)
    return [s for s in names if s.split(":")[0] in COLLABORATIONS]


def _paired(
    by_key: dict[tuple[str, str], Result], strategy: str, part: str, metric: str
) -> list[float]:
    diffs = []
    for (sample, name), result in by_key.items():
        other = by_key.get((sample, part))
        if name != strategy or other is None:
            continue
        mine, theirs = metric_of(result, metric), metric_of(other, metric)
        if mine is not None and theirs is not None:
            diffs.append(mine - theirs)
    return diffs


def _means_on_common(
    by_key: dict[tuple[str, str], Result], strategies: list[str], metric: str
) -> dict[str, float] | None:
    samples = {sample for sample, _ in by_key}
    common = [
        s
        for s in sorted(samples)
        if all(
            (s, name) in by_key and metric_of(by_key[(s, name)], metric) is not None
            for name in strategies
        )
    ]
    if not common:
        return None
    return {
        name: statistics.fmean(metric_of(by_key[(s, name)], metric) or 0.0 for s in common)
        for name in strategies
    }
