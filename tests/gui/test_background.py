"""Work off the GUI thread: only the latest call's outcome arrives, every error as a
CogenesisError, an unexpected one shown once with its details."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cogenesis.core.errors import CogenesisError, VaultLocked
from cogenesis.gui.background import BackgroundCall, run_blocking
from cogenesis.gui.errors import UnexpectedError
from tests.gui.dialogs import close_all, unexpected_error_dialogs


def collect(call: BackgroundCall) -> tuple[list[object], list[CogenesisError]]:
    results: list[object] = []
    errors: list[CogenesisError] = []
    call.succeeded.connect(results.append)
    call.failed.connect(errors.append)
    return results, errors


def finish(qtbot: QtBot, call: BackgroundCall) -> None:
    call.wait()
    qtbot.wait(20)  # the outcomes arrive through the event loop


def test_only_the_latest_result_is_delivered(qtbot: QtBot) -> None:
    call = BackgroundCall()
    results, errors = collect(call)
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "old"

    call.start(slow)
    assert call.running
    call.start(lambda: "new")
    qtbot.waitUntil(lambda: results == ["new"])
    release.set()
    finish(qtbot, call)
    assert results == ["new"] and errors == [] and not call.running


def test_cancel_drops_a_result(qtbot: QtBot) -> None:
    call = BackgroundCall()
    results, _errors = collect(call)
    call.start(lambda: "dropped")
    call.cancel()
    assert not call.running
    finish(qtbot, call)
    assert results == []


def test_a_known_error_arrives_as_it_is(qtbot: QtBot) -> None:
    call = BackgroundCall()
    results, errors = collect(call)

    def locked() -> None:
        raise VaultLocked("The vault is locked.", "Unlock it first.")

    call.start(locked)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], VaultLocked) and str(errors[0]) == (
        "The vault is locked. Unlock it first."
    )
    assert results == [] and not call.running
    assert unexpected_error_dialogs("VaultLocked") == []


def test_an_unexpected_error_is_shown_once_and_still_ends_the_call(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    call = BackgroundCall(owner)
    _results, errors = collect(call)
    marker = "background-lost-key"

    def broken() -> None:
        raise KeyError(marker)

    for _attempt in range(2):
        call.start(broken)
        qtbot.waitUntil(lambda: not call.running)
    assert [type(e) for e in errors] == [UnexpectedError, UnexpectedError]
    assert errors[0].message == "Something unexpected went wrong (KeyError)."
    dialogs = unexpected_error_dialogs(marker)
    assert len(dialogs) == 1  # the same error again is not shown again
    assert "Traceback" in dialogs[0].detailedText() and "in broken" in dialogs[0].detailedText()
    close_all(dialogs)


def test_a_superseded_call_s_error_is_not_shown(qtbot: QtBot) -> None:
    call = BackgroundCall()
    results, errors = collect(call)
    release = threading.Event()
    marker = "superseded-lost-key"

    def broken() -> None:
        release.wait(5)
        raise KeyError(marker)

    call.start(broken)
    call.start(lambda: "new")
    qtbot.waitUntil(lambda: results == ["new"])
    release.set()
    finish(qtbot, call)
    assert errors == [] and unexpected_error_dialogs(marker) == []


def test_blocking_keeps_the_event_loop_running(qtbot: QtBot) -> None:
    ticks: list[float] = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    caller = threading.get_ident()
    result = run_blocking(lambda: (time.sleep(0.3), threading.get_ident())[1])
    timer.stop()
    assert result != caller
    assert len(ticks) >= 10  # the GUI thread kept serving timers for those 0.3 s


def test_blocking_raises_a_known_error_as_it_is(qtbot: QtBot) -> None:
    def fail() -> None:
        raise CogenesisError("The passphrase does not open the vault.", "Type it again.")

    with pytest.raises(CogenesisError, match="does not open"):
        run_blocking(fail)


def test_blocking_shows_an_unexpected_error_and_raises_what_to_show(qtbot: QtBot) -> None:
    marker = "blocking-bad-value"

    def fail() -> None:
        raise ValueError(marker)

    with pytest.raises(UnexpectedError, match=r"unexpected went wrong \(ValueError\)"):
        run_blocking(fail)
    dialogs = unexpected_error_dialogs(marker)
    assert len(dialogs) == 1
    close_all(dialogs)
