"""The GUI's view of the vault: absent, locked or unlocked, with a signal on every change."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from cogenesis.core.paths import AppPaths
from cogenesis.core.vault import (
    KeyStore,
    Recovery,
    Vault,
    VaultFiles,
    create_vault,
    read_meta,
    recover_from_backup,
    unlock_vault,
)
from cogenesis.gui.background import run_blocking

if TYPE_CHECKING:  # keyring is imported when a key store is needed, not with the window
    from cogenesis.adapters.keystore import Preference


class VaultState(Enum):
    ABSENT = "no vault"
    LOCKED = "locked"
    UNLOCKED = "unlocked"


class VaultSession(QObject):
    """Owns the unlocked Vault (if any); widgets listen to ``changed``."""

    changed = Signal()

    def __init__(self, paths: AppPaths) -> None:
        super().__init__()
        self.paths = paths
        self.files = VaultFiles(paths.vault_dir)
        self.vault: Vault | None = None

    @property
    def state(self) -> VaultState:
        if self.vault is not None and not self.vault.is_locked:
            return VaultState.UNLOCKED
        return VaultState.LOCKED if self.files.exists() else VaultState.ABSENT

    def keystore(self, prefer: Preference = "auto") -> KeyStore:
        from cogenesis.adapters.keystore import keystore_for

        return keystore_for(self.files, prefer)

    def key_description(self) -> str:
        if not self.files.exists():
            return self.keystore().backend_name
        meta = read_meta(self.files)
        if meta.key_storage == "keyring":
            return f"OS keyring ({meta.key_backend})"
        return meta.key_backend

    def create(self, passphrase: str | None, prefer: Preference = "auto") -> None:
        """Create the vault (key derivation runs off the GUI thread); ``prefer`` picks the
        key store (keyring or passphrase)."""
        store = self.keystore(prefer)
        self.vault = run_blocking(lambda: create_vault(self.files, store, passphrase))
        self.changed.emit()

    def unlock(self, passphrase: str | None) -> None:
        """Unlock (key derivation and the page check run off the GUI thread)."""
        store = self.keystore()
        self.vault = run_blocking(lambda: unlock_vault(self.files, store, passphrase))
        self.changed.emit()

    def recover(self, passphrase: str | None, backup: Path | None = None) -> Recovery:
        """Lock, put ``backup`` (or the newest sound automatic backup) back, unlock again."""
        if self.vault is not None:
            self.vault.lock()
            self.vault = None
        store = self.keystore()
        recovery = run_blocking(lambda: recover_from_backup(self.files, store, passphrase, backup))
        self.vault = run_blocking(lambda: unlock_vault(self.files, store, passphrase))
        self.changed.emit()
        return recovery

    def lock(self) -> None:
        if self.vault is not None:
            self.vault.lock()
            self.vault = None
        self.changed.emit()
