"""Per-strategy figures, paired comparisons and gap closure, on results built by hand."""

from __future__ import annotations

import pytest

from cogenesis.core.evaluation.results import Result
from cogenesis.core.evaluation.summary import closures, compare, summarize

ROUGE = {  # sample -> strategy -> ROUGE-L
    "a": {"local": 0.30, "cloud": 0.20, "full": 0.40, "sketch": 0.35},
    "b": {"local": 0.10, "cloud": 0.20, "full": 0.30, "sketch": 0.25},
}


def results() -> list[Result]:
    found = []
    for sample, rows in ROUGE.items():
        for strategy, rouge in rows.items():
            found.append(
                Result(
                    sample,
                    strategy,
                    text="x",
                    rouge_l=rouge,
                    remote_calls=0 if strategy == "local" else 2,
                    generated_tokens=10,
                    sensitive_terms=5,
                    leaked=["n"] if strategy == "full" else [],
                    judge={"overall": {"score": 6 if strategy == "sketch" else 4}},
                )
            )
    return found


def test_each_strategy_is_summed_over_its_samples() -> None:
    by_name = {s.strategy: s for s in summarize(results())}
    assert list(by_name) == ["local", "cloud", "full", "sketch"]
    assert by_name["sketch"].rouge_l == pytest.approx(0.30)
    assert by_name["cloud"].calls_per_token == pytest.approx(4 / 20)
    assert by_name["full"].leakage == pytest.approx(2 / 10)
    assert by_name["sketch"].judge == {"overall": 6.0}


def test_a_collaboration_is_compared_with_each_of_its_parts_by_sample() -> None:
    found = {(c.part, c.metric): c for c in compare(results())}
    vs_local = found[("local", "rouge_l")]
    assert vs_local.pairs == 2 and vs_local.mean == pytest.approx((0.05 + 0.15) / 2)
    assert found[("cloud", "rouge_l")].mean == pytest.approx(0.10)
    assert found[("cloud", "overall")].mean == pytest.approx(2.0)
    assert found[("cloud", "overall")].verdict == "better"  # every pair +2


def test_gap_closure_names_the_higher_upper_bound() -> None:
    (rouge, *_rest) = [g for g in closures(results()) if g.metric == "rouge_l"]
    # means: sketch 0.30, cloud 0.20, full 0.35, local 0.20
    assert rouge.by_upper["full"] == pytest.approx((0.30 - 0.20) / (0.35 - 0.20))
    assert rouge.by_upper["local"] is None  # local is not above the cloud here
    assert rouge.higher == "full"
