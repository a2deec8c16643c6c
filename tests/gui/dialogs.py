"""Finding the error dialogs a test caused (they open without blocking: ``QMessageBox.open``)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox


def unexpected_error_dialogs(marker: str) -> list[QMessageBox]:
    """The open "Something went wrong" dialogs whose details mention ``marker``."""
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QMessageBox)
        and widget.isVisible()
        and marker in widget.detailedText()
    ]


def close_all(dialogs: list[QMessageBox]) -> None:
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()
