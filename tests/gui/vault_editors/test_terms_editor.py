"""The sensitive-terms editor end to end: the list the privacy index uses, mark, un-mark,
mark again, undo, filters and where a term occurs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cogenesis.core.privacy import build_index
from cogenesis.core.vault import Profile, Vault
from cogenesis.gui.vault_editors.terms_editor import TermsEditor
from tests.gui.dialogs import close_all, unexpected_error_dialogs


@pytest.fixture
def editor(qtbot: QtBot, vault: Vault) -> Iterator[TermsEditor]:
    vault.profile.set(Profile(name="Isabel Martinez", location="Miami"))
    vault.notes.add("Family", "Priya starts school in Bristol next month.")
    vault.samples.add("Letter", "Dear Priya, the Bristol house is lovely.")
    shown = TermsEditor()
    qtbot.addWidget(shown)
    shown.set_vault(vault)
    shown.show()
    settle(qtbot, shown)
    yield shown
    shown.close()


def settle(qtbot: QtBot, editor: TermsEditor) -> None:
    """Wait for the list and the selected term's sources, read off the GUI thread."""
    qtbot.waitUntil(lambda: not editor.busy)


def rows(editor: TermsEditor) -> dict[str, tuple[str, str]]:
    """Shown term -> (type, status), as the table displays them."""
    proxy = editor.view.proxy
    return {
        proxy.index(r, 0).data(): (proxy.index(r, 1).data(), proxy.index(r, 2).data())
        for r in range(proxy.rowCount())
    }


def select(qtbot: QtBot, editor: TermsEditor, *terms: str) -> None:
    editor._select_terms(list(terms))
    settle(qtbot, editor)
    assert sorted(e.term for e in editor.selected_entries()) == sorted(terms)


def private_terms(vault: Vault) -> set[str]:
    return {t.casefold() for t, _ in build_index(vault).terms}


def test_lists_found_terms_with_where_they_occur(qtbot: QtBot, editor: TermsEditor) -> None:
    shown = rows(editor)
    assert shown["Isabel Martinez"] == ("Person", "Private: found in your vault")
    assert shown["Bristol"][1] == "Private: found in your vault"
    assert editor.view.count.text() == f"{len(shown)} kept private · 0 un-marked"
    select(qtbot, editor, "Bristol")
    assert editor.sources.text() == "“Bristol” occurs in: Note “Family”, Writing sample “Letter”."
    assert editor.unmark_button.isEnabled() and not editor.mark_button.isEnabled()


def test_mark_a_new_term_from_the_keyboard(qtbot: QtBot, editor: TermsEditor, vault: Vault) -> None:
    qtbot.keyClicks(editor.view.new_term, "Project Nightingale")
    with qtbot.waitSignal(editor.refreshed):
        qtbot.keyClick(editor.view.new_term, Qt.Key.Key_Return)
    assert "project nightingale" in private_terms(vault)
    assert editor.view.new_term.text() == ""
    settle(qtbot, editor)
    assert rows(editor)["Project Nightingale"] == ("Custom", "Private: marked by you")
    assert [e.term for e in editor.selected_entries()] == ["Project Nightingale"]
    assert "does not occur" in editor.sources.text()


def test_an_empty_term_is_refused_with_a_message(qtbot: QtBot, editor: TermsEditor) -> None:
    editor.view.new_term.setText("   ")
    editor.view.add_button.click()
    assert editor.messages.kind == "error"
    assert "The term is empty. Type the word or phrase to mark." in editor.messages.text()
    assert editor.view.new_term.text() == "   "


def test_unmark_a_found_term_then_undo(qtbot: QtBot, editor: TermsEditor, vault: Vault) -> None:
    select(qtbot, editor, "Bristol")
    editor.view.table.setFocus()
    qtbot.keyClick(editor.view.table, Qt.Key.Key_Delete)
    assert "bristol" not in private_terms(vault)
    assert "may now leave this device" in editor.messages.text()
    settle(qtbot, editor)
    assert rows(editor)["Bristol"][1] == "Not private: un-marked by you"
    assert editor.mark_button.isEnabled() and not editor.unmark_button.isEnabled()
    editor.messages.action_button.click()  # Undo
    assert "bristol" in private_terms(vault)
    settle(qtbot, editor)
    assert rows(editor)["Bristol"][1] == "Private: found in your vault"


def test_unmark_several_then_mark_again(qtbot: QtBot, editor: TermsEditor, vault: Vault) -> None:
    vault.terms.mark("Project Nightingale")
    editor.refresh()
    settle(qtbot, editor)
    select(qtbot, editor, "Bristol", "Project Nightingale")
    editor.unmark_button.click()
    assert editor.messages.text().startswith("2 terms may now leave")
    settle(qtbot, editor)
    assert "Project Nightingale" not in rows(editor)  # only the user had marked it: gone
    assert rows(editor)["Bristol"][1] == "Not private: un-marked by you"
    editor.view.status_filter.setCurrentText("Un-marked by you")
    assert list(rows(editor)) == ["Bristol"]
    assert editor.view.count.text().endswith("1 un-marked · 1 shown")
    select(qtbot, editor, "Bristol")
    editor.mark_button.click()
    settle(qtbot, editor)
    assert rows(editor) == {}  # no longer un-marked
    editor.view.status_filter.setCurrentText("All terms")
    assert rows(editor)["Bristol"][1] == "Private: found in your vault"


def test_filter_by_text(editor: TermsEditor) -> None:
    editor.view.filter_text.setText("mart")
    assert set(rows(editor)) == {"Isabel Martinez", "Martinez"}
    editor.view.filter_text.clear()
    assert len(rows(editor)) > 2


def test_refresh_sees_new_vault_content_and_lock_clears(
    qtbot: QtBot, editor: TermsEditor, vault: Vault
) -> None:
    vault.notes.add("Clinic", "Appointment with Dr Okonkwo")
    with qtbot.waitSignal(editor.refreshed):
        editor.refresh()
    assert "Okonkwo" in rows(editor)
    editor.refresh()
    vault.lock()  # while the list is being read: the stale result is dropped
    editor.set_vault(None)
    editor._entries_call.wait()
    qtbot.wait(20)  # delivers the stale result (or VaultLocked), which must be dropped
    assert editor.view.model.rowCount() == 0 and editor.is_locked
    assert editor.sources.text() == "" and editor._stack.currentWidget() is editor.locked_notice


def test_an_unexpected_error_is_shown_once_and_nothing_waits_for_ever(
    qtbot: QtBot, editor: TermsEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in reading the terms (here a KeyError) must not leave "Reading your vault…"."""
    marker = "terms-editor-lost-key"

    def broken(_vault: Vault) -> list[object]:
        raise KeyError(marker)

    monkeypatch.setattr("cogenesis.gui.vault_editors.terms_editor.term_entries", broken)
    for _attempt in range(2):  # the second time, the user is not told again
        editor.refresh()
        settle(qtbot, editor)
        assert editor.view.count.text() != "Reading your vault…"
        assert editor.messages.kind == "error"
        assert "Something unexpected went wrong (KeyError)" in editor.messages.text()
    dialogs = unexpected_error_dialogs(marker)
    assert len(dialogs) == 1 and "KeyError" in dialogs[0].detailedText()
    close_all(dialogs)
