"""Fakes at the seams: an in-memory keyring backend and an in-memory KeyStore."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from cogenesis.core.errors import KeyStoreError
from cogenesis.core.vault import KeyStoreKind


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps secrets in a dict (stands in for the OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class MemoryKeyStore:
    """A KeyStore that needs no passphrase and keeps keys in memory."""

    kind: KeyStoreKind = "keyring"
    needs_passphrase = False
    backend_name = "devsupport.fakes.MemoryKeyStore"

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}

    def store(self, vault_id: str, key: bytes, passphrase: str | None) -> None:
        self.keys[vault_id] = bytes(key)

    def fetch(self, vault_id: str, passphrase: str | None) -> bytearray:
        if vault_id not in self.keys:
            raise KeyStoreError("no key", "")
        return bytearray(self.keys[vault_id])

    def change_passphrase(self, vault_id: str, old: str, new: str) -> None:
        raise KeyStoreError("no passphrase", "")

    def remove(self, vault_id: str) -> None:
        self.keys.pop(vault_id, None)
