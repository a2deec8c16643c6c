"""The keyring matrix and passphrase mode, with real Argon2id and real files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends import chainer, fail, null
from keyrings.alt.file import PlaintextKeyring

from cogenesis.adapters.keystore import (
    KeyringKeyStore,
    PassphraseKeyStore,
    keyring_available,
    keystore_for,
)
from cogenesis.core.errors import KeyBackendChanged, KeyStoreError, VaultError, WrongPassphrase
from cogenesis.core.vault import (
    VaultFiles,
    change_passphrase,
    create_vault,
    read_meta,
    unlock_vault,
)
from cogenesis.core.vault.keywrap import KdfParams
from devsupport.fakes import MemoryKeyring

PASSPHRASE = "correct horse battery staple"


class EmptyChainer(chainer.ChainerBackend):
    @property
    def backends(self) -> list[object]:  # type: ignore[override]
        return []


def test_fail_backend_means_passphrase_mode(vault_files: VaultFiles) -> None:
    assert not keyring_available(fail.Keyring())
    store = keystore_for(vault_files, backend=fail.Keyring())
    assert isinstance(store, PassphraseKeyStore)


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), EmptyChainer(), PlaintextKeyring()],
    ids=["fail", "null", "empty-chainer", "plaintext"],
)
def test_non_os_keyrings_do_not_count(vault_files: VaultFiles, backend: object) -> None:
    assert not keyring_available(backend)  # type: ignore[arg-type]
    assert isinstance(keystore_for(vault_files, backend=backend), PassphraseKeyStore)  # type: ignore[arg-type]
    with pytest.raises(VaultError, match="No usable OS keyring"):
        keystore_for(vault_files, "keyring", backend=backend)  # type: ignore[arg-type]


def test_real_keyring_means_keyring_mode(
    vault_files: VaultFiles, memory_keyring: MemoryKeyring
) -> None:
    store = keystore_for(vault_files, backend=memory_keyring)
    assert isinstance(store, KeyringKeyStore)
    with create_vault(vault_files, store) as vault:
        vault.notes.add("n", "kept")
    assert not vault_files.key_file.exists()
    meta = read_meta(vault_files)
    assert meta.key_backend == "devsupport.fakes.MemoryKeyring"
    [(service, user)] = memory_keyring.secrets
    assert user == meta.vault_id and "CoGenesis" in service
    with unlock_vault(vault_files, keystore_for(vault_files, backend=memory_keyring)) as vault:
        assert vault.notes.count() == 1


def test_chainer_with_a_real_backend_counts(memory_keyring: MemoryKeyring) -> None:
    class Chain(chainer.ChainerBackend):
        @property
        def backends(self) -> list[object]:  # type: ignore[override]
            return [PlaintextKeyring(), memory_keyring]

    assert keyring_available(Chain())
    assert KeyringKeyStore(Chain()).backend_name == "devsupport.fakes.MemoryKeyring"


def test_keyring_vault_refuses_when_the_keyring_is_gone(
    vault_files: VaultFiles, memory_keyring: MemoryKeyring
) -> None:
    create_vault(vault_files, keystore_for(vault_files, backend=memory_keyring)).lock()
    with pytest.raises(KeyBackendChanged, match=r"fail\.Keyring"):
        unlock_vault(vault_files, keystore_for(vault_files, backend=fail.Keyring()))
    with pytest.raises(KeyBackendChanged):
        unlock_vault(vault_files, keystore_for(vault_files, backend=PlaintextKeyring()))


def test_passphrase_vault_stays_passphrase_when_a_keyring_appears(
    vault_files: VaultFiles, memory_keyring: MemoryKeyring
) -> None:
    create_vault(vault_files, keystore_for(vault_files, backend=fail.Keyring()), PASSPHRASE).lock()
    store = keystore_for(vault_files, backend=memory_keyring)
    assert isinstance(store, PassphraseKeyStore)
    unlock_vault(vault_files, store, PASSPHRASE).lock()
    assert memory_keyring.secrets == {}


def test_missing_keyring_entry(vault_files: VaultFiles, memory_keyring: MemoryKeyring) -> None:
    create_vault(vault_files, keystore_for(vault_files, backend=memory_keyring)).lock()
    memory_keyring.secrets.clear()
    with pytest.raises(KeyStoreError, match="holds no key") as info:
        unlock_vault(vault_files, keystore_for(vault_files, backend=memory_keyring))
    assert "backup" in info.value.hint


def test_the_default_keyring_here_is_refused() -> None:
    keyring.set_keyring(PlaintextKeyring())
    assert not keyring_available()


def test_passphrase_key_file(vault_files: VaultFiles) -> None:
    store = PassphraseKeyStore(vault_files.key_file)
    create_vault(vault_files, store, PASSPHRASE).lock()
    doc = json.loads(vault_files.key_file.read_text())
    assert stat.S_IMODE(vault_files.key_file.stat().st_mode) == 0o600
    assert doc["kdf"] == "argon2id" and doc["memory_kib"] >= 65536 and doc["time_cost"] >= 3
    assert len(doc["salt"]) >= 20 and "sealed" in doc
    meta = read_meta(vault_files)
    assert meta.key_storage == "passphrase"


def test_wrong_passphrase_leaves_every_file_byte_identical(vault_files: VaultFiles) -> None:
    store = PassphraseKeyStore(vault_files.key_file)
    with create_vault(vault_files, store, PASSPHRASE) as vault:
        vault.notes.add("n", "x")
    before = _files(vault_files.directory)
    assert any(name.startswith("backups/") for name in before)  # the automatic backup too
    with pytest.raises(WrongPassphrase) as info:
        unlock_vault(vault_files, store, PASSPHRASE.upper())
    assert "Caps Lock" in info.value.hint
    assert _files(vault_files.directory) == before


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in directory.rglob("*")
        if p.is_file()
    }


def test_change_passphrase_rewraps_without_reencrypting(vault_files: VaultFiles) -> None:
    store = PassphraseKeyStore(vault_files.key_file)
    with create_vault(vault_files, store, PASSPHRASE) as vault:
        vault.notes.add("n", "x")
    db_before = vault_files.database.read_bytes()
    key_before = vault_files.key_file.read_bytes()
    with pytest.raises(WrongPassphrase):
        change_passphrase(vault_files, store, "not it at all", "new passphrase 2")
    change_passphrase(vault_files, store, PASSPHRASE, "new passphrase 2")
    assert vault_files.database.read_bytes() == db_before
    assert vault_files.key_file.read_bytes() != key_before
    with pytest.raises(WrongPassphrase):
        unlock_vault(vault_files, store, PASSPHRASE)
    unlock_vault(vault_files, store, "new passphrase 2").lock()


def test_weakened_kdf_parameters_are_refused(vault_files: VaultFiles) -> None:
    store = PassphraseKeyStore(vault_files.key_file)
    create_vault(vault_files, store, PASSPHRASE).lock()
    doc = json.loads(vault_files.key_file.read_text())
    doc["memory_kib"] = 1024
    vault_files.key_file.write_text(json.dumps(doc))
    with pytest.raises(VaultError, match="weaker Argon2id"):
        unlock_vault(vault_files, store, PASSPHRASE)
    with pytest.raises(VaultError, match="weaker"):
        PassphraseKeyStore(vault_files.key_file, KdfParams(memory_kib=1024)).store(
            "x", b"k" * 32, "p" * 9
        )


def test_short_passphrase_is_refused_before_anything_is_written(vault_files: VaultFiles) -> None:
    with pytest.raises(VaultError, match="too short"):
        create_vault(vault_files, PassphraseKeyStore(vault_files.key_file), "short")
    assert not vault_files.directory.exists()


def test_missing_key_file(vault_files: VaultFiles) -> None:
    store = PassphraseKeyStore(vault_files.key_file)
    create_vault(vault_files, store, PASSPHRASE).lock()
    vault_files.key_file.unlink()
    with pytest.raises(KeyStoreError, match="missing"):
        unlock_vault(vault_files, store, PASSPHRASE)


def test_key_never_written_in_plaintext(vault_files: VaultFiles, tmp_path: Path) -> None:
    store = PassphraseKeyStore(vault_files.key_file)
    create_vault(vault_files, store, PASSPHRASE).lock()
    key = store.fetch(read_meta(vault_files).vault_id, PASSPHRASE)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert bytes(key) not in data and key.hex().encode() not in data, path
