"""What every command needs: the app's paths, settings and the vault's key store."""

from __future__ import annotations

from dataclasses import dataclass

from cogenesis.adapters.keystore import Preference, keystore_for
from cogenesis.cli.prompts import read_secret
from cogenesis.core.logs import configure_logging
from cogenesis.core.paths import AppPaths
from cogenesis.core.vault import KeyStore, Vault, VaultFiles, read_meta, unlock_vault


@dataclass
class CliContext:
    paths: AppPaths

    @classmethod
    def create(cls) -> CliContext:
        paths = AppPaths.default().ensure()
        configure_logging(paths)
        return cls(paths)

    @property
    def files(self) -> VaultFiles:
        return VaultFiles(self.paths.vault_dir)

    def keystore(self, prefer: Preference = "auto") -> KeyStore:
        return keystore_for(self.files, prefer)

    def unlock(self) -> Vault:
        """Unlock the vault, asking for the passphrase when the key store needs one."""
        read_meta(self.files)  # no vault: say so before asking for a passphrase
        store = self.keystore()
        passphrase = read_secret("Vault passphrase: ") if store.needs_passphrase else None
        return unlock_vault(self.files, store, passphrase)
