"""Throwaway vaults: one per sample and strategy, holding that sample's user, encrypted with
a key that lives only in memory and deleted with its folder."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cogenesis.core.errors import KeyStoreError
from cogenesis.core.evaluation.dataset import Sample
from cogenesis.core.vault import KeyStoreKind, Vault, VaultFiles, create_vault, import_into
from cogenesis.core.vault.transfer import parse_dataset_user


class _NotThrowaway(logging.Filter):
    """Keeps the app's log about the user's vault: a run creates a vault per answer."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "EphemeralKeyStore" not in record.getMessage()


logging.getLogger("cogenesis.core.vault.lifecycle").addFilter(_NotThrowaway())


class EphemeralKeyStore:
    """A key store for a vault that lives as long as one evaluation job (no passphrase)."""

    kind: KeyStoreKind = "keyring"
    needs_passphrase = False
    backend_name = "cogenesis.core.evaluation.EphemeralKeyStore"

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}

    def store(self, vault_id: str, key: bytes, passphrase: str | None) -> None:
        self.keys[vault_id] = bytes(key)

    def fetch(self, vault_id: str, passphrase: str | None) -> bytearray:
        if vault_id not in self.keys:
            raise KeyStoreError("This throwaway vault's key is gone.", "Run the job again.")
        return bytearray(self.keys[vault_id])

    def change_passphrase(self, vault_id: str, old: str, new: str) -> None:
        raise KeyStoreError("A throwaway vault has no passphrase.", "")

    def remove(self, vault_id: str) -> None:
        self.keys.pop(vault_id, None)


@contextmanager
def sample_vault(sample: Sample) -> Iterator[Vault]:
    """An unlocked vault holding ``sample``'s user (profile and writing history)."""
    with tempfile.TemporaryDirectory(prefix="cogenesis-eval-") as folder:
        vault = create_vault(VaultFiles(Path(folder) / "vault"), EphemeralKeyStore())
        try:
            import_into(vault, parse_dataset_user(sample.raw, f"sample {sample.id}: "))
            yield vault
        finally:
            vault.lock()
