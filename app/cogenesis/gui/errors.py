"""Errors as the user sees them: what happened and what to do; details only on request."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from cogenesis.core.errors import CogenesisError

log = logging.getLogger(__name__)
_shown_unexpected: set[str] = set()


def show_error(parent: QWidget | None, error: CogenesisError) -> None:
    """A known error: its message and the next step."""
    QMessageBox.warning(parent, "CoGenesis", f"{error.message}\n\n{error.hint}".strip())


def show_unexpected(parent: QWidget | None, details: str) -> None:
    """An unexpected error, shown once per kind; the traceback is behind 'Show Details'."""
    log.error("unexpected error:\n%s", details)
    kind = details.strip().splitlines()[-1] if details.strip() else "unknown"
    if kind in _shown_unexpected:
        return
    _shown_unexpected.add(kind)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Something went wrong")
    box.setText(
        "Something unexpected went wrong. Your message and the conversation are kept.\n\n"
        "Try again; if it happens again, the details below help a bug report (the app's "
        "log has them too)."
    )
    box.setDetailedText(details)
    box.open()
