"""What every vault editor shares: a locked page, the unlocked content, and a ``changed``
signal after each write."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from cogenesis.core.vault import Vault


class VaultEditor(QWidget):
    """Shows ``content`` while an unlocked vault is set, and a locked notice otherwise.

    Subclasses build ``content`` and override ``_load`` (fill it from ``self.vault``) and
    ``_unload`` (forget what was shown when the vault goes away).
    """

    changed = Signal()  # the editor wrote to the vault

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault: Vault | None = None
        self.locked_notice = QLabel(
            f"<h3>The vault is locked</h3><p>Unlock it to see and edit your {what}.</p>"
        )
        self.locked_notice.setAccessibleName("Vault locked")
        self.locked_notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.content = QWidget()
        self._stack = QStackedWidget()
        self._stack.addWidget(self.locked_notice)
        self._stack.addWidget(self.content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    @property
    def is_locked(self) -> bool:
        return self.vault is None or self.vault.is_locked

    def set_vault(self, vault: Vault | None) -> None:
        """Show ``vault``'s records, or the locked notice for None (or a locked vault).

        Setting the vault already shown re-reads it (``reload``), keeping unsaved edits.
        """
        if vault is not None and vault is self.vault and not vault.is_locked:
            self.reload()
            return
        if self.vault is not None:
            self._unload()
        self.vault = None if vault is None or vault.is_locked else vault
        self._stack.setCurrentWidget(self.locked_notice if self.vault is None else self.content)
        if self.vault is not None:
            self._load()

    def reload(self) -> None:
        """Re-read the vault (another part of the app changed it); unsaved edits stay."""

    def has_unsaved_changes(self) -> bool:
        return False

    def confirm_leave(self) -> bool:
        """Before the editor goes away: ask about unsaved changes; False if the user stays."""
        return True

    def _load(self) -> None:
        """Fill the content from ``self.vault``."""

    def _unload(self) -> None:
        """Forget the shown records (the vault is being replaced or locked)."""
