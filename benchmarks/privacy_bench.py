"""Leakage and retention of the public part over PUPA (real queries with annotated PII).

For each query the public part is built as the app would with an empty vault (generic PII
detectors and proper-noun phrases in the query itself). Leakage: share of PII units that
occur in the query (case-insensitive) and still occur in the public text. Retention: share
of the query's other content words still present. Upstream-anonymised placeholders
(``<PRESIDIO_ANONYMIZED_…>``) and their units are left out, as the data README says.

A unit "occurs" as a whole word: a unit that starts or ends with a Latin letter or digit
must not continue a longer word there (unit "la" is not in "[PLACE]", "ee" not in "meet").
Retention counts only Latin-script words, so the share of other-script letters kept is
printed beside it.
"""

from __future__ import annotations

import csv
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from cogenesis.core.privacy import build_index, make_public
from cogenesis.core.vault import VaultFiles, create_vault
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


def main() -> None:
    if not DATA.exists():
        print("privacy: ../shared/data/pupa-new.csv not found; skipped")
        return
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        vault = create_vault(VaultFiles(Path(tmp) / "vault"), MemoryKeyStore())
        index = build_index(vault)
        stats: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0, 0, 0])
        for row in rows:
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
            for key in ("all", row["predicted_category"]):
                s = stats[key]
                s[0] += len(units)
                s[1] += sum(occurs(u, lowered) for u in units)
                s[2] += len(others)
                s[3] += sum(w in public_words for w in others)
                s[4] += elapsed
                s[5] += 1
                s[6] += other_letters(query)
                s[7] += other_letters(public)
        vault.lock()
    print(f"# privacy: public part of {len(rows)} PUPA queries, empty vault, offline detectors")
    for key, (units, leaked, words, kept, seconds, queries, letters, letters_kept) in sorted(
        stats.items(), key=lambda item: item[0] != "all"
    ):
        print(
            f"{key}: queries {queries}, PII units counted {units}, "
            f"leakage {leaked / max(units, 1):.1%}, retention {kept / max(words, 1):.1%}, "
            f"other-script letters kept {letters_kept / max(letters, 1):.1%} of {letters}, "
            f"{seconds / queries * 1000:.1f} ms per query"
        )
