"""A seeded secret never appears in the raw bytes of any file the app writes."""

from __future__ import annotations

import logging
from pathlib import Path

from cogenesis.core.logs import configure_logging
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings, save_settings
from cogenesis.core.vault import Profile, VaultFiles, create_vault, read_meta, unlock_vault
from devsupport.fakes import MemoryKeyStore

CANARY = "CANARY-7f3a9e-Zanzibar-Quokka"


def _all_bytes(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _leaks(root: Path, needles: list[bytes]) -> list[str]:
    return [
        f"{name} holds {needle!r}"
        for name, data in _all_bytes(root).items()
        for needle in needles
        if needle in data
    ]


def test_canary_stays_encrypted_everywhere(app_home: Path) -> None:
    paths = AppPaths.default().ensure()
    handler = configure_logging(paths, logging.DEBUG)
    files = VaultFiles(paths.vault_dir)
    store = MemoryKeyStore()
    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), CANARY.lower().encode()]
    with create_vault(files, store) as vault:
        vault.profile.set(Profile(name=CANARY, private_facts=f"secret {CANARY}"))
        for i in range(50):
            vault.notes.add(f"{CANARY} {i}", f"body {CANARY} " * 20, [CANARY])
        conv = vault.conversations.create(CANARY)
        vault.conversations.add_message(conv.id, "user", CANARY)
        vault.terms.mark(CANARY)
        assert vault.search(CANARY.split("-")[2])
        save_settings(Settings(), paths.settings_file)
        # while open: the -wal and -shm files exist and hold the latest pages
        assert files.database.with_name("vault.db-wal").exists()
        key = store.keys[read_meta(files).vault_id]
        needles_with_key = [*needles, key, key.hex().encode(), key.hex().upper().encode()]
        assert _leaks(app_home, needles_with_key) == []
    with unlock_vault(files, store) as vault:
        assert vault.notes.count() == 50
    handler.flush()
    assert paths.log_file.exists()
    assert _leaks(app_home, needles_with_key) == []
