"""The protocol every key store implements (OS keyring, passphrase-wrapped key file)."""

from __future__ import annotations

from typing import Literal, Protocol

KeyStoreKind = Literal["keyring", "passphrase"]


class KeyStore(Protocol):
    """Keeps the vault's raw 256-bit key somewhere safer than next to the database."""

    kind: KeyStoreKind
    needs_passphrase: bool

    @property
    def backend_name(self) -> str:
        """Which backend holds the key (recorded, so a silent switch can be refused)."""

    def store(self, vault_id: str, key: bytes, passphrase: str | None) -> None:
        """Keep ``key`` for ``vault_id``, replacing any earlier one."""

    def fetch(self, vault_id: str, passphrase: str | None) -> bytearray:
        """Return the key; raises WrongPassphrase or KeyStoreError."""

    def change_passphrase(self, vault_id: str, old: str, new: str) -> None:
        """Re-wrap the key under a new passphrase (passphrase stores only)."""

    def remove(self, vault_id: str) -> None:
        """Forget the key for ``vault_id`` (missing is fine)."""
