"""The notes editor end to end against a real vault: add, search, edit, delete, undo, and
unsaved changes kept through a switch, a refused save and a lock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from cogenesis.core.vault import Vault, VaultFiles, unlock_vault
from cogenesis.gui.vault_editors.notes_editor import NotesEditor
from cogenesis.gui.vault_editors.unsaved import Choice
from devsupport.fakes import MemoryKeyStore


@pytest.fixture
def editor(qtbot: QtBot, vault: Vault) -> Iterator[NotesEditor]:
    shown = NotesEditor()
    qtbot.addWidget(shown)
    shown.set_vault(vault)
    shown.show()
    yield shown
    shown.close()


def titles(editor: NotesEditor) -> list[str]:
    return [editor.list.list.item(r).text() for r in range(editor.list.list.count())]


def write(qtbot: QtBot, editor: NotesEditor, title: str, body: str, tags: str = "") -> None:
    editor.form.title.clear()
    qtbot.keyClicks(editor.form.title, title)
    editor.form.tags.setText(tags)
    editor.form.body.setPlainText(body)


def search(qtbot: QtBot, editor: NotesEditor, text: str) -> None:
    editor.list.search.setText(text)
    qtbot.waitUntil(lambda: not editor._search_timer.isActive())


def test_locked_until_a_vault_is_set(qtbot: QtBot, vault: Vault) -> None:
    editor = NotesEditor()
    qtbot.addWidget(editor)
    assert editor.is_locked and editor._stack.currentWidget() is editor.locked_notice
    editor.set_vault(vault)
    assert editor._stack.currentWidget() is editor.content
    vault.lock()
    editor.set_vault(vault)  # a locked vault shows the notice too
    assert editor.is_locked and editor._stack.currentWidget() is editor.locked_notice
    editor.close()


def test_add_search_and_edit_notes(qtbot: QtBot, editor: NotesEditor, vault: Vault) -> None:
    assert editor.form.heading.text() == "New note" and titles(editor) == []
    assert editor.list.count.text() == "No notes yet: write one on the right and save it."
    write(qtbot, editor, "Dentist", "Friday 9:00, bring the X-rays", "health, health, ")
    assert editor.has_unsaved_changes() and editor.form.status.text() == "Unsaved changes"
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(editor.form.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    note = vault.notes.all()[0]
    assert (note.title, note.body, note.tags) == (
        "Dentist",
        "Friday 9:00, bring the X-rays",
        ["health"],
    )
    assert not editor.has_unsaved_changes() and "Saved “Dentist”" in editor.form.messages.text()

    editor.new_button.click()
    write(qtbot, editor, "", "Call the plumber about the leak")
    assert editor.save()
    assert titles(editor) == ["Call the plumber about the leak", "Dentist"]
    assert editor.list.count.text() == "2 notes"

    search(qtbot, editor, "dent")
    assert titles(editor) == ["Dentist"]
    assert editor.list.count.text() == "1 match in 2 notes"
    editor.list.list.setCurrentRow(0)
    assert editor.form.title.text() == "Dentist"
    editor.form.body.setPlainText("Friday 10:30 now")
    assert editor.save()
    assert vault.notes.get(note.id).body == "Friday 10:30 now"
    search(qtbot, editor, "health")  # tags are searchable
    assert titles(editor) == ["Dentist"]
    search(qtbot, editor, "zzz")
    assert titles(editor) == [] and editor.form.title.text() == "Dentist"
    search(qtbot, editor, "")
    assert len(titles(editor)) == 2


def test_a_refused_save_keeps_the_text(qtbot: QtBot, editor: NotesEditor, vault: Vault) -> None:
    write(qtbot, editor, "Only a title", "   ")
    assert not editor.save()
    assert editor.form.messages.kind == "error"
    assert "The note body is empty" in editor.form.messages.text()
    assert editor.form.title.text() == "Only a title" and editor.has_unsaved_changes()
    assert vault.notes.count() == 0


def test_switching_asks_about_unsaved_changes(
    qtbot: QtBot, editor: NotesEditor, vault: Vault
) -> None:
    first = vault.notes.add("First", "one")
    vault.notes.add("Second", "two")
    editor.set_vault(vault)
    assert editor.form.title.text() == "Second"  # newest first, and opened
    editor.form.body.setPlainText("two, edited")
    answers = [Choice.CANCEL, Choice.SAVE]
    editor.ask_save = lambda parent, what: answers.pop(0)
    editor.list.list.setCurrentRow(1)
    assert editor.form.body.toPlainText() == "two, edited"  # cancelled: stays
    assert editor.list.list.currentItem().text() == "Second"
    editor.list.list.setCurrentRow(1)
    assert editor.form.title.text() == "First" and editor.current_id == first.id
    assert {n.body for n in vault.notes.all()} == {"one", "two, edited"}

    editor.form.body.setPlainText("one, edited")
    editor.ask_save = lambda parent, what: Choice.DISCARD
    editor.new_button.click()
    assert editor.form.heading.text() == "New note"
    assert vault.notes.get(first.id).body == "one"


def test_the_real_prompt_offers_save_discard_cancel(qtbot: QtBot, editor: NotesEditor) -> None:
    write(qtbot, editor, "Draft", "typed text")

    def answer_cancel() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "Save your changes" in box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer_cancel)
    assert not editor.confirm_leave()
    assert editor.form.body.toPlainText() == "typed text"


def test_delete_then_undo(qtbot: QtBot, editor: NotesEditor, vault: Vault) -> None:
    vault.notes.add("Keep", "kept")
    gone = vault.notes.add("Trip", "Lisbon in May", ["travel"])
    editor.set_vault(vault)
    assert editor.current_id == gone.id
    editor.list.list.setFocus()
    qtbot.keyClick(editor.list.list, Qt.Key.Key_Delete)
    assert [n.title for n in vault.notes.all()] == ["Keep"]
    assert titles(editor) == ["Keep"] and editor.form.title.text() == "Keep"
    assert editor.form.messages.action_button.text() == "Undo"
    editor.form.messages.action_button.click()
    restored = [n for n in vault.notes.all() if n.title == "Trip"]
    assert [(n.body, n.tags, n.created_at) for n in restored] == [
        ("Lisbon in May", ["travel"], gone.created_at)
    ]
    assert editor.form.title.text() == "Trip" and not editor.has_unsaved_changes()


def test_unsaved_changes_survive_a_lock(
    qtbot: QtBot,
    editor: NotesEditor,
    vault: Vault,
    vault_files: VaultFiles,
    key_store: MemoryKeyStore,
) -> None:
    note = vault.notes.add("Groceries", "milk")
    editor.set_vault(vault)
    editor.form.body.setPlainText("milk, eggs")
    vault.lock()
    editor.set_vault(None)
    assert editor.form.body.toPlainText() == "" and titles(editor) == []
    reopened = unlock_vault(vault_files, key_store)
    try:
        editor.set_vault(reopened)
        assert editor.current_id == note.id
        assert editor.form.body.toPlainText() == "milk, eggs" and editor.has_unsaved_changes()
        assert "before the vault locked" in editor.form.messages.text()
    finally:
        editor.set_vault(None)
        reopened.lock()


def test_setting_the_same_vault_rereads_it_and_keeps_edits(
    editor: NotesEditor, vault: Vault
) -> None:
    first = vault.notes.add("First", "one")
    editor.set_vault(vault)
    vault.notes.add("Imported", "from a file")
    editor.form.body.setPlainText("one, edited")
    editor.set_vault(vault)
    assert titles(editor) == ["Imported", "First"]
    assert editor.current_id == first.id and editor.form.body.toPlainText() == "one, edited"
    vault.notes.delete(first.id)
    editor.set_vault(vault)
    assert titles(editor) == ["Imported"]
    assert editor.current_id is None and editor.form.body.toPlainText() == "one, edited"
    assert editor.form.heading.text() == "New note" and editor.has_unsaved_changes()
