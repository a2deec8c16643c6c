"""Vault figures: unlock (keyring / passphrase), inserting 10,000 notes, FTS latency.

The note texts are drawn from the CoGenesis dev set's writing samples when
``../shared/data/cogenesis-dev.json`` is present, else from a fixed synthetic vocabulary.
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from cogenesis.adapters.keystore import KeyringKeyStore, PassphraseKeyStore
from cogenesis.core.vault import Vault, VaultFiles, create_vault, unlock_vault
from cogenesis.core.vault.records import now_iso
from cogenesis.core.vault.search import optimize_index
from devsupport.fakes import MemoryKeyring  # stands in for the OS keyring (none when headless)

NOTES = 10_000
QUERIES = 500
PASSPHRASE = "benchmark passphrase 2024"
DATASET = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "cogenesis-dev.json"


def corpus_words() -> tuple[list[str], str]:
    if DATASET.exists():
        samples = json.loads(DATASET.read_text(encoding="utf-8"))
        text = " ".join(p["text"] for s in samples for p in s["profile"])
        words = [w.strip(".,;:!?\"'()").lower() for w in text.split()]
        return [w for w in words if w.isalpha()], "CoGenesis dev writing samples"
    rng = random.Random(1)
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(5000)
    ]
    return [rng.choice(vocab) for _ in range(200_000)], "synthetic vocabulary"


def timed(func: object, repeat: int = 5) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fill(vault: Vault, words: list[str], rng: random.Random, count: int) -> None:
    for i in range(count):
        start = rng.randrange(len(words) - 120)
        body = " ".join(words[start : start + rng.randint(40, 120)])
        vault.notes.add(f"note {i} {words[start]}", body, ["bench"], created_at=now_iso())


def search_ms(vault: Vault, queries: list[str]) -> list[float]:
    """Milliseconds of each query (top 10)."""
    ms = []
    for query in queries:
        start = time.perf_counter()
        vault.search(query, limit=10)
        ms.append((time.perf_counter() - start) * 1000)
    return ms


def search_latency(vault: Vault, queries: list[str], label: str) -> None:
    ms = search_ms(vault, queries)
    print(
        f"FTS5 search over {vault.notes.count():,} notes, {len(queries)} queries (1-2 words, "
        f"top 10, BM25), {label}: p50 {percentile(ms, 0.5):.2f} ms, "
        f"p95 {percentile(ms, 0.95):.2f} ms, max {max(ms):.2f} ms"
    )


def main() -> None:
    words, source = corpus_words()
    rng = random.Random(42)
    print("# cipher_memory_security is ON (SQLCipher wipes and locks its memory); it costs")
    print("# about 7x on FTS-indexed inserts and ~35% on searches, measured separately.")
    print(
        f"# vault benchmark  ({platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}, texts: {source})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ring = MemoryKeyring()
        kfiles = VaultFiles(root / "keyring-vault")
        create_vault(kfiles, KeyringKeyStore(ring)).lock()
        pfiles = VaultFiles(root / "passphrase-vault")
        create_vault(pfiles, PassphraseKeyStore(pfiles.key_file), PASSPHRASE).lock()

        def unlock_keyring() -> None:
            unlock_vault(kfiles, KeyringKeyStore(ring)).lock()

        def unlock_passphrase() -> None:
            unlock_vault(pfiles, PassphraseKeyStore(pfiles.key_file), PASSPHRASE).lock()

        k = timed(unlock_keyring)
        p = timed(unlock_passphrase)
        print(
            f"unlock, key from keyring (in-memory backend), empty vault: "
            f"median {statistics.median(k) * 1000:.1f} ms  (n={len(k)})"
        )
        print(
            f"unlock, passphrase (Argon2id 64 MiB, t=3, p=4), empty vault: "
            f"median {statistics.median(p) * 1000:.1f} ms  (n={len(p)})"
        )

        vault = unlock_vault(kfiles, KeyringKeyStore(ring))
        start = time.perf_counter()
        with vault.db.transaction():
            fill(vault, words, rng, NOTES)
        batch = time.perf_counter() - start
        print(
            f"insert {NOTES:,} notes in one transaction: {batch:.2f} s "
            f"({NOTES / batch:,.0f} notes/s)"
        )
        single = 1000
        start = time.perf_counter()
        fill(vault, words, rng, single)
        each = time.perf_counter() - start
        print(
            f"insert {single:,} notes, one commit each (synchronous=FULL): {each:.2f} s "
            f"({each / single * 1000:.2f} ms per commit)"
        )

        queries = [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(QUERIES)]
        search_latency(vault, queries, "as inserted")
        start = time.perf_counter()
        optimize_index(vault.db)
        print(f"FTS5 optimize (merge segments): {time.perf_counter() - start:.2f} s")
        search_latency(vault, queries, "after optimize")
        start = time.perf_counter()
        report = vault.check()
        print(
            f"integrity check (cipher + sqlite) over {kfiles.database.stat().st_size / 1e6:.1f} MB:"
            f" {time.perf_counter() - start:.2f} s, ok={report.ok}"
        )
        vault.lock()
        full = timed(unlock_keyring, repeat=3)
        print(
            f"unlock, keyring key, vault with {NOTES + single:,} notes (every page's HMAC "
            f"checked): median {statistics.median(full) * 1000:.1f} ms"
        )
