"""kill -9 during write transactions: every acknowledged commit survives, none is partial."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cogenesis.core.vault import VaultFiles, create_vault, read_meta, unlock_vault
from devsupport.fakes import MemoryKeyStore

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = 6


def _run_until_killed(files: VaultFiles, key: bytes, start: int, rng: random.Random) -> list[int]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.core.vault.crash_writer", str(files.directory), str(start)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(key.hex() + "\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "ready"
    acked: list[int] = []
    deadline = time.monotonic() + rng.uniform(0.3, 0.9)
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acked.append(int(line))
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    acked += [int(x) for x in child.stdout.read().split()]  # acknowledged before the kill
    child.stdout.close()
    child.stdin.close()
    assert child.returncode == -signal.SIGKILL
    return acked


@pytest.mark.slow
def test_acknowledged_commits_survive_kill_9(vault_files: VaultFiles) -> None:
    store = MemoryKeyStore()
    create_vault(vault_files, store).lock()
    key = store.keys[read_meta(vault_files).vault_id]
    rng = random.Random(20240305)
    acknowledged: list[int] = []
    for _ in range(ROUNDS):
        start = max(acknowledged, default=-1) + 1 + 1000  # never reuse a number
        acknowledged += _run_until_killed(vault_files, key, start, rng)
    assert len(acknowledged) > ROUNDS
    with unlock_vault(vault_files, store) as vault:
        report = vault.check()
        titles = [n.title for n in vault.notes.all()]
    assert report.ok, report.lines()
    parts: dict[int, set[str]] = {}
    for title in titles:
        match = re.fullmatch(r"t(\d+)-([abc])", title)
        assert match, title
        parts.setdefault(int(match[1]), set()).add(match[2])
    assert all(p == {"a", "b", "c"} for p in parts.values()), "a transaction was partly saved"
    assert set(acknowledged) <= set(parts)
