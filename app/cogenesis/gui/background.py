"""Work off the GUI thread, with one error route.

``BackgroundCall.start(fn)`` runs ``fn`` in a thread of its own; ``succeeded(result)`` or
``failed(error)`` follows on the GUI thread, for the latest start only: a start supersedes
the calls before it, ``cancel`` drops them all. ``error`` is always a CogenesisError (see
``errors.user_error``): an unexpected exception has been shown to the user already, once and
with its traceback, and arrives as an UnexpectedError; so whatever waits for a call always
hears the end of it.

``run_blocking(fn)`` is one such call that the caller waits for while the event loop runs
(the window repaints, user input waits): for work of a few seconds that the caller needs
before it goes on, such as the key derivation of an unlock.

``fn`` must not touch widgets. superqt's workers were not taken: they replace the process's
warning filters from the worker thread while it runs (``warnings.catch_warnings``), and its
PySide6 extra excludes 6.12 on Python 3.11.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar, cast

from PySide6.QtCore import QEventLoop, QObject, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from cogenesis.core.errors import CogenesisError
from cogenesis.gui.errors import user_error

T = TypeVar("T")
log = logging.getLogger(__name__)


class _Outcome(QObject):
    """Carries a call's outcome to the GUI thread (it lives there, so delivery is queued)."""

    returned = Signal(int, object)
    raised = Signal(int, object)


class BackgroundCall(QObject):
    """Runs functions off the GUI thread; the latest one's outcome arrives on the GUI thread.

    A parent widget is where an unexpected error's dialog opens. ``wait()`` before
    deleting what the functions use.
    """

    succeeded = Signal(object)
    failed = Signal(object)  # a CogenesisError

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticket = 0
        self._unfinished: set[int] = set()
        self._threads: list[threading.Thread] = []
        self._outcome = _Outcome(self)
        self._outcome.returned.connect(self._returned)
        self._outcome.raised.connect(self._raised)

    @property
    def running(self) -> bool:
        """Whether the latest call's outcome is still to come."""
        return self._ticket in self._unfinished

    def start(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` in a new thread; the outcome of any earlier call is dropped."""
        self._ticket += 1
        self._unfinished.add(self._ticket)
        thread = threading.Thread(
            target=_run,
            args=(fn, self._ticket, self._outcome),
            name="cogenesis-background",
            daemon=True,
        )
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def cancel(self) -> None:
        """Drop the outcome of every call made so far (their threads run to their end)."""
        self._ticket += 1

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the threads of every call made so far to end."""
        for thread in self._threads:
            thread.join(timeout)

    def _returned(self, ticket: int, result: object) -> None:
        self._unfinished.discard(ticket)
        if ticket == self._ticket:
            self.succeeded.emit(result)

    def _raised(self, ticket: int, error: BaseException) -> None:
        self._unfinished.discard(ticket)
        if ticket != self._ticket:  # nobody waits for it any more; the log keeps it
            log.info("a superseded background call failed", exc_info=error)
            return
        self.failed.emit(user_error(self._dialog_parent(), error))

    def _dialog_parent(self) -> QWidget | None:
        parent = self.parent()
        return parent.window() if isinstance(parent, QWidget) else None


def run_blocking(fn: Callable[[], T], parent: QWidget | None = None) -> T:
    """``fn()``'s result, computed off the GUI thread while its event loop runs (user input
    excluded); raises the CogenesisError that ``failed`` would carry."""
    call = BackgroundCall(parent)
    results: list[object] = []
    errors: list[CogenesisError] = []
    loop = QEventLoop()
    call.succeeded.connect(results.append)
    call.failed.connect(errors.append)
    call.succeeded.connect(loop.quit)
    call.failed.connect(loop.quit)
    call.start(fn)
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)  # the outcome ends it
    call.wait()
    call.deleteLater()
    if errors:
        raise errors[0]
    return cast(T, results[0])


def _run(fn: Callable[[], object], ticket: int, outcome: _Outcome) -> None:
    """In the call's thread: every outcome, any exception too, goes to the GUI thread."""
    try:
        result = fn()
    except BaseException as exc:  # the GUI thread decides how the user hears of it
        _emit(outcome.raised, ticket, exc)
    else:
        _emit(outcome.returned, ticket, result)


def _emit(signal: SignalInstance, *args: object) -> None:
    try:
        signal.emit(*args)
    except RuntimeError:  # the owner was closed and deleted meanwhile: nobody to tell
        return
