"""Errors as the user sees them: what happened and what to do; details only on request.

The one route for an error of work done for the user (in the GUI thread, a background call
or the answer worker): ``user_error`` turns any exception into a CogenesisError for the
caller to show where the user looks (its message and hint); an unexpected one is shown
first, once, with its traceback behind "Show Details".
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from cogenesis.core.errors import CogenesisError

log = logging.getLogger(__name__)
_shown_unexpected: set[str] = set()
_open_boxes: set[QMessageBox] = set()  # a box without a parent lives as long as a reference


class UnexpectedError(CogenesisError):
    """What the caller shows in place of an unexpected error, whose details are shown
    (once) in a dialog; ``details`` is the traceback."""

    def __init__(self, kind: str, details: str) -> None:
        super().__init__(
            f"Something unexpected went wrong ({kind}).",
            "Try again; if it happens again, the details help a bug report.",
        )
        self.details = details


def user_error(parent: QWidget | None, error: BaseException) -> CogenesisError:
    """A CogenesisError as it is; any other error shown once (``show_unexpected``) and
    returned as an UnexpectedError."""
    if isinstance(error, CogenesisError):
        return error
    return unexpected(parent, "".join(traceback.format_exception(error)))


def unexpected(parent: QWidget | None, details: str) -> UnexpectedError:
    """Show an unexpected error from its traceback (once); what the caller shows in its place."""
    show_unexpected(parent, details)
    return UnexpectedError(_kind(details).split(":", 1)[0], details)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """In a message box: a known error's message and next step; an unexpected error as
    ``show_unexpected`` shows it."""
    if not isinstance(error, CogenesisError):
        user_error(parent, error)
        return
    QMessageBox.warning(parent, "CoGenesis", f"{error.message}\n\n{error.hint}".strip())


def show_unexpected(parent: QWidget | None, details: str) -> None:
    """An unexpected error, shown once per kind; the traceback is behind 'Show Details'."""
    log.error("unexpected error:\n%s", details)
    kind = _kind(details)
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
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()


def _kind(details: str) -> str:
    """A traceback's last line (``KeyError: 'name'``): what makes two errors the same."""
    return details.strip().splitlines()[-1] if details.strip() else "unknown"
