"""The main window's menus and their shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMenuBar

from cogenesis.gui.answer_controller import AnswerController
from cogenesis.gui.conversation_actions import ConversationActions
from cogenesis.gui.session import VaultState
from cogenesis.gui.vault_actions import VaultActions


def build_menus(
    window: QMainWindow,
    answers: AnswerController,
    conversations: ConversationActions,
    vault: VaultActions,
    *,
    toggle_egress: Callable[[], object],
    show_settings: Callable[[], object],
    show_generation: Callable[[], object],
    show_models: Callable[[], object],
) -> VaultMenu:
    """File, Chat and Vault, with their shortcuts (the actions belong to ``window``); returns
    the Vault menu's items whose state follows the vault's."""
    menus = window.menuBar()
    _action = partial(_add_action, window)
    file = menus.addMenu("&File")
    _action(file, "&New conversation", "Ctrl+N", conversations.new)
    _action(file, "&Import conversation…", "Ctrl+I", conversations.import_file)
    _action(file, "&Export conversation…", "Ctrl+E", conversations.export)
    _action(file, "&Find conversation…", "Ctrl+F", conversations.find)
    file.addSeparator()
    _action(file, "&Quit", "Ctrl+Q", window.close)
    chat = menus.addMenu("&Chat")
    _action(chat, "&Send", "Ctrl+Return", answers.send)
    _action(chat, "S&top", "Esc", answers.stop)
    menus.installEventFilter(EscapeThroughTheMenuBar(menus, answers.stop))
    _action(chat, "&Regenerate", "Ctrl+R", answers.regenerate)
    _action(chat, "&Copy answer", "Ctrl+Shift+C", conversations.copy_answer)
    _action(chat, "&What left this device (show or hide)", "Ctrl+Shift+E", toggle_egress)
    _action(chat, "&Answer settings (length, temperature, persona)…", "Ctrl+G", show_generation)
    _action(chat, "&Models (choose, add, download)…", "Ctrl+Shift+M", show_models)
    _action(chat, "Se&ttings…", "Ctrl+,", show_settings)
    vault_menu = menus.addMenu("&Vault")
    _action(vault_menu, "&Private context…", "Ctrl+P", vault.show_private_context)
    lock = _action(vault_menu, "&Lock now", "Ctrl+L", vault.lock)
    unlock = _action(vault_menu, "&Unlock…", "Ctrl+U", vault.create_unlock_or_lock)
    vault_menu.addSeparator()
    _action(vault_menu, "&Restore an automatic backup…", "", vault.restore_backup)
    return VaultMenu(unlock, lock)


class EscapeThroughTheMenuBar(QObject):
    """After a menu opened from the keyboard closes, the menu bar keeps the focus and eats
    the next Esc (leaving its keyboard mode), so Esc stopped an answer only on the third
    press. With this filter that Esc does both: the menu bar lets go and ``stop`` runs."""

    def __init__(self, bar: QMenuBar, stop: Callable[[], object]) -> None:
        super().__init__(bar)
        self._bar, self._stop = bar, stop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and QApplication.activePopupWidget() is None
        ):
            self._stop()
        return False


class VaultMenu:
    """The Vault menu's two state-dependent items: Unlock… (or Create vault…) and Lock now,
    each enabled only when it can do something."""

    def __init__(self, unlock: QAction, lock: QAction) -> None:
        self.unlock, self.lock = unlock, lock

    def follow(self, state: VaultState) -> None:
        self.unlock.setText("&Create vault…" if state is VaultState.ABSENT else "&Unlock…")
        self.unlock.setEnabled(state is not VaultState.UNLOCKED)
        self.lock.setEnabled(state is VaultState.UNLOCKED)


def _add_action(
    window: QMainWindow, menu: QMenu, text: str, keys: str, slot: Callable[[], object]
) -> QAction:
    action = QAction(text, window, shortcut=QKeySequence(keys))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action
