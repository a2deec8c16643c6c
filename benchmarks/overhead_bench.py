"""What an answer costs besides the model, and vault search, over vaults of growing size.

``ask`` overhead: unlock the vault (keyring key), the engine's preparation (retrieval) and
the local prompt, as ``cogenesis ask --mode local`` does before its model reads a token; then
what a mode that sends adds: the public part and the guard's first check of the request
(the sensitive-term index loaded, as the remote adapter's guard holds its own). Each sample
opens the vault afresh; the samples run in one process, then each in a new one, as a new
command does (Python's imports are not counted there, the data the privacy rules load on
first use is). Vault search: ``vault.search`` (top 10) for
1-2 word queries, as ``cogenesis vault search``.

Note texts are runs of 40-120 words of the CoGenesis dev writing samples as written (names,
places, punctuation), titled like the sample they come from; a fixed synthetic vocabulary
when ``../shared/data/cogenesis-dev.json`` is absent. ``OVERHEAD_SIZES`` (e.g. "100,10000")
picks the vault sizes; each sample set stops after ``OVERHEAD_SECONDS`` (default 20).
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from benchmarks.vault_bench import DATASET, percentile, search_ms
from cogenesis.adapters.keystore import KeyringKeyStore
from cogenesis.core.collab.context import render
from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.prompts import LOCAL_SYSTEM
from cogenesis.core.egress import EgressContext, OutgoingRequest
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.vault import (
    Profile,
    Vault,
    VaultDocument,
    VaultFiles,
    create_vault,
    import_into,
    unlock_vault,
)
from devsupport.fakes import MemoryKeyring

SIZES = (100, 10_000, 50_000)
QUERIES = 300
INSTRUCTION = "Write a short note to my neighbour inviting them to a barbecue on Saturday."
_TIMES = {"created_at": None, "updated_at": None}
PROFILE = Profile(
    name="Isabel Martinez",
    location="Miami, Florida",
    occupation="architect",
    private_facts="Volunteers at the Sunrise Animal Shelter; allergic to peanuts",
)


def sources() -> tuple[list[tuple[str, list[str]]], str]:
    """(title, words) per writing sample, words as written."""
    if DATASET.exists():
        users = json.loads(DATASET.read_text(encoding="utf-8"))
        found = [(p["title"], p["text"].split()) for u in users for p in u["profile"]]
        return [(t, w) for t, w in found if len(w) > 130], "CoGenesis dev writing samples"
    rng = random.Random(1)
    vocab = [
        "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(5000)
    ]
    return [(f"Sample {i}", rng.choices(vocab, k=400)) for i in range(300)], "synthetic vocabulary"


def fill(vault: Vault, texts: list[tuple[str, list[str]]], rng: random.Random, count: int) -> None:
    """Import ``count`` notes, as ``cogenesis vault import`` does (one transaction)."""
    notes = []
    for _ in range(count):
        title, words = rng.choice(texts)
        start = rng.randrange(len(words) - 120)
        body = " ".join(words[start : start + rng.randint(40, 120)])
        notes.append({"title": title, "body": body, "tags": ["bench"], **_TIMES})
    import_into(vault, VaultDocument(notes=notes))


class _NoModel:
    """What preparing an answer reads of the local model: its window."""

    info = SimpleNamespace(context_size=4096)


def _request(text: str) -> OutgoingRequest:
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": text}]})
    return OutgoingRequest("https", "api.example.com", None, "POST", "/v1/chat", {}, body.encode())


def ask_once(files: VaultFiles, ring: MemoryKeyring) -> tuple[float, float, float, float]:
    """Seconds to unlock; to prepare ``--mode local`` (retrieval) with its prompt; for what a
    mode that sends adds (the public part, and the guard's first check of the request it
    sends: the index loaded); and the total."""
    start = time.perf_counter()
    vault = unlock_vault(files, KeyringKeyStore(ring))
    unlocked = time.perf_counter()
    engine = Engine(vault, _NoModel(), None, privacy_mode="private")  # type: ignore[arg-type]
    ask = engine.prepare(INSTRUCTION, max_tokens=300, mode="local")
    LOCAL_SYSTEM.format(context=render(list(ask.context)))
    prepared = time.perf_counter()
    public = engine.public_text(INSTRUCTION).text
    verdict = PrivacyGuard(IndexCache(vault).get)(_request(public), EgressContext("private"))
    guarded = time.perf_counter()
    vault.lock()
    assert verdict.allowed, verdict.reason
    return unlocked - start, prepared - unlocked, guarded - prepared, guarded - start


def samples(
    func: Callable[[], tuple[float, ...]], budget: float, most: int = 7
) -> list[tuple[float, ...]]:
    """At least one run; more until ``most`` runs or ``budget`` seconds."""
    found, began = [func()], time.perf_counter()
    while len(found) < most and time.perf_counter() - began < budget:
        found.append(func())
    return found


def report_ask(files: VaultFiles, ring: MemoryKeyring, notes: int, budget: float) -> None:
    runs = samples(lambda: ask_once(files, ring), budget)
    fresh = [_in_new_process(files, ring) for _ in range(3)]
    for label, rows in (("in one process", runs), ("each in a new process", fresh)):
        unlock, local, sending, total = (
            statistics.median(column) * 1000 for column in zip(*rows, strict=True)
        )
        print(
            f"ask overhead, {notes:,} notes, {label} (n={len(rows)}, medians): unlock "
            f"{unlock:.1f} ms + retrieval and prompt {local:.1f} ms = --mode local "
            f"{unlock + local:.1f} ms; a mode that sends adds public part + guard's first "
            f"check {sending:.1f} ms = {total:.1f} ms"
        )


def _in_new_process(files: VaultFiles, ring: MemoryKeyring) -> tuple[float, ...]:
    """One ``ask_once`` in a fresh interpreter, as each ``cogenesis ask`` runs (its imports
    done first and not counted; the lists the privacy rules read on first use are)."""
    secrets = [[service, user, secret] for (service, user), secret in ring.secrets.items()]
    code = (
        "import json, sys; from benchmarks.overhead_bench import one_ask; "
        "print(json.dumps(one_ask(sys.argv[1], json.loads(sys.argv[2]))))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code, str(files.directory), json.dumps(secrets)],
        check=True,
        capture_output=True,
        text=True,
    )
    return tuple(json.loads(found.stdout.strip().splitlines()[-1]))


def one_ask(directory: str, secrets: list[list[str]]) -> tuple[float, ...]:
    ring = MemoryKeyring()
    ring.secrets = {(service, user): secret for service, user, secret in secrets}
    return ask_once(VaultFiles(Path(directory)), ring)


def report_search(vault: Vault, words: list[str], rng: random.Random) -> None:
    queries = [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(QUERIES)]
    ms = search_ms(vault, queries)
    print(
        f"vault search, {vault.notes.count():,} notes ({QUERIES} queries of 1-2 words, top 10): "
        f"p50 {percentile(ms, 0.5):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms"
    )


def main() -> None:
    texts, source = sources()
    words = [w.strip(".,;:!?\"'()").lower() for _, ws in texts for w in ws]
    words = [w for w in words if w.isalpha()]
    sizes = [int(s) for s in os.environ.get("OVERHEAD_SIZES", "").split(",") if s] or SIZES
    budget = float(os.environ.get("OVERHEAD_SECONDS", "20"))
    rng = random.Random(7)
    print(
        f"# ask overhead and vault search  ({platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}, texts: {source})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        ring = MemoryKeyring()
        files = VaultFiles(Path(tmp) / "vault")
        vault = create_vault(files, KeyringKeyStore(ring))
        vault.profile.set(PROFILE)
        for size in sizes:
            start = time.perf_counter()
            fill(vault, texts, rng, size - vault.notes.count())
            print(f"filled to {size:,} notes in {time.perf_counter() - start:.1f} s")
            vault.lock()
            report_ask(files, ring, size, budget)
            vault = unlock_vault(files, KeyringKeyStore(ring))
            report_search(vault, words, rng)
        vault.lock()
