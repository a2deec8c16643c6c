"""The PNG charts of a personalization report (matplotlib, drawn off screen)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cogenesis.core.evaluation.summary import StrategySummary


def draw_charts(out: Path, summaries: Sequence[StrategySummary]) -> list[str]:
    """Bar charts of ROUGE-L (with its 95% interval), leakage and remote calls per token;
    the file names written into ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    names = [s.strategy for s in summaries]
    charts = [
        (
            "rouge-l.png",
            "ROUGE-L against the reference (95% interval)",
            [s.rouge_l for s in summaries],
            [s.rouge_interval for s in summaries],
        ),
        (
            "leakage.png",
            "Leakage: share of sensitive terms that left",
            [s.leakage for s in summaries],
            None,
        ),
        (
            "calls-per-token.png",
            "Remote calls per generated token",
            [s.calls_per_token or 0.0 for s in summaries],
            None,
        ),
    ]
    out.mkdir(parents=True, exist_ok=True)
    return [
        _bar(out / name, title, names, values, intervals)
        for name, title, values, intervals in charts
    ]


def _bar(
    path: Path,
    title: str,
    names: list[str],
    values: list[float],
    intervals: Sequence[tuple[float, float]] | None,
) -> str:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(max(4.0, 1.1 * len(names) + 1.5), 3.2), dpi=110)
    errors = None
    if intervals is not None:
        errors = [
            [max(0.0, v - low) for v, (low, _) in zip(values, intervals, strict=True)],
            [max(0.0, high - v) for v, (_, high) in zip(values, intervals, strict=True)],
        ]
    axes.bar(names, values, yerr=errors, capsize=4, color="#4a7bb7")
    axes.set_title(title, fontsize=10)
    axes.tick_params(axis="x", labelrotation=20, labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path.name
