"""The demo endpoint's life in the window: started off the GUI thread when the settings choose
it (or handed over by the first-run wizard), stopped when the window closes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from cogenesis.core.errors import CogenesisError
from cogenesis.gui.background import BackgroundCall

if TYPE_CHECKING:  # the remote adapters are imported when the demo is used, not with the window
    from cogenesis.adapters.remote import DemoServer


class DemoEndpoint(QObject):
    """``server`` is the running demo server, or None; ``changed`` follows it. Progress and
    failures are told in ``status_bar``."""

    changed = Signal()

    def __init__(self, status_bar: QStatusBar, window: QWidget) -> None:
        super().__init__(window)
        self.server: DemoServer | None = None
        self._starting: DemoServer | None = None
        self._status_bar = status_bar
        self._start = BackgroundCall(window)  # an unexpected error's dialog opens over it
        self._start.succeeded.connect(self._started)
        self._start.failed.connect(self._failed)

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    def use(self, server: DemoServer | None) -> None:
        """A demo server started elsewhere; it is stopped with the window."""
        self.server = server
        self.changed.emit()

    def start(self) -> None:
        """Start a demo server unless one runs or is starting; the cloud modes appear once it
        answers."""
        if self.running or self._starting is not None:
            return
        from cogenesis.adapters.remote import DemoServer, demo_log_file
        from cogenesis.core.paths import AppPaths

        try:
            server = DemoServer(demo_log_file(AppPaths.default()))
        except CogenesisError as exc:  # no starter model to serve
            self._failed(exc)
            return
        self._starting = server
        self._status_bar.showMessage("Starting the demo endpoint (a stand-in for a cloud)…")
        self._start.start(server.start)

    def stop(self) -> None:
        """Stop the server, after waiting for a start under way."""
        self._start.wait()
        for server in (self.server, self._starting):
            if server is not None:
                server.stop()

    def _started(self, _result: object) -> None:
        server, self._starting = self._starting, None
        if server is not None:
            self.use(server)
            self._status_bar.showMessage(f"{server.label}: ready.", 8000)

    def _failed(self, error: CogenesisError) -> None:
        self._starting = None
        self._status_bar.showMessage(f"The demo endpoint did not start: {error}", 30_000)
