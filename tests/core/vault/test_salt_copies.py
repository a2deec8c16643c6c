"""The database's salt (its first 16 bytes, not secret) is kept twice beside it, in
vault.json and vault.salt, so one damaged header byte does not make every page unreadable."""

from __future__ import annotations

import json

import pytest

from cogenesis.core.errors import VaultDamaged
from cogenesis.core.vault import VaultFiles, check_database, create_vault, export_key, unlock_vault
from devsupport.fakes import MemoryKeyStore

SALT = 16


@pytest.fixture
def filled(vault_files: VaultFiles, key_store: MemoryKeyStore) -> VaultFiles:
    with create_vault(vault_files, key_store) as vault:
        for i in range(200):
            vault.notes.add(f"note {i}", "some private text " * 20)
    return vault_files


def _flip_salt(files: VaultFiles) -> bytes:
    data = bytearray(files.database.read_bytes())
    salt = bytes(data[:SALT])
    data[3] ^= 0x04
    files.database.write_bytes(bytes(data))
    return salt


def _drop_copies(files: VaultFiles) -> None:
    """As a vault made before the copies were kept: no db_salt, no vault.salt."""
    doc = json.loads(files.meta.read_text())
    del doc["db_salt"]
    files.meta.write_text(json.dumps(doc))
    files.salt_file.unlink()


def test_the_salt_is_kept_in_vault_json_and_vault_salt(filled: VaultFiles) -> None:
    salt = filled.database.read_bytes()[:SALT].hex()
    assert json.loads(filled.meta.read_text())["db_salt"] == salt
    assert filled.salt_file.read_text().strip() == salt


def test_a_flipped_salt_byte_opens_with_the_saved_copy_and_is_written_back(
    filled: VaultFiles, key_store: MemoryKeyStore
) -> None:
    salt = _flip_salt(filled)
    with unlock_vault(filled, key_store) as vault:
        assert vault.notes.count() == 200
        assert vault.check().ok
    assert filled.database.read_bytes()[:SALT] == salt


def test_without_vault_json_the_check_still_opens_a_damaged_salt(
    filled: VaultFiles, key_store: MemoryKeyStore
) -> None:
    key = export_key(filled, key_store)
    _flip_salt(filled)
    filled.meta.unlink()
    assert check_database(filled, key).ok


def test_a_vault_made_before_salt_copies_gets_them_at_its_next_unlock(
    filled: VaultFiles, key_store: MemoryKeyStore
) -> None:
    _drop_copies(filled)
    unlock_vault(filled, key_store).lock()
    salt = filled.database.read_bytes()[:SALT].hex()
    assert json.loads(filled.meta.read_text())["db_salt"] == salt
    assert filled.salt_file.read_text().strip() == salt


def test_with_both_copies_gone_a_damaged_salt_is_reported_and_the_file_left_alone(
    filled: VaultFiles, key_store: MemoryKeyStore
) -> None:
    _drop_copies(filled)
    _flip_salt(filled)
    damaged = filled.database.read_bytes()
    with pytest.raises(VaultDamaged) as info:
        unlock_vault(filled, key_store)
    assert any("page 1" in line for line in info.value.report), info.value.report
    assert filled.database.read_bytes() == damaged
