"""Asking what to do with unsaved changes before they would be lost."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget


class Choice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_save_changes(parent: QWidget, what: str) -> Choice:
    """Save / Discard / Cancel for the unsaved changes to ``what`` ("this note")."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"Save your changes to {what}?")
    box.setInformativeText("If you don't save, your changes will be lost.")
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    box.setAccessibleName("Unsaved changes")
    answer = box.exec()
    if answer == buttons.Save:
        return Choice.SAVE
    return Choice.DISCARD if answer == buttons.Discard else Choice.CANCEL
