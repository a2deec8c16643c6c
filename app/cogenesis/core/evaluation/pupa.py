"""The public part measured on PUPA-format queries (real queries with annotated PII units):
leakage, retention and false positives, per category, with the leaked units listed.

Leakage: share of PII units that occur in the query (case-insensitive, as whole words) and
still occur in the public text. Retention: share of the query's other Latin-script content
words still present; its complement is the false-positive rate (non-PII words replaced).
Other-script letters kept are counted beside it. Upstream-anonymised placeholders
(``<PRESIDIO_ANONYMIZED_…>``) and their units are left out.
"""

from __future__ import annotations

import csv
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cogenesis.core.evaluation.dataset import DatasetError
from cogenesis.core.evaluation.metrics import occurs

COLUMNS = ("user_query", "pii_units")  # needed; conversation_hash and predicted_category help
_WORD = re.compile(r"[a-z][a-z'’-]{2,}")
_STOPWORDS = (
    "the and for with that this you your are was were have has had not but from they them "
    "their there what when where which who will would can could should about into over also "
    "our out all any been being its it's than then some such more most very just only "
    "other each how why may might must shall ours his her him she"
)
_STOP = frozenset(_STOPWORDS.split())

Publish = Callable[[str], str]  # a query -> its public version


def other_letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha() and c >= "\u0250")


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in _STOP]


@dataclass(frozen=True)
class QueryResult:
    category: str
    query: str
    public: str
    units: tuple[str, ...]  # counted: they occur in the query
    leaked: tuple[str, ...]
    words: int  # other content words
    kept: int
    letters: int  # other-script letters
    letters_kept: int
    seconds: float


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a PUPA-format CSV (columns ``user_query`` and ``pii_units`` at least)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DatasetError(f"Cannot read {path}: {exc}.", "Give a UTF-8 CSV file.") from exc
    missing = [c for c in COLUMNS if rows and c not in rows[0]]
    if not rows or missing:
        raise DatasetError(
            f"{path} is not a PUPA-format CSV (missing: {', '.join(missing) or 'rows'}).",
            "It needs the columns user_query and pii_units (units joined by '||').",
        )
    return rows


def measure(row: dict[str, str], publish: Publish) -> QueryResult:
    query = row["user_query"]
    units = [u.strip().casefold() for u in row["pii_units"].split("||")]
    units = [u for u in units if u and "presidio" not in u and occurs(u, query.casefold())]
    pii_words = {w for u in units for w in content_words(u)}
    others = [w for w in content_words(query) if w not in pii_words]
    start = time.perf_counter()
    public = publish(query)
    elapsed = time.perf_counter() - start
    lowered = public.casefold()
    public_words = set(content_words(public))
    return QueryResult(
        category=row.get("predicted_category", "") or "uncategorized",
        query=query,
        public=public,
        units=tuple(units),
        leaked=tuple(u for u in units if occurs(u, lowered)),
        words=len(others),
        kept=sum(w in public_words for w in others),
        letters=other_letters(query),
        letters_kept=other_letters(public),
        seconds=elapsed,
    )


@dataclass
class Tally:
    """The figures of a set of queries."""

    results: list[QueryResult] = field(default_factory=list)

    def add(self, result: QueryResult) -> None:
        self.results.append(result)

    @property
    def units(self) -> int:
        return sum(len(r.units) for r in self.results)

    @property
    def leaked(self) -> int:
        return sum(len(r.leaked) for r in self.results)

    @property
    def leakage(self) -> float:
        return self.leaked / max(self.units, 1)

    @property
    def retention(self) -> float:
        words = sum(r.words for r in self.results)
        return sum(r.kept for r in self.results) / max(words, 1)

    def line(self) -> str:
        ms = sorted(r.seconds * 1000 for r in self.results)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        letters = sum(r.letters for r in self.results)
        kept = sum(r.letters_kept for r in self.results)
        return (
            f"queries {len(self.results)}, PII units counted {self.units}, "
            f"leakage {self.leakage:.1%}, retention {self.retention:.1%} "
            f"(false positives: {1 - self.retention:.1%} of non-PII content "
            f"words replaced), other-script letters kept "
            f"{kept / max(letters, 1):.1%} of {letters}, "
            f"{statistics.mean(ms):.1f} ms mean, {p95:.1f} ms p95 per query"
        )


def by_category(results: Iterable[QueryResult]) -> dict[str, Tally]:
    """A tally of all queries ('all') and one per category."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for result in results:
        tallies["all"].add(result)
        tallies[result.category].add(result)
    return dict(tallies)


def render(source: str, tallies: dict[str, Tally], seconds: float) -> str:
    """The report: the table per category, then every leaked unit with its query."""
    lines = [
        "# CoGenesis evaluation: privacy of the public part",
        "",
        "**This report contains private text** (the queries and their leaked units): keep it "
        "on this device.",
        "",
        f"- Dataset: `{source}`; the public part built as the app builds it with an empty "
        f"vault (offline detectors); took {seconds:.1f} s",
        "",
        "| category | queries | PII units | leaked | leakage | retention | false positives |",
        "|---|---|---|---|---|---|---|",
    ]
    order = ["all", *sorted(k for k in tallies if k != "all")]
    for key in order:
        t = tallies[key]
        lines.append(
            f"| {key} | {len(t.results)} | {t.units} | {t.leaked} | {t.leakage:.1%} | "
            f"{t.retention:.1%} | {1 - t.retention:.1%} |"
        )
    lines += ["", "## Leaked units", ""]
    lines += _leaks(tallies["all"].results if "all" in tallies else [])
    return "\n".join(lines) + "\n"


def _leaks(results: Sequence[QueryResult]) -> list[str]:
    leaky = [r for r in results if r.leaked]
    if not leaky:
        return ["None."]
    lines = []
    for number, r in enumerate(leaky, 1):
        units = ", ".join(f"`{u}`" for u in r.leaked)
        lines.append(f"{number}. ({r.category}) {units}")
        lines.append(f"   - public part: {_one_line(r.public)}")
    return lines


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
