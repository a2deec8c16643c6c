"""Leakage and retention of the public part over PUPA (real queries with annotated PII): a
thin call of what ``cogenesis eval privacy`` computes (``cogenesis.core.evaluation.pupa``).

The file is cut in two halves by conversation with a fixed seed: rules are chosen on the
tuning half, the held-out half is the headline figure, the whole file beside it; the time per
query with a filled vault is printed beside them.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from cogenesis.core.evaluation.pupa import Tally, measure, read_rows
from cogenesis.core.privacy import build_index, make_public
from cogenesis.core.vault import VaultFiles, create_vault, import_into, parse_document
from devsupport.fakes import MemoryKeyStore

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pupa-new.csv"


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
    rows = read_rows(DATA)
    tuning, held_out = halves(rows)
    with tempfile.TemporaryDirectory() as tmp:
        vault = create_vault(VaultFiles(Path(tmp) / "vault"), MemoryKeyStore())
        index = build_index(vault)
        make_public("warm up the detectors", index)
        stats: dict[str, Tally] = defaultdict(Tally)
        for row in rows:
            half = "tuning half" if row["conversation_hash"] in tuning else "held-out half"
            measured = measure(row, lambda query: make_public(query, index).text)
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
