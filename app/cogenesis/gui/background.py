"""Run one blocking call (a network probe, a server start) off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from cogenesis.core.errors import CogenesisError


class BackgroundCall(QObject):
    """Runs ``func`` in a Python thread; ``succeeded(result)`` or ``failed(message)`` arrive
    on the GUI thread. Call ``wait()`` before the object is deleted."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, func: Callable[[], object]) -> None:
        """Start ``func``; refused (RuntimeError) while a previous call still runs."""
        if self.running:
            raise RuntimeError("a background call is already running")
        self._thread = threading.Thread(target=self._run, args=(func,), daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, func: Callable[[], object]) -> None:
        try:
            result = func()
        except CogenesisError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # an unexpected error still reaches the user, once
            self.failed.emit(f"Unexpected error: {type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(result)
