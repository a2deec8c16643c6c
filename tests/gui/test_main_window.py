"""The window shell over a real vault (passphrase mode: no keyring in tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings
from cogenesis.gui.app import build_window
from cogenesis.gui.main_window import MainWindow
from cogenesis.gui.passphrase_dialog import PassphraseDialog, strength_hint
from cogenesis.gui.session import VaultState
from tests.gui.screenshots import save_screenshot

PASSPHRASE = "violet lantern 77"


def make_window(qtbot: QtBot) -> MainWindow:
    window = build_window(AppPaths.default().ensure())
    qtbot.addWidget(window)
    window.show()
    return window


def test_first_start_offers_to_create_a_vault(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    assert window.session.state is VaultState.ABSENT
    assert "none yet" in window.vault_label.text()
    assert window.vault_button.text() == "Create vault…"
    assert window.mode_bar.mode.strategy == "local"
    assert "Offline" in window.mode_bar.badge.text()


def test_create_lock_unlock(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot)
    session = window.session
    assert "too short" in (window.vault_actions.try_vault_action(session.create, "short") or "")
    assert window.vault_actions.try_vault_action(session.create, PASSPHRASE) is None
    assert session.state is VaultState.UNLOCKED
    assert "unlocked" in window.vault_label.text() and "Argon2id" in window.vault_label.text()
    assert session.vault is not None
    session.vault.conversations.create("Trip planning")
    window.refresh()
    assert window.conversations.item(0).text() == "Trip planning"

    window.vault_button.click()
    assert session.state is VaultState.LOCKED
    assert window.conversations.count() == 0
    assert "does not open" in (
        window.vault_actions.try_vault_action(session.unlock, "wrong one!") or ""
    )
    assert window.vault_actions.try_vault_action(session.unlock, PASSPHRASE) is None
    assert window.conversations.count() == 1

    shot = window.grab()
    assert not shot.isNull()
    assert shot.save(str(tmp_path / "main-window.png"))


def test_a_locked_vault_says_so_and_the_vault_menu_unlocks_it(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 21: while locked the chat still invited to type, the Vault menu had no Unlock
    item and "Lock now" stayed enabled."""
    window = make_window(qtbot)
    assert window.vault_menu.unlock.text() == "&Create vault…"
    assert "No vault yet" in window.chat.toPlainText()
    assert window.vault_actions.try_vault_action(window.session.create, PASSPHRASE) is None
    assert window.vault_menu.lock.isEnabled() and not window.vault_menu.unlock.isEnabled()
    window.vault_menu.lock.trigger()
    assert window.session.state is VaultState.LOCKED
    assert "The vault is locked" in window.chat.toPlainText()
    assert "Ctrl+U" in window.chat.toPlainText() and "Type below" not in window.chat.toPlainText()
    assert window.vault_menu.unlock.text() == "&Unlock…" and window.vault_menu.unlock.isEnabled()
    assert not window.vault_menu.lock.isEnabled()
    assert window.vault_menu.unlock.shortcut().toString() == "Ctrl+U"
    assert not window.copy_button.isEnabled()  # the screenshot showed it enabled
    assert not window.status.answer.isVisibleTo(window)  # and an empty status cell
    save_screenshot(window, tmp_path, "main_window_locked.png")

    def typed(dialog: PassphraseDialog) -> int:
        dialog.passphrase.setText(PASSPHRASE)
        return 1

    monkeypatch.setattr(PassphraseDialog, "exec", typed)
    window.vault_menu.unlock.trigger()
    assert window.session.state is VaultState.UNLOCKED
    assert "No conversation yet" in window.chat.toPlainText()


def test_closing_locks_the_vault(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    window.vault_actions.try_vault_action(window.session.create, PASSPHRASE)
    vault = window.session.vault
    window.close()
    assert vault is not None and vault.is_locked


def test_passphrase_dialog_confirms_and_hints(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(None, "Create", confirm=True)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase, "abc")
    assert "Too short" in dialog.hint.text()
    dialog.passphrase.setText("four random words here")
    assert "Strong" in dialog.hint.text()
    dialog.repeat.setText("something else")
    dialog._accept()
    assert "differ" in dialog.error.text()
    assert dialog.result() == 0


def test_strength_hint_levels() -> None:
    assert strength_hint("aaaaaaaa").startswith("Weak")
    assert strength_hint("Abcdefgh1234").startswith("Fair")
    assert strength_hint("a much longer passphrase").startswith("Strong")


def test_broken_settings_fall_back_to_defaults(qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    paths = AppPaths.default().ensure()
    paths.settings_file.write_text("{broken")
    shown: list[str] = []
    monkeypatch.setattr(
        "cogenesis.gui.app.QMessageBox.warning", lambda _parent, _title, text: shown.append(text)
    )
    window = build_window(paths)
    qtbot.addWidget(window)
    assert window.settings == Settings()
    assert shown and "Cannot read the settings file" in shown[0]
    assert paths.settings_file.read_text() == "{broken"


def unlocked_window(qtbot: QtBot) -> MainWindow:
    window = make_window(qtbot)
    assert window.vault_actions.try_vault_action(window.session.create, PASSPHRASE) is None
    return window


def add_conversation(window: MainWindow, title: str) -> int:
    vault = window.session.vault
    assert vault is not None
    conv = vault.conversations.create(title, "local")
    vault.conversations.add_message(conv.id, "user", f"{title}: a question")
    vault.conversations.add_message(conv.id, "assistant", "An **answer**.")
    window.refresh()
    return conv.id


def test_opening_a_conversation_shows_its_messages_as_markdown(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    conv = add_conversation(window, "Recipes")
    window.conversations.setCurrentRow(0)
    assert window.conversation.id == conv
    text = window.chat.toPlainText()
    assert "Recipes: a question" in text and "An answer." in text  # ** rendered as bold


def test_rename_in_place_and_delete_with_undo(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    vault = window.session.vault
    assert vault is not None
    conv = add_conversation(window, "Old title")
    item = window.conversations.item(0)
    item.setText("New title")
    assert vault.conversations.get(conv).title == "New title"

    window.conversations.setCurrentRow(0)
    window.conversations.delete_current()
    assert vault.conversations.all() == [] and window.conversations.count() == 0
    assert window.undo_button.isVisibleTo(window)
    window.undo_button.click()
    restored = vault.conversations.all()
    assert [c.title for c in restored] == ["New title"]
    assert [m.content for m in vault.conversations.messages(restored[0].id)] == [
        "Old title: a question",
        "An **answer**.",
    ]
    assert not window.undo_button.isVisibleTo(window)


def test_export_and_import_a_conversation(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = unlocked_window(qtbot)
    conv = add_conversation(window, "Trip")
    target = tmp_path / "trip.json"
    dialogs = "cogenesis.gui.conversation_actions.QFileDialog"
    monkeypatch.setattr(f"{dialogs}.getSaveFileName", lambda *_a, **_k: (str(target), ""))
    monkeypatch.setattr(f"{dialogs}.getOpenFileName", lambda *_a, **_k: (str(target), ""))
    window.conversation_actions.export(conv)
    assert '"cogenesis-conversation"' in target.read_text()
    window.conversation_actions.import_file()
    assert window.conversations.count() == 2
    assert window.conversation.id is not None and window.conversation.id != conv
    assert "Trip: a question" in window.chat.toPlainText()


def test_a_bad_import_file_shows_what_to_fix(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = unlocked_window(qtbot)
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    shown: list[str] = []
    monkeypatch.setattr(
        "cogenesis.gui.conversation_actions.QFileDialog.getOpenFileName",
        lambda *_a, **_k: (str(bad), ""),
    )
    monkeypatch.setattr(
        "cogenesis.gui.errors.QMessageBox.warning", lambda _p, _t, text: shown.append(text)
    )
    window.conversation_actions.import_file()
    assert shown and "format" in shown[0] and "nothing was imported" in shown[0]


def test_modes_follow_the_privacy_mode_in_settings(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)

    def offered() -> list[str]:
        return [m.strategy for m in window.mode_bar._modes]

    assert offered() == ["local"]  # no remote configured
    remote = {"remote_base_url": "http://127.0.0.1:9/v1", "remote_model": "m"}
    window.apply_settings(Settings(privacy_mode="private", **remote))
    assert offered() == ["local", "sketch", "logit", "cloud"]
    assert window.mode_bar.mode.strategy == "sketch"
    window.apply_settings(Settings(privacy_mode="full-context", **remote))
    assert offered() == ["local", "sketch", "logit", "cloud", "full"]
    window.apply_settings(Settings(privacy_mode="offline", **remote))
    assert offered() == ["local"]


def test_auto_lock_after_idle_time(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    window.vault_actions.idle_lock.timer.setInterval(
        50
    )  # the setting is in minutes; shortened here
    window.vault_actions.idle_lock.poke()
    qtbot.waitUntil(lambda: window.session.state is VaultState.LOCKED, timeout=2000)
    assert "Locked after a time without use" in window.statusBar().currentMessage()


def test_private_context_window_follows_the_vault(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    window.vault_actions.show_private_context()
    editors = window.vault_actions.private_context
    assert editors is not None and editors.isVisible()
    qtbot.addWidget(editors)
    vault = window.session.vault
    assert vault is not None
    window.vault_actions.lock()
    assert window.session.state is VaultState.LOCKED
    assert editors.profile.is_locked


@pytest.mark.parametrize("keys", ["Esc", "Ctrl+W"])
def test_the_private_context_window_closes_with_esc_and_ctrl_w_and_fits_the_screen(
    qtbot: QtBot, keys: str
) -> None:
    """Issue 21: Esc and Ctrl+W did nothing there; it ran off the bottom of the screen."""
    from PySide6.QtGui import QKeySequence

    window = unlocked_window(qtbot)
    window.vault_actions.show_private_context()
    editors = window.vault_actions.private_context
    assert editors is not None
    qtbot.addWidget(editors)
    qtbot.waitExposed(editors)
    room = editors.screen().availableGeometry()
    assert editors.height() <= room.height() - 100 and editors.width() <= room.width()
    editors.activateWindow()
    qtbot.waitUntil(editors.isActiveWindow, timeout=2000)
    target = editors.focusWidget() or editors
    sequence = QKeySequence(keys)[0]
    qtbot.keyClick(target, sequence.key(), sequence.keyboardModifiers())
    qtbot.waitUntil(lambda: not editors.isVisible(), timeout=2000)


def test_tab_in_the_message_box_moves_the_focus(qtbot: QtBot) -> None:
    window = unlocked_window(qtbot)
    window.input.setFocus()
    qtbot.waitUntil(window.input.hasFocus, timeout=2000)
    qtbot.keyClick(window.input, Qt.Key.Key_Tab)
    assert "\t" not in window.input.toPlainText() and not window.input.hasFocus()


def test_offline_starts_no_demo_endpoint_and_stops_a_running_one(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from cogenesis.gui.demo_endpoint import DemoEndpoint

    window = make_window(qtbot)
    starts: list[str] = []
    stops: list[str] = []
    monkeypatch.setattr(DemoEndpoint, "start", lambda self: starts.append("start"))
    monkeypatch.setattr(DemoEndpoint, "stop", lambda self: stops.append("stop"))
    monkeypatch.setattr(DemoEndpoint, "running", property(lambda self: bool(starts)))
    offline = replace(window.settings, remote_provider="demo", privacy_mode="offline")
    window.apply_settings(offline)
    assert starts == []  # nothing could use it
    window.apply_settings(replace(offline, privacy_mode="private"))
    assert starts == ["start"]
    window.apply_settings(offline)
    assert stops == ["stop"]
