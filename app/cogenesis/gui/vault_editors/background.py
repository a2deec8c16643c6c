"""Reading the vault off the GUI thread when it takes long (deriving the sensitive terms of a
large vault takes seconds). Only the latest call's result is delivered; older ones are dropped.

The function must not touch widgets. The vault's connection is shared safely: its lock
serialises queries, and a lock of the vault waits for a running query to finish.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal, SignalInstance

from cogenesis.core.errors import CogenesisError


class _Outcome(QObject):
    """Carries one call's result back to the GUI thread (queued: it lives there)."""

    done = Signal(int, object)
    failed = Signal(int, str)


class LatestCall(QObject):
    """``start(fn)`` runs ``fn`` on the thread pool; ``done(result)`` or ``failed(message)``
    follows for the latest call only. ``cancel`` drops whatever is running."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticket = 0
        self._running: set[int] = set()
        self._outcome = _Outcome(self)
        self._outcome.done.connect(self._on_done)
        self._outcome.failed.connect(self._on_failed)

    @property
    def running(self) -> bool:
        return self._ticket in self._running

    def start(self, fn: Callable[[], object]) -> None:
        self._ticket += 1
        ticket = self._ticket
        outcome = self._outcome
        self._running.add(ticket)

        def run() -> None:
            try:
                result = fn()
            except CogenesisError as exc:  # a locked or damaged vault: say so, calmly
                _emit(outcome.failed, ticket, str(exc))
                return
            _emit(outcome.done, ticket, result)

        QThreadPool.globalInstance().start(run)

    def cancel(self) -> None:
        self._ticket += 1

    def _on_done(self, ticket: int, result: object) -> None:
        self._running.discard(ticket)
        if ticket == self._ticket:
            self.done.emit(result)

    def _on_failed(self, ticket: int, message: str) -> None:
        self._running.discard(ticket)
        if ticket == self._ticket:
            self.failed.emit(message)


def _emit(signal: SignalInstance, *args: object) -> None:
    try:
        signal.emit(*args)
    except RuntimeError:  # the editor was closed and deleted meanwhile: nobody to tell
        return
