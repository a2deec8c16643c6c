"""Fakes at the seams: an in-memory keyring backend and an in-memory KeyStore."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from cogenesis.core.evaluation.vaults import EphemeralKeyStore


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


class MemoryKeyStore(EphemeralKeyStore):
    """A KeyStore that needs no passphrase and keeps keys in memory (the app's own throwaway
    key store, under a backend name of its own)."""

    backend_name = "devsupport.fakes.MemoryKeyStore"
