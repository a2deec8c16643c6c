"""Encrypted backups restore anywhere, refuse to overwrite, and detect damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogenesis.core.errors import VaultDamaged, VaultError, VaultExists, WrongPassphrase
from cogenesis.core.vault import (
    Profile,
    Vault,
    VaultFiles,
    restore_backup,
    unlock_vault,
    write_backup,
)
from cogenesis.core.vault.migrations import latest_version
from devsupport.fakes import MemoryKeyStore

SECRET = "backup passphrase 1"


@pytest.fixture
def backup_file(vault: Vault, tmp_path: Path) -> Path:
    vault.profile.set(Profile(name="Isabel"))
    vault.notes.add("n", "the quartz fox")
    conv = vault.conversations.create("c")
    vault.conversations.add_message(conv.id, "user", "hello there")
    path = tmp_path / "vault.backup"
    info = write_backup(vault, path, SECRET)
    assert info.size > 0 and info.schema_version == latest_version()
    return path


def test_restore_into_a_new_place_with_another_key_store(backup_file: Path, tmp_path: Path) -> None:
    files = VaultFiles(tmp_path / "restored")
    store = MemoryKeyStore()
    restore_backup(backup_file, files, store, SECRET)
    with unlock_vault(files, store) as restored:
        assert restored.profile.get().name == "Isabel"
        assert restored.search("quartz")[0].kind == "note"
        assert [
            m.content
            for c in restored.conversations.all()
            for m in restored.conversations.messages(c.id)
        ] == ["hello there"]
        assert restored.check().ok
        assert restored.db.query("PRAGMA journal_mode")[0][0] == "wal"


def test_backup_is_encrypted(backup_file: Path) -> None:
    data = backup_file.read_bytes()
    assert b"quartz" not in data and b"Isabel" not in data


def test_wrong_backup_passphrase(backup_file: Path, tmp_path: Path) -> None:
    files = VaultFiles(tmp_path / "restored")
    with pytest.raises(WrongPassphrase):
        restore_backup(backup_file, files, MemoryKeyStore(), "not the passphrase")
    assert not files.exists()


def test_restore_never_overwrites(backup_file: Path, vault_files: VaultFiles) -> None:
    before = vault_files.database.read_bytes()
    with pytest.raises(VaultExists):
        restore_backup(backup_file, vault_files, MemoryKeyStore(), SECRET)
    assert vault_files.database.read_bytes() == before


def test_truncated_or_foreign_files_are_refused(backup_file: Path, tmp_path: Path) -> None:
    files = VaultFiles(tmp_path / "restored")
    truncated = tmp_path / "cut.backup"
    truncated.write_bytes(backup_file.read_bytes()[:-100])
    with pytest.raises(VaultDamaged, match="truncated"):
        restore_backup(truncated, files, MemoryKeyStore(), SECRET)
    foreign = tmp_path / "photo.jpg"
    foreign.write_bytes(b"\xff\xd8\xff" * 100)
    with pytest.raises(VaultError, match="not a CoGenesis backup"):
        restore_backup(foreign, files, MemoryKeyStore(), SECRET)
    assert not files.exists()


def test_short_backup_passphrase_is_refused(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="too short"):
        write_backup(vault, tmp_path / "b", "short")
