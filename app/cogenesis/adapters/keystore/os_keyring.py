"""Vault key in the OS keyring (Secret Service, macOS Keychain, Windows Credential Locker)."""

from __future__ import annotations

import contextlib
from typing import Any

import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from cogenesis.core.errors import KeyStoreError, VaultError
from cogenesis.core.vault.keystore import KeyStoreKind

SERVICE = "CoGenesis Desktop vault"


def storing_backend(backend: KeyringBackend) -> KeyringBackend | None:
    """The backend that would really keep a secret, or None when there is no real keyring.

    The fail and null backends, a chainer with nothing real behind it, and keyrings.alt's
    file backends (plaintext, or encrypted with a terminal prompt) do not count.
    """
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend):
        real = [b for b in (storing_backend(b) for b in backend.backends) if b is not None]
        return real[0] if real else None
    if type(backend).__module__.startswith("keyrings.alt"):
        return None
    return backend


def backend_label(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class KeyringKeyStore:
    """Keeps the hex-encoded key as the 'password' of one keyring entry per vault."""

    kind: KeyStoreKind = "keyring"
    needs_passphrase = False

    def __init__(self, backend: KeyringBackend) -> None:
        self._backend = storing_backend(backend) or backend

    @property
    def backend_name(self) -> str:
        return backend_label(self._backend)

    def store(self, vault_id: str, key: bytes, passphrase: str | None) -> None:
        self._call(self._backend.set_password, SERVICE, vault_id, bytes(key).hex())

    def fetch(self, vault_id: str, passphrase: str | None) -> bytearray:
        secret = self._call(self._backend.get_password, SERVICE, vault_id)
        if not secret:
            raise KeyStoreError(
                f"The keyring ({self.backend_name}) holds no key for this vault.",
                "Unlock or restore your keyring, or restore the vault from a backup.",
            )
        try:
            return bytearray.fromhex(secret)
        except ValueError as exc:
            raise KeyStoreError(
                "The keyring entry for this vault is not a key.",
                "Restore the vault from a backup.",
            ) from exc

    def change_passphrase(self, vault_id: str, old: str, new: str) -> None:
        raise VaultError(
            "This vault's key is in the OS keyring, which has no passphrase to change.",
            "Use the keyring's own tools to protect it.",
        )

    def remove(self, vault_id: str) -> None:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            self._backend.delete_password(SERVICE, vault_id)

    def _call(self, func: Any, *args: str) -> Any:
        try:
            return func(*args)
        except keyring.errors.KeyringError as exc:
            raise KeyStoreError(
                f"The OS keyring refused the request ({exc}).",
                "Unlock your keyring (log in to the desktop session) and try again.",
            ) from exc
