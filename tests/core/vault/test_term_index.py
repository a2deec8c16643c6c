"""The stored term index across schema versions: a vault from before it gets one, once."""

from __future__ import annotations

import pytest

from cogenesis.core.privacy import build_index
from cogenesis.core.privacy.index import rebuild_index
from cogenesis.core.vault import VaultFiles, create_vault, unlock_vault
from cogenesis.core.vault.migrations import MIGRATIONS
from cogenesis.core.vault.records import now_iso
from cogenesis.core.vault.term_refresh import catch_up
from devsupport.fakes import MemoryKeyStore

NOTE = "On Tuesday Dr Okonkwo at Riverside Clinic said that Priya starts school in Bristol."


def test_an_older_vault_gets_its_index_once(
    vault_files: VaultFiles, key_store: MemoryKeyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before:
        for later in range(4, max(MIGRATIONS) + 1):  # the schema as it was before the index
            before.delitem(MIGRATIONS, later)
        with create_vault(vault_files, key_store) as old, old.db.transaction() as conn:
            now = now_iso()
            conn.execute(
                "INSERT INTO profile (id, name, location, updated_at) VALUES (1, ?, ?, ?)",
                ("Isabel Martinez", "Miami", now),
            )
            conn.execute(
                "INSERT INTO notes (title, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
                ("Family", NOTE, now, now),
            )
    with unlock_vault(vault_files, key_store) as vault:
        stored = build_index(vault)
        assert stored.terms == rebuild_index(vault).terms
        assert {"Isabel Martinez", "Okonkwo", "Bristol"} <= {t for t, _ in stored.terms}
        assert stored.runs.find(NOTE) == [(0, len(NOTE) - 1)]
        assert catch_up(vault.db) == 0  # derived once, then kept


def test_a_new_vault_is_never_left_to_derive(vault_files: VaultFiles) -> None:
    with create_vault(vault_files, MemoryKeyStore()) as vault:
        vault.notes.add("n", NOTE)
        assert catch_up(vault.db) == 0
