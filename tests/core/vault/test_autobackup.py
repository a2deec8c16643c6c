"""Automatic encrypted backups: written when a session that changed the vault closes it,
the last few kept, and one call puts the newest sound one back in place of a damaged vault
(keeping the damaged file aside)."""

from __future__ import annotations

import pytest

from cogenesis.core.errors import VaultDamaged, VaultError
from cogenesis.core.vault import (
    VaultFiles,
    autobackup,
    create_vault,
    list_automatic_backups,
    recover_from_backup,
    unlock_vault,
)
from devsupport.fakes import MemoryKeyStore

PAGE = 4096


@pytest.fixture
def every_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """A backup at every close that changed something (the default waits between two)."""
    monkeypatch.setattr(autobackup, "MIN_INTERVAL_S", 0)


def _session(files: VaultFiles, store: MemoryKeyStore, note: str) -> None:
    with unlock_vault(files, store) as vault:
        vault.notes.add(note, f"the body of {note}")


def test_a_session_that_changed_the_vault_leaves_an_encrypted_backup(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    with create_vault(vault_files, key_store) as vault:
        vault.notes.add("canary", "quartz fox 7731")
    backups = list_automatic_backups(vault_files)
    assert len(backups) == 1
    data = backups[0].path.read_bytes()
    assert b"quartz fox" not in data and b"SQLite format 3" not in data
    assert backups[0].path.stat().st_mode & 0o077 == 0


def test_a_session_that_only_read_leaves_none(
    vault_files: VaultFiles, key_store: MemoryKeyStore, every_close: None
) -> None:
    create_vault(vault_files, key_store).lock()
    with unlock_vault(vault_files, key_store) as vault:
        vault.search("anything")
    assert list_automatic_backups(vault_files) == []


def test_the_last_few_are_kept_newest_first(
    vault_files: VaultFiles, key_store: MemoryKeyStore, every_close: None
) -> None:
    create_vault(vault_files, key_store).lock()
    for i in range(autobackup.KEEP + 2):
        _session(vault_files, key_store, f"note {i}")
    backups = list_automatic_backups(vault_files)
    assert len(backups) == autobackup.KEEP
    assert [b.created_at for b in backups] == sorted((b.created_at for b in backups), reverse=True)


def test_within_the_interval_a_second_close_makes_no_new_backup(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    create_vault(vault_files, key_store).lock()
    _session(vault_files, key_store, "first")
    _session(vault_files, key_store, "second")
    assert len(list_automatic_backups(vault_files)) == 1


def test_recovery_replaces_a_damaged_vault_and_keeps_it_aside(
    vault_files: VaultFiles, key_store: MemoryKeyStore, every_close: None
) -> None:
    with create_vault(vault_files, key_store) as vault:
        for i in range(100):
            vault.notes.add(f"note {i}", "some private text " * 20)
    data = bytearray(vault_files.database.read_bytes())
    data[5 * PAGE + 100] ^= 0x10
    vault_files.database.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged):
        unlock_vault(vault_files, key_store)
    recovery = recover_from_backup(vault_files, key_store)
    assert recovery.kept_aside.read_bytes() == bytes(data)
    with unlock_vault(vault_files, key_store) as vault:
        assert vault.notes.count() == 100
        assert vault.check().ok


def test_recovery_skips_a_damaged_backup_for_the_next_one(
    vault_files: VaultFiles, key_store: MemoryKeyStore, every_close: None
) -> None:
    create_vault(vault_files, key_store).lock()
    _session(vault_files, key_store, "older")
    _session(vault_files, key_store, "newer")
    newest = list_automatic_backups(vault_files)[0].path
    damaged = bytearray(newest.read_bytes())
    damaged[PAGE + 200] ^= 0x01
    newest.write_bytes(bytes(damaged))
    recovery = recover_from_backup(vault_files, key_store)
    assert recovery.skipped == [newest]
    with unlock_vault(vault_files, key_store) as vault:
        assert [n.title for n in vault.notes.all()] == ["older"]


def test_recovery_works_when_the_database_file_is_gone(
    vault_files: VaultFiles, key_store: MemoryKeyStore, every_close: None
) -> None:
    create_vault(vault_files, key_store).lock()
    _session(vault_files, key_store, "kept")
    vault_files.database.unlink()
    recover_from_backup(vault_files, key_store)
    with unlock_vault(vault_files, key_store) as vault:
        assert [n.title for n in vault.notes.all()] == ["kept"]


def test_without_backups_recovery_says_so(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    create_vault(vault_files, key_store).lock()
    with pytest.raises(VaultError, match="no automatic backup"):
        recover_from_backup(vault_files, key_store)
