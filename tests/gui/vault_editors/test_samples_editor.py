"""The writing-samples editor end to end against a real vault (the list-and-form behaviour
it shares with notes is covered in test_notes_editor)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from cogenesis.core.vault import Vault
from cogenesis.gui.vault_editors.samples_editor import SamplesEditor


@pytest.fixture
def editor(qtbot: QtBot, vault: Vault) -> Iterator[SamplesEditor]:
    shown = SamplesEditor()
    qtbot.addWidget(shown)
    shown.set_vault(vault)
    shown.show()
    yield shown
    shown.close()


def listed(editor: SamplesEditor) -> list[str]:
    return [editor.list.list.item(r).text() for r in range(editor.list.list.count())]


def test_samples_have_no_tags(editor: SamplesEditor) -> None:
    assert editor.form.tags.isHidden()
    assert editor.form.heading.text() == "New writing sample"
    assert editor.list.search.placeholderText() == "Search writing samples"


def test_add_search_edit_delete_undo(qtbot: QtBot, editor: SamplesEditor, vault: Vault) -> None:
    qtbot.keyClicks(editor.form.title, "Thank-you email")
    editor.form.body.setPlainText("Dear Ms Varga, thank you for the lovely evening.")
    assert editor.save()
    editor.new_button.click()
    editor.form.body.setPlainText("Hi all! The roof gets fixed next week.")
    assert editor.save()
    assert listed(editor) == ["Hi all! The roof gets fixed next week.", "Thank-you email"]
    assert editor.list.count.text() == "2 writing samples"

    editor.list.search.setText("varg")
    qtbot.waitUntil(lambda: listed(editor) == ["Thank-you email"])
    editor.list.list.setCurrentRow(0)
    editor.form.body.setPlainText("Dear Ms Varga, thanks again.")
    assert editor.save()
    sample = next(s for s in vault.samples.all() if s.title == "Thank-you email")
    assert sample.text == "Dear Ms Varga, thanks again."

    editor.delete_current()
    assert [s.title for s in vault.samples.all()] == [""]
    assert listed(editor) == []  # the search still filters: the other sample does not match
    editor.form.messages.action_button.click()
    restored = [s for s in vault.samples.all() if s.title == "Thank-you email"]
    assert [(s.text, s.created_at) for s in restored] == [(sample.text, sample.created_at)]
    assert listed(editor) == ["Thank-you email"]
