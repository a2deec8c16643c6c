"""The conversation list's actions: new, open, rename, delete with undo, export, import.

A part of MainWindow (a mixin): the widgets it uses are built by the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMainWindow, QPlainTextEdit, QPushButton

from cogenesis.core.errors import CogenesisError
from cogenesis.core.vault.conversation_file import (
    conversation_json,
    export_conversation,
    import_conversation,
    restore_conversation,
)
from cogenesis.gui.chat_view import ChatView
from cogenesis.gui.conversation_list import ConversationList
from cogenesis.gui.errors import show_error
from cogenesis.gui.mode_bar import ModeBar
from cogenesis.gui.outline_view import OutlineView
from cogenesis.gui.session import VaultSession

UNDO_SECONDS = 10
T = TypeVar("T")


class ConversationActions(QMainWindow):
    """What the conversation list and the File menu do with conversations."""

    session: VaultSession
    conversation_id: int | None
    busy: bool
    chat: ChatView
    conversations: ConversationList
    input: QPlainTextEdit
    mode_bar: ModeBar
    outline: OutlineView
    undo_button: QPushButton
    _undo_timer: QTimer
    _deleted: dict[str, object] | None

    def apply_modes(self) -> None:
        raise NotImplementedError

    def new_conversation(self) -> None:
        if self.busy:
            return
        self.conversation_id = None
        self.mode_bar.conversation_id = None
        self.chat.show_empty()
        self.outline.clear()
        self.conversations.clearSelection()
        self.apply_modes()
        self.input.setFocus()

    def open_conversation(self, conversation_id: int) -> None:
        vault = self.session.vault
        if self.busy or vault is None or vault.is_locked:
            return
        self.conversation_id = conversation_id
        self.mode_bar.conversation_id = conversation_id
        self.chat.show_messages(vault.conversations.messages(conversation_id))
        self.outline.clear()
        self.apply_modes()

    def _rename(self, conversation_id: int, title: str) -> None:
        vault = self.session.vault
        if vault is not None and not vault.is_locked:
            vault.conversations.rename(conversation_id, title)

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete now; the status bar offers Undo for a few seconds."""
        vault = self.session.vault
        if self.busy or vault is None or vault.is_locked:
            return
        conversation = vault.conversations.get(conversation_id)
        messages = vault.conversations.messages(conversation_id)
        self._deleted = conversation_json(conversation, messages)
        vault.conversations.delete(conversation_id)
        if conversation_id == self.conversation_id:
            self.new_conversation()
        self._show_conversations()
        self.statusBar().showMessage(f"Deleted “{conversation.title}”.", UNDO_SECONDS * 1000)
        self.undo_button.show()
        self._undo_timer.start()

    def undo_delete(self) -> None:
        vault = self.session.vault
        if self._deleted is not None and vault is not None and not vault.is_locked:
            restored = restore_conversation(vault, self._deleted)
            self._forget_deleted()
            self.open_conversation(restored.id)
            self._show_conversations()

    def _forget_deleted(self) -> None:
        self._deleted = None
        self.undo_button.hide()
        self.statusBar().clearMessage()

    def export_conversation(self, conversation_id: int | None = None) -> None:
        vault = self.session.vault
        target = conversation_id or self.conversation_id
        if vault is None or vault.is_locked or target is None:
            return
        title = vault.conversations.get(target).title
        name, _ = QFileDialog.getSaveFileName(
            self, "Export conversation", f"{title}.md", "Markdown (*.md);;JSON (*.json)"
        )
        if name:
            self._guarded(lambda: export_conversation(vault, target, Path(name)))

    def import_conversation(self) -> None:
        vault = self.session.vault
        if vault is None or vault.is_locked:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Import conversation", "", "JSON (*.json)")
        if name:
            conv = self._guarded(lambda: import_conversation(vault, Path(name)))
            if conv is not None:
                self.open_conversation(conv.id)
                self._show_conversations()

    def _guarded(self, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except CogenesisError as exc:
            show_error(self, exc)
        return None

    def _show_conversations(self) -> None:
        vault = self.session.vault
        if vault is None or vault.is_locked:
            self.conversations.show_conversations([], None)
            return
        self.conversations.show_conversations(vault.conversations.all(), self.conversation_id)
