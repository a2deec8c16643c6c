"""The conversation list's actions: new, open, rename, delete with undo, export, import, and
copying the last answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit, QPushButton, QStatusBar, QWidget

from cogenesis.core.vault.conversation_file import (
    conversation_snapshot,
    export_conversation,
    import_conversation,
    restore_conversation,
)
from cogenesis.gui.chat_view import ChatView
from cogenesis.gui.conversation_list import ConversationList, ConversationSearch
from cogenesis.gui.errors import show_error
from cogenesis.gui.open_conversation import OpenConversation
from cogenesis.gui.outline_view import OutlineView

UNDO_SECONDS = 10
T = TypeVar("T")


@dataclass(frozen=True)
class ConversationViews:
    """Where conversations are listed and shown."""

    conversations: ConversationList
    search: ConversationSearch
    chat: ChatView
    outline: OutlineView
    input: QPlainTextEdit
    status_bar: QStatusBar


class ConversationActions(QObject):
    """What the conversation list and the File menu do; nothing while ``is_busy()`` (an
    answer is being written). ``shown`` follows a change of the shown conversation; file
    dialogs open over ``window``; ``undo_button`` belongs in the status bar."""

    shown = Signal()

    def __init__(
        self,
        conversation: OpenConversation,
        views: ConversationViews,
        is_busy: Callable[[], bool],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._conversation = conversation
        self._views = views
        self._is_busy = is_busy
        self._window = window
        self._deleted: dict[str, object] | None = None
        self.undo_button = QPushButton("Undo delete")
        self.undo_button.setAccessibleName("Undo delete")
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_button.hide()
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self._forget_deleted)
        views.conversations.chosen.connect(self.open)
        views.conversations.renamed.connect(self._rename)
        views.conversations.delete_requested.connect(self.delete)
        views.conversations.export_requested.connect(self.export)
        views.search.textChanged.connect(self.show_list)

    def new(self) -> None:
        if self._is_busy():
            return
        self._conversation.show(None)
        self._views.chat.show_empty()
        self._views.outline.clear()
        self._views.conversations.clearSelection()
        self.shown.emit()
        self._views.input.setFocus()

    def find(self) -> None:
        """Into the search box, its text selected to type a new search."""
        self._views.search.setFocus()
        self._views.search.selectAll()

    def open(self, conversation_id: int) -> None:
        vault = self._conversation.vault
        if self._is_busy() or vault is None:
            return
        self._conversation.show(conversation_id)
        messages = vault.conversations.messages(conversation_id)
        self._views.chat.show_messages(messages)
        outlines = [m.meta["outline"] for m in messages if m.meta.get("outline")]
        if outlines:  # the last answer's outline, as it was shown when it was written
            self._views.outline.set_outline(outlines[-1])
        else:
            self._views.outline.clear()
        self.shown.emit()

    def delete(self, conversation_id: int) -> None:
        """Delete now; the status bar offers Undo for a few seconds."""
        vault = self._conversation.vault
        if self._is_busy() or vault is None:
            return
        conversation = vault.conversations.get(conversation_id)
        self._deleted = conversation_snapshot(vault, conversation_id)  # answer settings too
        vault.conversations.delete(conversation_id)
        if conversation_id == self._conversation.id:
            self.new()
        self.show_list()
        self._views.status_bar.showMessage(f"Deleted “{conversation.title}”.", UNDO_SECONDS * 1000)
        self.undo_button.show()
        self._undo_timer.start()

    def undo_delete(self) -> None:
        vault = self._conversation.vault
        if self._deleted is not None and vault is not None:
            restored = restore_conversation(vault, self._deleted)
            self._forget_deleted()
            self.open(restored.id)
            self.show_list()

    def export(self, conversation_id: int | None = None) -> None:
        vault = self._conversation.vault
        target = conversation_id or self._conversation.id
        if vault is None or target is None:
            return
        title = vault.conversations.get(target).title
        name, _ = QFileDialog.getSaveFileName(
            self._window, "Export conversation", f"{title}.md", "Markdown (*.md);;JSON (*.json)"
        )
        if name:
            self._guarded(lambda: export_conversation(vault, target, Path(name)))

    def import_file(self) -> None:
        vault = self._conversation.vault
        if vault is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Import conversation", "", "JSON (*.json)"
        )
        if name:
            conversation = self._guarded(lambda: import_conversation(vault, Path(name)))
            if conversation is not None:
                self.open(conversation.id)
                self.show_list()

    def copy_answer(self) -> None:
        """The shown conversation's last answer, to the clipboard."""
        answers = [m.content for m in self._conversation.messages() if m.role == "assistant"]
        if answers:
            QGuiApplication.clipboard().setText(answers[-1])
            self._views.status_bar.showMessage("Answer copied.", 3000)

    def show_list(self) -> None:
        vault = self._conversation.vault
        if vault is None:
            self._views.conversations.show_conversations([], None)
        else:
            conversations = vault.conversations.matching(self._views.search.text())
            self._views.conversations.show_conversations(conversations, self._conversation.id)

    def _rename(self, conversation_id: int, title: str) -> None:
        vault = self._conversation.vault
        if vault is not None:
            vault.conversations.rename(conversation_id, title)

    def _forget_deleted(self) -> None:
        self._deleted = None
        self.undo_button.hide()
        self._views.status_bar.clearMessage()

    def _guarded(self, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except Exception as exc:  # a file that cannot be read or written, or a bug
            show_error(self._window, exc)
        return None
