"""Child process for the crash test: writes transactions and acknowledges each commit.

Usage: python -m tests.core.vault.crash_writer VAULT_DIR START   (key hex on stdin)
Each transaction adds three notes titled ``t{i}-a``, ``t{i}-b``, ``t{i}-c``; after COMMIT
returns, ``i`` is printed. The parent kills this process with SIGKILL at random moments.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cogenesis.core.vault import VaultFiles, read_meta, unlock_vault
from devsupport.fakes import MemoryKeyStore


def main() -> None:
    files = VaultFiles(Path(sys.argv[1]))
    start = int(sys.argv[2])
    store = MemoryKeyStore()
    store.keys[read_meta(files).vault_id] = bytes.fromhex(sys.stdin.readline().strip())
    vault = unlock_vault(files, store)
    print("ready", flush=True)
    i = start
    while True:
        with vault.db.transaction():
            for part in "abc":
                vault.notes.add(f"t{i}-{part}", f"transaction {i} part {part} " * 30)
        print(i, flush=True)
        i += 1


if __name__ == "__main__":
    main()
