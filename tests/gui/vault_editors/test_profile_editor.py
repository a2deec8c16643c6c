"""The profile editor end to end against a real vault."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cogenesis.core.vault import Profile, Vault
from cogenesis.gui.vault_editors.profile_editor import ProfileEditor
from cogenesis.gui.vault_editors.unsaved import Choice


@pytest.fixture
def editor(qtbot: QtBot, vault: Vault) -> Iterator[ProfileEditor]:
    vault.profile.set(Profile(name="Isabel Martinez", age="41", extra={"Doctor": "Dr Okonkwo"}))
    shown = ProfileEditor()
    qtbot.addWidget(shown)
    shown.set_vault(vault)
    shown.show()
    yield shown
    shown.close()


def test_shows_and_saves_the_profile(qtbot: QtBot, editor: ProfileEditor, vault: Vault) -> None:
    fields = editor.fields
    assert fields.inputs["name"].text() == "Isabel Martinez"
    assert fields.facts.item(0, 1).text() == "Dr Okonkwo"
    assert not editor.has_unsaved_changes() and not editor.revert_button.isEnabled()
    qtbot.keyClicks(fields.inputs["location"], "Miami, Florida")
    fields.inputs["private_facts"].setPlainText("Volunteers at the shelter")
    fields.add_fact()
    fields.facts.item(1, 0).setText("Pet")
    fields.facts.item(1, 1).setText("a cat called Miso")
    assert editor.has_unsaved_changes() and editor.status.text() == "Unsaved changes"
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(fields.inputs["name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert vault.profile.get() == Profile(
        name="Isabel Martinez",
        age="41",
        location="Miami, Florida",
        private_facts="Volunteers at the shelter",
        extra={"Doctor": "Dr Okonkwo", "Pet": "a cat called Miso"},
    )
    assert editor.messages.text() == "Profile saved." and not editor.has_unsaved_changes()

    fields.facts.setCurrentCell(0, 0)
    fields.remove_fact()
    assert editor.save()
    assert vault.profile.get().extra == {"Pet": "a cat called Miso"}


def test_invalid_fields_say_what_to_fix_and_keep_the_text(
    qtbot: QtBot, editor: ProfileEditor, vault: Vault
) -> None:
    fields = editor.fields
    fields.inputs["age"].setText("forty-one")
    fields.add_fact()
    fields.facts.item(1, 1).setText("Lisbon trip in May")
    assert not editor.save()
    assert editor.messages.kind == "error"
    assert editor.messages.text() == "Not saved: fix the 2 fields marked below."
    assert fields.errors["age"].isVisible() and "number of years" in fields.errors["age"].text()
    assert "Row 2 has a value but no name" in fields.errors["extra"].text()
    assert fields.inputs["age"].hasFocus()
    assert fields.inputs["age"].text() == "forty-one"
    assert vault.profile.get().age == "41"

    fields.inputs["age"].setText("41")
    fields.facts.item(1, 0).setText("Plans")
    assert editor.save()
    assert not fields.errors["age"].isVisible() and not fields.errors["extra"].isVisible()
    assert vault.profile.get().extra["Plans"] == "Lisbon trip in May"


def test_revert_and_leaving_with_unsaved_changes(editor: ProfileEditor, vault: Vault) -> None:
    editor.fields.inputs["name"].setText("Someone else")
    editor.revert_button.click()
    assert editor.fields.inputs["name"].text() == "Isabel Martinez"
    editor.fields.inputs["occupation"].setText("Nurse")
    editor.ask_save = lambda parent, what: Choice.CANCEL
    assert not editor.confirm_leave()
    editor.ask_save = lambda parent, what: Choice.SAVE
    assert editor.confirm_leave()
    assert vault.profile.get().occupation == "Nurse"


def test_locking_shows_the_notice_and_forgets_the_fields(
    editor: ProfileEditor, vault: Vault
) -> None:
    vault.lock()
    editor.set_vault(None)
    assert editor.is_locked and editor._stack.currentWidget() is editor.locked_notice
    assert editor.fields.inputs["name"].text() == ""
    assert editor.fields.facts.rowCount() == 0
    assert not editor.save()


def test_setting_the_same_vault_rereads_the_profile(editor: ProfileEditor, vault: Vault) -> None:
    vault.profile.set(Profile(name="Isabel M."))
    editor.set_vault(vault)
    assert editor.fields.inputs["name"].text() == "Isabel M."
    assert editor.fields.facts.rowCount() == 0 and not editor.has_unsaved_changes()
    editor.fields.inputs["occupation"].setText("Nurse")
    vault.profile.set(Profile(name="Someone"))
    editor.set_vault(vault)  # unsaved edits win over a re-read
    assert editor.fields.inputs["occupation"].text() == "Nurse"
