"""Slow calls run in a thread while the event loop keeps turning."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from cogenesis.gui.off_thread import run_off_thread


def test_the_event_loop_runs_while_the_call_works(qtbot: QtBot) -> None:
    ticks: list[float] = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    caller = threading.get_ident()
    result = run_off_thread(lambda: (time.sleep(0.3), threading.get_ident())[1])
    timer.stop()
    assert result != caller
    assert len(ticks) >= 10  # the GUI thread kept serving timers for those 0.3 s


def test_the_call_s_exception_reaches_the_caller(qtbot: QtBot) -> None:
    def fail() -> None:
        raise ValueError("bad passphrase")

    with pytest.raises(ValueError, match="bad passphrase"):
        run_off_thread(fail)
