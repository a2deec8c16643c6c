"""A clean close seals the file; the next unlock skips the full page check only for a file
exactly as the app left it."""

from __future__ import annotations

import os

import pytest

from cogenesis.core.errors import VaultDamaged
from cogenesis.core.vault import VaultFiles, create_vault, lifecycle, unlock_vault
from cogenesis.core.vault.seal import SEAL_NAME
from devsupport.fakes import MemoryKeyStore

PAGE = 4096


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts full page checks."""
    counted: list[int] = []
    real = lifecycle.verify_pages

    def counting(files: VaultFiles, key: bytearray, salt: bytes | None = None) -> None:
        counted.append(1)
        real(files, key, salt)

    monkeypatch.setattr(lifecycle, "verify_pages", counting)
    return counted


@pytest.fixture
def closed(vault_files: VaultFiles, key_store: MemoryKeyStore) -> VaultFiles:
    with create_vault(vault_files, key_store) as vault:
        for i in range(50):
            vault.notes.add(f"note {i}", "some private text " * 20)
    return vault_files


def test_a_cleanly_closed_file_is_not_checked_page_by_page_again(
    closed: VaultFiles, key_store: MemoryKeyStore, checks: list[int]
) -> None:
    with unlock_vault(closed, key_store) as vault:
        vault.notes.add("one more", "written in this session")
    assert (closed.directory / SEAL_NAME).exists()
    with unlock_vault(closed, key_store) as vault:  # the app's own writes are sealed too
        assert len(vault.notes.all()) == 51
    assert checks == []


def test_the_seal_is_broken_while_the_vault_is_open(
    closed: VaultFiles, key_store: MemoryKeyStore, checks: list[int]
) -> None:
    vault = unlock_vault(closed, key_store)
    assert not (closed.directory / SEAL_NAME).exists()
    vault.notes.add("unsaved session", "the process dies before the vault is locked")
    vault.db.close()  # a crash: the connection goes, no clean close
    unlock_vault(closed, key_store).lock()
    assert checks == [1]


def test_a_byte_flipped_after_a_clean_close_is_still_found(
    closed: VaultFiles, key_store: MemoryKeyStore
) -> None:
    path = closed.database
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[5 * PAGE + 1000] ^= 0x04
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the times put back
    with pytest.raises(VaultDamaged):
        unlock_vault(closed, key_store)


def test_a_forged_seal_brings_the_full_check_back(
    closed: VaultFiles, key_store: MemoryKeyStore, checks: list[int]
) -> None:
    seal = closed.directory / SEAL_NAME
    state, _tag = seal.read_text().split()
    seal.write_text(f"{state}\n{'0' * 64}\n")
    unlock_vault(closed, key_store).lock()
    assert checks == [1]
