"""Choosing where the vault key lives: the OS keyring when there is a real one, else a
passphrase-wrapped key file. An existing vault keeps the store it was created with."""

from __future__ import annotations

from typing import Literal

import keyring
from keyring.backend import KeyringBackend

from cogenesis.adapters.keystore.os_keyring import KeyringKeyStore, storing_backend
from cogenesis.adapters.keystore.passphrase import PassphraseKeyStore
from cogenesis.core.errors import VaultError
from cogenesis.core.vault import KeyStore, VaultFiles, read_meta

Preference = Literal["auto", "keyring", "passphrase"]

__all__ = ["KeyringKeyStore", "PassphraseKeyStore", "keyring_available", "keystore_for"]


def keyring_available(backend: KeyringBackend | None = None) -> bool:
    """Whether a real OS keyring can keep the vault key."""
    return storing_backend(backend or keyring.get_keyring()) is not None


def keystore_for(
    files: VaultFiles, prefer: Preference = "auto", backend: KeyringBackend | None = None
) -> KeyStore:
    """The key store for ``files``: the recorded one for an existing vault, else by preference."""
    backend = backend or keyring.get_keyring()
    passphrase_store = PassphraseKeyStore(files.key_file)
    if files.exists():
        recorded = read_meta(files).key_storage
        return passphrase_store if recorded == "passphrase" else KeyringKeyStore(backend)
    if prefer == "passphrase":
        return passphrase_store
    if keyring_available(backend):
        return KeyringKeyStore(backend)
    if prefer == "keyring":
        raise VaultError(
            "No usable OS keyring was found (plaintext and fail backends do not count).",
            "Use passphrase mode, or install and unlock a keyring (e.g. GNOME Keyring).",
        )
    return passphrase_store
