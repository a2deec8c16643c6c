"""Leakage and retention of the public part over PUPA (real queries with annotated PII).

For each query the public part is built as the app would with an empty vault (generic PII
detectors and proper-noun phrases in the query itself). Leakage: share of PII units that
occur in the query (case-insensitive) and still occur in the public text. Retention: share
of the query's other content words still present. Upstream-anonymised placeholders
(``<PRESIDIO_ANONYMIZED_…>``) and their units are left out, as the data README says.

A unit "occurs" as a whole word: a unit that starts or ends with a Latin letter or digit
must not continue a longer word there (unit "la" is not in "[PLACE]", "ee" not in "meet").
Retention counts only Latin-script words, so the share of other-script letters kept is
printed beside it; its complement is the false-positive rate (non-PII content words
replaced). The file is cut in two halves by conversation with a fixed seed: rules are chosen
on the tuning half, the held-out half is the headline figure, the whole file beside it.
"""

from __future__ import annotations

import csv
import json
import random
import re
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from cogenesis.core.privacy import SensitiveIndex, build_index, make_public
from cogenesis.core.vault import VaultFiles, create_vault, import_into, parse_document
from devsupport.fakes import MemoryKeyStore

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pupa-new.csv"
_WORD = re.compile(r"[a-z][a-z'’-]{2,}")
_STOPWORDS = (
    "the and for with that this you your are was were have has had not but from they them "
    "their there what when where which who will would can could should about into over also "
    "our out all any been being its it's than then some such more most very just only "
    "other each how why may might must shall ours his her him she"
)
_STOP = frozenset(_STOPWORDS.split())


def occurs(unit: str, lowered: str) -> bool:
    """``unit`` (case-folded) in ``lowered`` and not part of a longer Latin word."""
    before = r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", unit) else ""
    after = r"(?![a-z0-9])" if re.search(r"[a-z0-9]$", unit) else ""
    return re.search(before + re.escape(unit) + after, lowered) is not None


def other_letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha() and c >= "\u0250")


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in _STOP]


SPLIT_SEED = 0  # the halves: conversations shuffled with this seed, then cut in two


def halves(rows: list[dict[str, str]]) -> tuple[set[str], set[str]]:
    """The conversations of the tuning half and of the held-out half (fixed seed). Rules and
    thresholds are chosen on the first; the second is the headline figure."""
    ids = sorted({row["conversation_hash"] for row in rows})
    random.Random(SPLIT_SEED).shuffle(ids)
    return set(ids[: len(ids) // 2]), set(ids[len(ids) // 2 :])


def main() -> None:
    if not DATA.exists():
        print("privacy: ../shared/data/pupa-new.csv not found; skipped")
        return
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    tuning, held_out = halves(rows)
    with tempfile.TemporaryDirectory() as tmp:
        vault = create_vault(VaultFiles(Path(tmp) / "vault"), MemoryKeyStore())
        index = build_index(vault)
        make_public("warm up the detectors", index)
        stats: dict[str, Tally] = defaultdict(Tally)
        for row in rows:
            half = "tuning half" if row["conversation_hash"] in tuning else "held-out half"
            measured = measure(row, index)
            for key in (half, "whole file", row["predicted_category"]):
                stats[key].add(measured)
        vault.lock()
    print(
        f"# privacy: public part of {len(rows)} PUPA queries, empty vault, offline detectors; "
        f"halves by conversation (seed {SPLIT_SEED}): {len(tuning)} tuning, "
        f"{len(held_out)} held out"
    )
    order = ["held-out half", "whole file", "tuning half"]
    for key in order + sorted(k for k in stats if k not in order):
        print(f"{key}: {stats[key].line()}")
    print(filled_vault_timing(rows))


USERS = DATA.with_name("cogenesis-dev.json")


def filled_vault_timing(rows: list[dict[str, str]]) -> str:
    """The same queries' time with a vault that holds a dataset user (profile and writing
    samples: terms to match, runs to look up), as a user's vault does."""
    if not USERS.exists():
        return "filled vault: ../shared/data/cogenesis-dev.json not found; skipped"
    user = json.loads(USERS.read_text(encoding="utf-8"))[0]
    with tempfile.TemporaryDirectory() as tmp:
        vault = create_vault(VaultFiles(Path(tmp) / "vault"), MemoryKeyStore())
        import_into(vault, parse_document([user]))
        index = build_index(vault)
        make_public("warm up the detectors", index)
        times = []
        for row in rows:
            start = time.perf_counter()
            make_public(row["user_query"], index)
            times.append((time.perf_counter() - start) * 1000)
        terms = len(index.terms)
        vault.lock()
    times.sort()
    return (
        f"filled vault (dataset user {user.get('tid', '?')}: {terms} sensitive terms, its "
        f"writing samples' runs), whole file: {statistics.mean(times):.1f} ms mean, "
        f"{times[min(len(times) - 1, int(0.95 * len(times)))]:.1f} ms p95 per query"
    )


class Tally:
    """The figures of a set of queries."""

    def __init__(self) -> None:
        self.units = self.leaked = self.words = self.kept = self.letters = self.letters_kept = 0
        self.times: list[float] = []

    def add(self, measured: tuple[int, int, int, int, int, int, float]) -> None:
        units, leaked, words, kept, letters, letters_kept, seconds = measured
        self.units += units
        self.leaked += leaked
        self.words += words
        self.kept += kept
        self.letters += letters
        self.letters_kept += letters_kept
        self.times.append(seconds)

    def line(self) -> str:
        ms = sorted(t * 1000 for t in self.times)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        return (
            f"queries {len(self.times)}, PII units counted {self.units}, "
            f"leakage {self.leaked / max(self.units, 1):.1%}, "
            f"retention {self.kept / max(self.words, 1):.1%} "
            f"(false positives: {1 - self.kept / max(self.words, 1):.1%} of non-PII content "
            f"words replaced), other-script letters kept "
            f"{self.letters_kept / max(self.letters, 1):.1%} of {self.letters}, "
            f"{statistics.mean(ms):.1f} ms mean, {p95:.1f} ms p95 per query"
        )


def measure(
    row: dict[str, str], index: SensitiveIndex
) -> tuple[int, int, int, int, int, int, float]:
    """One query's (units, leaked, other words, kept, other-script letters, kept, seconds)."""
    query = row["user_query"]
    units = [u.strip().casefold() for u in row["pii_units"].split("||")]
    units = [u for u in units if u and "presidio" not in u and occurs(u, query.casefold())]
    pii_words = {w for u in units for w in content_words(u)}
    others = [w for w in content_words(query) if w not in pii_words]
    start = time.perf_counter()
    public = make_public(query, index).text
    elapsed = time.perf_counter() - start
    lowered = public.casefold()
    public_words = set(content_words(public))
    return (
        len(units),
        sum(occurs(u, lowered) for u in units),
        len(others),
        sum(w in public_words for w in others),
        other_letters(query),
        other_letters(public),
        elapsed,
    )
