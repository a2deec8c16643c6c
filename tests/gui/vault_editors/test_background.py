"""LatestCall: work off the GUI thread whose only the latest result is delivered."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from cogenesis.core.errors import VaultLocked
from cogenesis.gui.vault_editors.background import LatestCall


def collect(call: LatestCall) -> tuple[list[object], list[str]]:
    results: list[object] = []
    errors: list[str] = []
    call.done.connect(results.append)
    call.failed.connect(errors.append)
    return results, errors


def finish(qtbot: QtBot) -> None:
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(20)  # the results arrive through the event loop


def test_only_the_latest_result_is_delivered(qtbot: QtBot) -> None:
    call = LatestCall()
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
    finish(qtbot)
    assert results == ["new"] and errors == [] and not call.running


def test_cancel_drops_a_result_and_errors_are_messages(qtbot: QtBot) -> None:
    call = LatestCall()
    results, errors = collect(call)
    call.start(lambda: "dropped")
    call.cancel()
    assert not call.running
    finish(qtbot)
    assert results == []

    def locked() -> None:
        raise VaultLocked("The vault is locked.", "Unlock it first.")

    call.start(locked)
    qtbot.waitUntil(lambda: errors == ["The vault is locked. Unlock it first."])
    assert results == []
