"""Vault key wrapped under a passphrase in a 0600 key file (when there is no OS keyring)."""

from __future__ import annotations

import json
from pathlib import Path

from cogenesis.core.errors import KeyStoreError
from cogenesis.core.fileio import write_private_atomic
from cogenesis.core.vault.keystore import KeyStoreKind
from cogenesis.core.vault.keywrap import KdfParams, WrappedKey, unwrap_key, wrap_key

KEY_FILE_FORMAT = 1


class PassphraseKeyStore:
    """Argon2id (>= 64 MiB, t >= 3) derives a key that seals the vault key with AES-256-GCM."""

    kind: KeyStoreKind = "passphrase"
    needs_passphrase = True
    backend_name = "passphrase key file (Argon2id + AES-256-GCM)"

    def __init__(self, key_file: Path, params: KdfParams | None = None) -> None:
        self.key_file = key_file
        self._params = params

    def store(self, vault_id: str, key: bytes, passphrase: str | None) -> None:
        if not passphrase:
            raise KeyStoreError("A passphrase is needed to protect the key.", "Enter one.")
        wrapped = wrap_key(key, passphrase, _label(vault_id), self._params)
        doc = {"format": KEY_FILE_FORMAT, "vault_id": vault_id, **wrapped.to_json()}
        write_private_atomic(self.key_file, (json.dumps(doc, indent=2) + "\n").encode())

    def fetch(self, vault_id: str, passphrase: str | None) -> bytearray:
        doc = self._read()
        if doc.get("vault_id") != vault_id:
            raise KeyStoreError(
                f"The key file {self.key_file} belongs to another vault.",
                "Put this vault's own vault.key back, or restore from a backup.",
            )
        return unwrap_key(WrappedKey.from_json(doc), passphrase or "", _label(vault_id))

    def change_passphrase(self, vault_id: str, old: str, new: str) -> None:
        key = self.fetch(vault_id, old)
        try:
            self.store(vault_id, bytes(key), new)
        finally:
            key[:] = bytes(len(key))

    def remove(self, vault_id: str) -> None:
        self.key_file.unlink(missing_ok=True)

    def _read(self) -> dict[str, object]:
        try:
            doc = json.loads(self.key_file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise KeyStoreError(
                f"The vault's key file {self.key_file} is missing.",
                "Put vault.key back from a copy of the vault folder, or restore from a backup.",
            ) from exc
        except (OSError, ValueError) as exc:
            raise KeyStoreError(
                f"The key file {self.key_file} cannot be read ({exc}).",
                "Restore it from a copy of the vault folder, or restore from a backup.",
            ) from exc
        if not isinstance(doc, dict) or doc.get("format") != KEY_FILE_FORMAT:
            raise KeyStoreError(
                f"The key file {self.key_file} has an unknown format.",
                "Upgrade CoGenesis or restore from a backup.",
            )
        return doc


def _label(vault_id: str) -> str:
    return f"vault:{vault_id}"
