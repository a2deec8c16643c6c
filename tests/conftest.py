"""Every test runs with its own COGENESIS_HOME and without the user's real keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from cogenesis.core.vault import Vault, VaultFiles, create_vault
from tests.fakes import MemoryKeyring, MemoryKeyStore

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Subprocesses (CLI, crash tests) must not reach a developer's real keyring either.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cogenesis-home"
    monkeypatch.setenv("COGENESIS_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def no_real_keyring() -> Iterator[None]:
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(fail.Keyring())


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def vault_files(tmp_path: Path) -> VaultFiles:
    return VaultFiles(tmp_path / "vault")


@pytest.fixture
def key_store() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def vault(vault_files: VaultFiles, key_store: MemoryKeyStore) -> Iterator[Vault]:
    """A new, empty, unlocked vault whose key is kept in memory."""
    opened = create_vault(vault_files, key_store)
    yield opened
    opened.lock()
