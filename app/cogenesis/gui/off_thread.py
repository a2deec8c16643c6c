"""Run a slow call (Argon2 key derivation, a page-by-page HMAC check) in a thread while the
event loop keeps running, so the window repaints and stays responsive meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QTimer

T = TypeVar("T")
POLL_MS = 10


def run_off_thread(fn: Callable[[], T]) -> T:
    """Call ``fn`` in a new thread and return its result (or raise its exception); the GUI
    thread runs its event loop (user input excluded) until then. ``fn`` must not touch
    widgets."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(fn())
        except BaseException as exc:  # re-raised in the calling thread
            failure.append(exc)

    thread = threading.Thread(target=work, name="cogenesis-vault", daemon=True)
    thread.start()
    loop = QEventLoop()
    timer = QTimer(interval=POLL_MS)
    timer.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    timer.start()
    if thread.is_alive():
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    timer.stop()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
