"""The Private context window: every editor over one vault, the locked state, leaving with
unsaved changes, and screenshots of each tab for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cogenesis.core.vault import Profile, Vault
from cogenesis.gui.vault_editors import PrivateContextWindow
from cogenesis.gui.vault_editors.unsaved import Choice
from tests.gui.screenshots import save_screenshot

NOTES = [
    ("Dentist", "Friday 9:00 with Dr Okonkwo at Riverside Clinic. Bring the X-rays.", ["health"]),
    ("Priya's school", "Priya starts at Hillside Primary in Bristol on 4 September.", ["family"]),
    ("Weekend", "Saturday: help Marco move the piano, then dinner at Casa Lupo.", []),
]
SAMPLES = [
    ("Note to the neighbours", "Hi all! Quick heads-up: we're having the roof fixed next week."),
    ("Thank-you email", "Dear Ms Varga, thank you so much for the lovely evening."),
]


def fill(vault: Vault) -> None:
    vault.profile.set(
        Profile(
            name="Isabel Martinez",
            age="41",
            occupation="Veterinary nurse",
            location="Bristol, UK",
            traits="Organised, warm, a little impatient",
            writing_style="Short sentences, friendly, no emoji",
            private_facts="Daughter Priya (7)\nVolunteers at the Sunrise Animal Shelter",
            extra={"Doctor": "Dr Okonkwo", "Pet": "a cat called Miso"},
        )
    )
    for title, body, tags in NOTES:
        vault.notes.add(title, body, tags)
    for title, text in SAMPLES:
        vault.samples.add(title, text)
    vault.terms.mark("Project Nightingale")
    vault.terms.unmark("Casa Lupo", "NAME")


@pytest.fixture
def window(qtbot: QtBot, vault: Vault) -> Iterator[PrivateContextWindow]:
    fill(vault)
    shown = PrivateContextWindow()
    qtbot.addWidget(shown)
    shown.set_vault(vault)
    shown.show()
    qtbot.waitUntil(lambda: not shown.terms.busy)
    yield shown
    shown.set_vault(None)
    shown.close()


def test_screenshots_of_every_tab(
    qtbot: QtBot, window: PrivateContextWindow, tmp_path: Path
) -> None:
    window.notes.list.list.setCurrentRow(1)
    for index, name in enumerate(["profile", "notes", "samples", "terms"]):
        window.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: not window.terms.busy)
        if name == "terms":
            window.terms._select_terms(["Bristol"])
            qtbot.waitUntil(lambda: "occurs in" in window.terms.sources.text())
        assert window.grab().width() >= 900
        for path in save_screenshot(window, tmp_path, f"private-context-{name}.png"):
            assert path.stat().st_size > 10_000


def test_every_editor_shows_the_vault(window: PrivateContextWindow) -> None:
    assert window.profile.fields.inputs["name"].text() == "Isabel Martinez"
    assert window.notes.list.list.count() == len(NOTES)
    assert window.samples.list.list.count() == len(SAMPLES)
    assert "Casa Lupo" in [e.term for e in window.terms.entries if not e.sensitive]
    assert window.tabs.tabText(3) == "Sensitive terms"


def test_tabs_by_keyboard_and_terms_follow_other_editors(
    qtbot: QtBot, window: PrivateContextWindow
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is window.notes
    window.notes.new_document()
    window.notes.form.body.setPlainText("Lunch with Henrietta Albrechtsen")
    with qtbot.waitSignal(window.changed):
        assert window.notes.save()
    with qtbot.waitSignal(window.terms.refreshed):
        qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is window.terms
    assert "Henrietta Albrechtsen" in [e.term for e in window.terms.entries]


def test_tab_reaches_every_control_and_each_has_a_name(
    qtbot: QtBot, window: PrivateContextWindow
) -> None:
    window.activateWindow()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        window.tabs.tabBar().setFocus()
        chain: list[str] = []
        for _ in range(40):
            window.focusNextChild()
            widget = QApplication.focusWidget()
            if widget is window.tabs.tabBar():
                break
            assert widget is not None and widget.accessibleName(), f"unnamed: {widget!r}"
            chain.append(widget.accessibleName())
        assert len(chain) >= 5, chain
        if window.tabs.currentWidget() is window.notes:
            assert chain[:3] == ["Search notes", "Notes", "New note"]
            assert {"Title", "Tags", "Text", "Save the note"} <= set(chain)


def test_locking_shows_every_editor_locked(window: PrivateContextWindow, vault: Vault) -> None:
    vault.lock()
    window.set_vault(None)
    for editor in window.editors:
        assert editor.is_locked and editor._stack.currentWidget() is editor.locked_notice


def test_closing_asks_about_unsaved_changes_on_their_tab(
    window: PrivateContextWindow, vault: Vault
) -> None:
    window.samples.form.body.setPlainText("Dear Ms Varga, thanks again!")
    asked: list[str] = []

    def cancel(parent: object, what: str) -> Choice:
        asked.append(what)
        return Choice.CANCEL

    window.samples.ask_save = cancel
    assert window.has_unsaved_changes()
    window.close()
    assert window.isVisible() and asked == ["this writing sample"]
    assert window.tabs.currentWidget() is window.samples
    window.samples.ask_save = lambda parent, what: Choice.SAVE
    window.close()
    assert not window.isVisible()
    assert "Dear Ms Varga, thanks again!" in [s.text for s in vault.samples.all()]
