"""The Markdown report of a personalization run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cogenesis.core.evaluation.summary import Closure, Comparison, StrategySummary

METRIC_NAMES = {
    "rouge_l": "ROUGE-L",
    "coverage": "profile coverage",
    "overall": "judge: overall",
    "personalization": "judge: personalization",
    "quality": "judge: quality without the profile",
}


@dataclass(frozen=True)
class RunInfo:
    dataset: str
    samples: int
    local_model: str
    remote: str
    judge: str  # '' without a judge
    max_tokens: int
    seed: int
    started: str
    seconds: float
    command: str


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def render(
    info: RunInfo,
    summaries: Sequence[StrategySummary],
    comparisons: Sequence[Comparison],
    gap: Sequence[Closure],
    charts: Sequence[str],
) -> str:
    lines = [
        "# CoGenesis evaluation: personalization",
        "",
        f"- Dataset: `{info.dataset}`, {info.samples} sample(s); up to {info.max_tokens} "
        f"tokens per answer, seed {info.seed}",
        f"- Local model (sees the private context): {info.local_model}",
        f"- Remote model (never sees it, except in `full`): {info.remote}",
        f"- Judge: {info.judge or 'none'}",
        f"- Started {info.started}; took {info.seconds / 60:.1f} min",
        f"- Command: `{info.command}`",
        "",
        "## Per strategy",
        "",
        *_table(summaries),
        "",
        "Leakage: share of the user's sensitive terms (the vault's terms and the profile's "
        "name, occupation, location and privacy details) found in anything that left the "
        "device, read from each sample's egress ledger. `full` sends the context by design.",
        "",
    ]
    lines += _comparisons(comparisons) + _closures(gap)
    lines += [f"![{name}]({name})" for name in charts]
    return "\n".join(lines) + "\n"


def _table(summaries: Sequence[StrategySummary]) -> list[str]:
    judged = [
        c for c in ("overall", "personalization", "quality") if any(c in s.judge for s in summaries)
    ]
    head = [
        "strategy",
        "samples",
        "answered",
        "refused",
        "ROUGE-L (95% CI)",
        "coverage",
        "leakage",
        "calls/token",
        "billed/token",
        "remote tok/token",
        "first token ms",
        "s/answer",
        *(METRIC_NAMES[c] for c in judged),
    ]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in summaries:
        low, high = s.rouge_interval
        cells = [
            f"`{s.strategy}`",
            str(s.samples),
            str(s.answered),
            str(s.refused),
            f"{s.rouge_l:.3f} [{low:.3f}, {high:.3f}]",
            f"{s.coverage:.1%}",
            f"{s.leakage:.1%} ({s.leaked})",
            _num(s.calls_per_token),
            _num(s.billed_per_token, 1),
            _num(s.remote_per_token, 2),
            _ms(s.first_token_ms),
            f"{s.seconds:.1f}",
            *(_num(s.judge.get(c), 2) for c in judged),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _comparisons(comparisons: Sequence[Comparison]) -> list[str]:
    if not comparisons:
        return []
    lines = [
        "## Each collaboration strategy against its parts",
        "",
        "Paired by sample; 95% percentile-bootstrap interval of the mean difference.",
        "",
        "| strategy | minus | metric | pairs | mean difference | 95% interval | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in comparisons:
        low, high = c.interval
        lines.append(
            f"| `{c.strategy}` | `{c.part}` | {METRIC_NAMES.get(c.metric, c.metric)} | {c.pairs} "
            f"| {c.mean:+.3f} | [{low:+.3f}, {high:+.3f}] | {c.verdict} |"
        )
    return [*lines, ""]


def _closures(gap: Sequence[Closure]) -> list[str]:
    if not gap:
        return []
    lines = [
        "## Gap closure",
        "",
        "(strategy − cloud without context) / (upper bound − cloud without context), on the "
        "samples all of them answered, against both candidate upper bounds: cloud with the "
        "context (`full`) and local with the context (`local`). 1 closes the gap; '–' where "
        "the bound is not above the cloud.",
        "",
        "| strategy | metric | vs `full` | vs `local` | higher upper bound |",
        "|---|---|---|---|---|",
    ]
    for g in gap:
        lines.append(
            f"| `{g.strategy}` | {METRIC_NAMES.get(g.metric, g.metric)} | "
            f"{_num(g.by_upper['full'], 2)} | {_num(g.by_upper['local'], 2)} | `{g.higher}` |"
        )
    return [*lines, ""]
