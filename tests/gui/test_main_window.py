"""The window shell over a real vault (passphrase mode: no keyring in tests)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings
from cogenesis.gui.app import build_window
from cogenesis.gui.main_window import MainWindow
from cogenesis.gui.passphrase_dialog import PassphraseDialog, strength_hint
from cogenesis.gui.session import VaultState

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
    assert "too short" in (window.try_vault_action(session.create, "short") or "")
    assert window.try_vault_action(session.create, PASSPHRASE) is None
    assert session.state is VaultState.UNLOCKED
    assert "unlocked" in window.vault_label.text() and "Argon2id" in window.vault_label.text()
    assert session.vault is not None
    session.vault.conversations.create("Trip planning")
    window.refresh()
    assert window.conversations.item(0).text() == "Trip planning"

    window.vault_button.click()
    assert session.state is VaultState.LOCKED
    assert window.conversations.count() == 0
    assert "does not open" in (window.try_vault_action(session.unlock, "wrong one!") or "")
    assert window.try_vault_action(session.unlock, PASSPHRASE) is None
    assert window.conversations.count() == 1

    shot = window.grab()
    assert not shot.isNull()
    assert shot.save(str(tmp_path / "main-window.png"))


def test_closing_locks_the_vault(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    window.try_vault_action(window.session.create, PASSPHRASE)
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
