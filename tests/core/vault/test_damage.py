"""Damaged files (bit flips in data, HMAC and IV areas; swapped pages) are reported, not
repaired: the unlock fails with VaultDamaged and an integrity report, the file unchanged.
A damaged salt is opened with its saved copies: see test_salt_copies.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cogenesis.core.errors import VaultDamaged
from cogenesis.core.vault import VaultFiles, create_vault, unlock_vault
from devsupport.fakes import MemoryKeyStore

PAGE = 4096
RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of each page


@pytest.fixture
def filled(vault_files: VaultFiles, key_store: MemoryKeyStore) -> VaultFiles:
    with create_vault(vault_files, key_store) as vault:
        for i in range(300):
            vault.notes.add(f"note {i}", "some private text " * 20)
    assert vault_files.database.stat().st_size > 10 * PAGE
    return vault_files


def _flip(offset: int) -> Callable[[bytearray], None]:
    def damage(data: bytearray) -> None:
        data[offset] ^= 0x04

    return damage


def _swap(a: int, b: int) -> Callable[[bytearray], None]:
    def damage(data: bytearray) -> None:
        pa, pb = data[a * PAGE : (a + 1) * PAGE], data[b * PAGE : (b + 1) * PAGE]
        data[a * PAGE : (a + 1) * PAGE], data[b * PAGE : (b + 1) * PAGE] = pb, pa

    return damage


@pytest.mark.parametrize(
    ("name", "damage", "expect"),
    [
        ("page data", _flip(5 * PAGE + 1000), "page 6"),
        ("HMAC area", _flip(7 * PAGE - 10), "page 7"),
        ("IV area", _flip(4 * PAGE - RESERVE + 2), "page 4"),
        ("swapped pages", _swap(3, 8), "page 4"),
    ],
)
def test_damage_is_reported_and_nothing_is_written(
    filled: VaultFiles,
    key_store: MemoryKeyStore,
    name: str,
    damage: Callable[[bytearray], None],
    expect: str,
) -> None:
    data = bytearray(filled.database.read_bytes())
    damage(data)
    filled.database.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged) as info:
        unlock_vault(filled, key_store)
    assert any(expect in line for line in info.value.report), info.value.report
    assert "backup" in info.value.hint
    assert filled.database.read_bytes() == bytes(data)


def test_sound_vault_passes_both_checks(filled: VaultFiles, key_store: MemoryKeyStore) -> None:
    with unlock_vault(filled, key_store) as vault:
        report = vault.check()
    assert report.ok
    assert report.lines() == ["cipher_integrity_check: ok", "integrity_check: ok"]
