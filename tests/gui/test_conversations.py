"""The conversation list a user can tell apart and search, the outline kept with its answer,
and a window that comes back as it was left."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from cogenesis.core.collab.events import Notice, Phase, Token
from cogenesis.gui.conversation_item import SUBTITLE
from tests.gui.a11y import shared_mnemonics, unnamed_controls
from tests.gui.screenshots import save_screenshot
from tests.gui.test_main_window import add_conversation, make_window, unlocked_window


def _listed(window) -> list[str]:  # type: ignore[no-untyped-def]
    rows = window.conversations
    return [rows.item(i).text() for i in range(rows.count())]


def test_each_conversation_shows_its_date_and_mode_and_no_horizontal_scrollbar(
    qtbot: QtBot,
) -> None:
    window = unlocked_window(qtbot)
    add_conversation(window, "Write a short speech for my sister's wedding, warm and funny")
    item = window.conversations.item(0)
    assert "Local only" in item.data(SUBTITLE)
    assert item.data(SUBTITLE).split(" · ")[0]  # a time or a date comes first
    policy = window.conversations.horizontalScrollBarPolicy()
    assert policy == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_ctrl_f_searches_titles_and_messages_as_one_types(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    for title in ("Trip to Lyon", "Wedding speech", "Tax letter"):
        add_conversation(window, title)
    vault = window.session.vault
    assert vault is not None
    vault.conversations.add_message(
        vault.conversations.all()[-1].id, "user", "the food market in Croix-Rousse"
    )
    window.conversation_actions.find()
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "wed")
    assert _listed(window) == ["Wedding speech"]
    window.search.clear()
    qtbot.keyClicks(window.search, "market")
    assert _listed(window) == ["Trip to Lyon"]
    window.search.clear()
    assert len(_listed(window)) == 3


def test_the_outline_comes_back_with_its_conversation(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    vault = window.session.vault
    assert vault is not None
    conv = vault.conversations.create("Speech", "sketch")
    vault.conversations.add_message(conv.id, "user", "a speech")
    vault.conversations.add_message(
        conv.id, "assistant", "Dear all…", meta={"outline": "1. Greet\n2. Thank"}
    )
    add_conversation(window, "Other")
    window.conversation_actions.open(conv.id)
    assert window.outline.isVisibleTo(window) and "Thank" in window.outline.text()
    window.conversation_actions.open(vault.conversations.all()[0].id)
    assert not window.outline.isVisibleTo(window)


def test_the_egress_dock_keeps_the_window_on_the_screen(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    window.resize(min(1100, screen.width()), 700)
    width = window.width()
    window.show_egress()
    qtbot.wait(20)
    assert window.width() == width  # it was 1549 px on a 1440 px screen
    assert window.mode_bar.combo.width() >= window.mode_bar.combo.sizeHint().width()


def test_size_place_and_docks_are_remembered(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    window.resize(700, 560)
    qtbot.wait(20)
    window.close()
    again = make_window(qtbot)
    qtbot.wait(20)
    assert (again.width(), again.height()) == (700, 560)  # not the default 1100 × 720
    assert not again.egress_dock.isVisible()
    again.show_egress()
    again.close()
    third = make_window(qtbot)
    qtbot.wait(20)
    assert third.egress_dock.isVisible()
    third.close()


def test_the_answer_progress_stays_up_until_the_answer_ends(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    answers, activity = window.answers, window.status.activity
    answers._on_event(Phase("sketching"))
    assert activity.text() == "Sketching…"
    answers._on_event(Phase("expanding"))
    answers._on_event(Token("Dear"))
    answers._on_event(Notice("The remote model is slow; still waiting."))
    window.statusBar().clearMessage()  # the notice's time is up: "Generating…" went with it
    assert activity.text() == "Expanding… 1 token" and activity.isVisibleTo(window)
    answers._on_finished()
    assert activity.text() == ""


def test_answer_settings_are_per_conversation_and_come_back(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cogenesis.gui.generation_dialog import GenerationDialog

    window = unlocked_window(qtbot)
    first = add_conversation(window, "Coach")
    other = add_conversation(window, "Plain")
    window.conversation_actions.open(first)

    def typed(dialog: GenerationDialog) -> int:
        dialog.max_tokens.setValue(120)
        dialog.temperature.setValue(0.2)
        dialog.persona.setPlainText("Answer as a running coach.")
        dialog.accept()
        return 1

    monkeypatch.setattr(GenerationDialog, "exec", typed)
    window.show_generation()
    assert window.answers.generation.persona == "Answer as a running coach."
    vault = window.session.vault
    assert vault is not None
    assert window.answers._request(vault, "x", ()).generation.max_tokens == 120
    window.conversation_actions.open(other)
    assert window.answers.generation.max_tokens == 400 and not window.answers.generation.persona
    window.conversation_actions.open(first)
    assert window.answers.generation.temperature == 0.2 and window.max_tokens == 120
    dialog = GenerationDialog(window.answers.generation, "Coach", window)
    assert unnamed_controls(dialog) == []
    assert shared_mnemonics(dialog) == {}  # Alt+F and Alt+R each claimed twice in Settings
    dialog.show()
    save_screenshot(dialog, tmp_path, "answer-settings.png")
    dialog.close()
