"""Create, unlock, lock, refuse: the vault's life, with an in-memory key store."""

from __future__ import annotations

import json
import stat

import pytest

from cogenesis.core.errors import (
    KeyBackendChanged,
    VaultError,
    VaultExists,
    VaultNotFound,
    WrongPassphrase,
)
from cogenesis.core.vault import VaultFiles, create_vault, read_meta, unlock_vault
from cogenesis.core.vault.database import connect
from cogenesis.core.vault.lifecycle import key_check
from devsupport.fakes import MemoryKeyStore


def test_create_then_unlock_keeps_records(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    with create_vault(vault_files, key_store) as vault:
        vault.notes.add("n", "remember the milk")
    with unlock_vault(vault_files, key_store) as vault:
        assert [n.body for n in vault.notes.all()] == ["remember the milk"]


def test_metadata_records_the_key_store_and_no_key(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    create_vault(vault_files, key_store).lock()
    meta = read_meta(vault_files)
    assert (meta.key_storage, meta.key_backend) == ("keyring", key_store.backend_name)
    key = key_store.keys[meta.vault_id]
    assert len(key) == 32
    text = vault_files.meta.read_text()
    assert key.hex() not in text
    assert meta.key_check == key_check(key, meta.vault_id)
    assert stat.S_IMODE(vault_files.meta.stat().st_mode) == 0o600


def test_create_refuses_an_existing_vault(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    create_vault(vault_files, key_store).lock()
    before = vault_files.database.read_bytes()
    with pytest.raises(VaultExists):
        create_vault(vault_files, MemoryKeyStore())
    assert vault_files.database.read_bytes() == before


def test_unlock_without_vault(vault_files: VaultFiles, key_store: MemoryKeyStore) -> None:
    with pytest.raises(VaultNotFound, match="no vault") as info:
        unlock_vault(vault_files, key_store)
    assert "cogenesis vault init" in info.value.hint


def test_wrong_key_is_refused_and_the_file_untouched(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    create_vault(vault_files, key_store).lock()
    vault_id = read_meta(vault_files).vault_id
    key_store.keys[vault_id] = bytes(32)
    before = vault_files.database.read_bytes()
    with pytest.raises(WrongPassphrase, match="does not belong"):
        unlock_vault(vault_files, key_store)
    assert vault_files.database.read_bytes() == before


def test_raw_wrong_key_does_not_decrypt(vault_files: VaultFiles, key_store: MemoryKeyStore) -> None:
    create_vault(vault_files, key_store).lock()
    with pytest.raises(WrongPassphrase):
        connect(vault_files.database, bytes(32))


def test_a_silent_key_store_switch_is_refused(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    create_vault(vault_files, key_store).lock()

    class OtherStore(MemoryKeyStore):
        backend_name = "some.other.Keyring"

    other = OtherStore()
    other.keys = key_store.keys
    with pytest.raises(KeyBackendChanged, match=r"some\.other\.Keyring"):
        unlock_vault(vault_files, other)


def test_a_newer_schema_is_not_downgraded(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    with create_vault(vault_files, key_store) as vault, vault.db.transaction() as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'm099_future', 'x')")
    with pytest.raises(VaultError, match="newer CoGenesis"):
        unlock_vault(vault_files, key_store)


def test_missing_metadata_is_reported_not_recreated(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    create_vault(vault_files, key_store).lock()
    vault_files.meta.write_text(json.dumps({"vault_id": "x"}))
    before = vault_files.database.read_bytes()
    with pytest.raises(VaultError, match="metadata"):
        unlock_vault(vault_files, key_store)
    with pytest.raises(VaultExists):
        create_vault(vault_files, key_store)
    assert vault_files.database.read_bytes() == before


def test_an_unfinished_create_is_retried(
    vault_files: VaultFiles, key_store: MemoryKeyStore
) -> None:
    vault_files.directory.mkdir(parents=True)
    vault_files.staging.write_bytes(b"half-written")
    create_vault(vault_files, key_store).lock()
    assert not vault_files.staging.exists()
    unlock_vault(vault_files, key_store).lock()
