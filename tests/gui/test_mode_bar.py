"""The mode box offers what the core policy table allows, and keeps consent where the
answer worker reads it."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from cogenesis.core.policy import ALLOWED, PrivacyMode
from cogenesis.gui.mode_bar import ModeBar, allowed_modes


@pytest.mark.parametrize("privacy", list(PrivacyMode))
def test_the_offered_modes_are_the_policy_tables(privacy: PrivacyMode) -> None:
    assert [m.strategy for m in allowed_modes(privacy, True)] == list(ALLOWED[privacy])


def test_without_a_remote_only_local_is_offered_where_it_is_allowed() -> None:
    assert [m.strategy for m in allowed_modes("private", False)] == ["local"]
    # cloud without context allows no local answer: it is still offered, and says what it needs
    assert [m.strategy for m in allowed_modes("cloud-no-context", False)] == ["cloud"]


def test_consent_given_in_the_bar_is_the_consent_the_worker_reads(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from cogenesis.core.settings import Settings
    from cogenesis.gui.answer_worker import AnswerWorker

    bar = ModeBar()
    qtbot.addWidget(bar)
    worker = AnswerWorker(Settings(), bar.consents)
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr("cogenesis.gui.mode_bar.QMessageBox.warning", lambda *_a, **_k: yes)
    assert bar.ask_consent()
    bar.conversation_started(5)  # consent given before the conversation was saved moves
    assert worker.consents.granted(5) and not worker.consents.granted(6)
