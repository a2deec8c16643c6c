"""Issue 17, item 8, in the window: a damaged vault offers its newest automatic backup at
unlock, and Vault ▸ Restore an automatic backup puts a chosen one back."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from cogenesis.core.paths import AppPaths
from cogenesis.core.vault import autobackup, list_automatic_backups
from cogenesis.gui.app import build_window
from cogenesis.gui.backups_dialog import BackupsDialog
from cogenesis.gui.main_window import MainWindow
from cogenesis.gui.session import VaultState

PASSPHRASE = "violet lantern 77"
PAGE = 4096


@pytest.fixture
def window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(autobackup, "MIN_INTERVAL_S", 0)
    opened = build_window(AppPaths.default().ensure())
    qtbot.addWidget(opened)
    opened.show()
    session = opened.session
    assert opened.vault_actions.try_vault_action(session.create, PASSPHRASE) is None
    for title in ("first", "second"):
        assert session.vault is not None
        session.vault.notes.add(title, "private text " * 300)
        session.lock()
        assert opened.vault_actions.try_vault_action(session.unlock, PASSPHRASE) is None
    session.lock()
    return opened


def test_a_damaged_vault_offers_its_newest_backup_at_unlock(window: MainWindow) -> None:
    files = window.session.files
    data = bytearray(files.database.read_bytes())
    data[2 * PAGE + 300] ^= 0x08
    files.database.write_bytes(bytes(data))
    offers: list[str] = []
    window.vault_actions.confirm = lambda title, text: offers.append(text) or True
    assert window.vault_actions.try_vault_action(window.session.unlock, PASSPHRASE) is None
    assert offers and "Put back the automatic backup of" in offers[0]
    assert window.session.state is VaultState.UNLOCKED
    assert window.session.vault is not None
    assert [n.title for n in window.session.vault.notes.all()] == ["first", "second"]
    assert "Put back the automatic backup" in window.statusBar().currentMessage()
    assert list(files.directory.glob("vault.db.replaced-*"))


def test_declining_the_offer_leaves_the_vault_locked_and_untouched(window: MainWindow) -> None:
    files = window.session.files
    data = bytearray(files.database.read_bytes())
    data[2 * PAGE + 300] ^= 0x08
    files.database.write_bytes(bytes(data))
    window.vault_actions.confirm = lambda title, text: False
    error = window.vault_actions.try_vault_action(window.session.unlock, PASSPHRASE)
    assert error and "damaged" in error
    assert window.session.state is VaultState.LOCKED
    assert files.database.read_bytes() == bytes(data)


def test_the_menu_restores_a_chosen_backup(window: MainWindow, qtbot: QtBot) -> None:
    menu_texts = [a.text() for a in window.menuBar().actions()[2].menu().actions()]
    assert "&Restore an automatic backup…" in menu_texts
    backups = list_automatic_backups(window.session.files)
    dialog = BackupsDialog(window, backups)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == len(backups) >= 2
    dialog.list.setCurrentRow(1)  # the older one: before "second" was added
    chosen = dialog.chosen()
    assert chosen == backups[1].path
    window.vault_actions.recover(PASSPHRASE, chosen)
    assert window.session.vault is not None
    assert [n.title for n in window.session.vault.notes.all()] == ["first"]
