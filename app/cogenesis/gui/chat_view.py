"""The conversation as rendered Markdown, with the streaming answer updated in batches."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from cogenesis.core.vault import Message

FLUSH_MS = 50  # tokens are drawn at most this often: long answers stay smooth
_SPEAKERS = {"user": "You", "assistant": "Assistant", "system": "System"}
EMPTY_CHAT = (
    "<h3>No conversation yet</h3>"
    "<p>Your notes, profile and writing samples stay in the encrypted vault on this device.</p>"
    "<p>Type below and press Ctrl+Enter. Choose how to answer above: the local model alone, "
    "or with a remote model that never sees your private context.</p>"
)


LOCKED_CHAT = (
    "<h3>The vault is locked</h3>"
    "<p>Your conversations and private context are encrypted until you unlock it.</p>"
    "<p>Press <b>Ctrl+U</b> (Vault → Unlock…) and enter your passphrase.</p>"
)
NO_VAULT_CHAT = (
    "<h3>No vault yet</h3>"
    "<p>Create the encrypted vault first (Vault → Create vault…, Ctrl+U): your profile, "
    "notes and conversations are kept there, on this device.</p>"
)


class ChatView(QTextBrowser):
    """Read-only transcript; ``add_tokens`` buffers text and draws it every FLUSH_MS."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Chat")
        self.setOpenExternalLinks(False)
        self.answer = ""  # the answer being streamed (what has been drawn plus the buffer)
        self._pending = ""
        self._answer_start: int | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self.show_empty()

    def show_empty(self) -> None:
        self._answer_start = None
        self.setHtml(EMPTY_CHAT)

    def show_locked(self, *, exists: bool = True) -> None:
        """What to do while there is nothing to chat in: unlock (or create) the vault."""
        self._answer_start = None
        self.setHtml(LOCKED_CHAT if exists else NO_VAULT_CHAT)

    def show_messages(self, messages: Sequence[Message]) -> None:
        self.clear()
        self._answer_start = None
        if not messages:
            self.show_empty()
            return
        for message in messages:
            self._append_message(message.role, message.content)
        self._scroll_to_end()

    def begin_answer(self, user_text: str, *, first: bool) -> None:
        """Show the user's message and an empty answer that tokens will fill."""
        if first:
            self.clear()
        self._append_message("user", user_text)
        self._append_speaker("assistant")
        self.answer, self._pending = "", ""
        self._answer_start = self._end().position()

    def add_tokens(self, text: str) -> None:
        self._pending += text
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw the buffered tokens (the whole answer is re-rendered as Markdown)."""
        self._timer.stop()
        if self._answer_start is None or not self._pending:
            return
        self.answer += self._pending
        self._pending = ""
        self._render_answer(self.answer)

    def end_answer(self, note: str = "") -> str:
        """Draw what is left, add ``note`` (e.g. "stopped") in grey, return the answer."""
        self.flush()
        if note and self._answer_start is not None:
            cursor = self._end()
            cursor.insertHtml(f"<p style='color:gray'><i>{escape(note)}</i></p>")
        self._answer_start = None
        self._scroll_to_end()
        return self.answer

    def _render_answer(self, text: str) -> None:
        assert self._answer_start is not None
        cursor = self._end()
        cursor.setPosition(self._answer_start, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.insertMarkdown(text)
        self._scroll_to_end()

    def _append_message(self, role: str, content: str) -> None:
        self._append_speaker(role)
        self._end().insertMarkdown(content.strip() or " ")

    def _append_speaker(self, role: str) -> None:
        cursor = self._end()
        if not self.document().isEmpty():
            cursor.insertBlock()
        color = "#2b6cb0" if role == "user" else "#2f855a"
        name = _SPEAKERS.get(role, role)
        cursor.insertHtml(f"<p><b style='color:{color}'>{name}</b></p>")
        cursor.insertBlock()

    def _end(self) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor

    def _scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
