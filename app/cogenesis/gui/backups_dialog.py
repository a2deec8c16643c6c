"""Choosing an automatic backup to put back in place of the vault."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cogenesis.core.vault import AutomaticBackup, autobackup

EXPLANATION = (
    "The vault keeps an encrypted copy of itself each time it is closed after a change (at "
    f"most one every {autobackup.MIN_INTERVAL_S / 60:g} minutes; the newest {autobackup.KEEP} "
    "are kept). Restoring one replaces the vault's database with it: changes made after that "
    "backup are not in it. The database it replaces is kept aside in the vault folder, never "
    "deleted."
)


def backup_label(backup: AutomaticBackup) -> str:
    """ "Tuesday 1 December 2026, 14:05 — 2.3 MB", in local time."""
    local = backup.created_at.astimezone()
    when = f"{local:%A} {local.day} {local:%B %Y, %H:%M}"
    return f"{when} — {backup.size / 1e6:.1f} MB"


class BackupsDialog(QDialog):
    """Lists ``backups`` newest first; ``chosen()`` is the selected one after acceptance."""

    def __init__(self, parent: QWidget | None, backups: list[AutomaticBackup]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore an automatic backup")
        text = QLabel(EXPLANATION if backups else "There is no automatic backup yet.")
        text.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Automatic backups")
        for backup in backups:
            item = QListWidgetItem(backup_label(backup))
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        restore = self.buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        restore.setEnabled(bool(backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.resize(520, 320)

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None
