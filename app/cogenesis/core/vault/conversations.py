"""Conversations and their messages."""

from __future__ import annotations

import json
from typing import Any

from cogenesis.core.errors import RecordNotFound, VaultError
from cogenesis.core.vault.database import Database
from cogenesis.core.vault.records import Conversation, Message, Role, now_iso
from cogenesis.core.vault.schema import KIND_CODES
from cogenesis.core.vault.search import fts_query

_ROLES = ("system", "user", "assistant")
_CONV_SELECT = "SELECT id, title, privacy_mode, created_at, updated_at FROM conversations"


class ConversationStore:
    """Create, rename, delete conversations; append and read messages."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self,
        title: str = "New conversation",
        privacy_mode: str = "",
        *,
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> Conversation:
        """Start a conversation; the times default to now (an import passes the originals)."""
        created = created_at or now_iso()
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO conversations (title, privacy_mode, created_at, updated_at)"
                " VALUES (?, ?, ?, ?)",
                (title.strip() or "New conversation", privacy_mode, created, updated_at or created),
            )
            return self._get(conn, int(cursor.lastrowid))

    def rename(self, conversation_id: int, title: str) -> Conversation:
        with self._db.transaction() as conn:
            self._get(conn, conversation_id)
            conn.execute(
                "UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?",
                (title.strip() or "New conversation", now_iso(), conversation_id),
            )
            return self._get(conn, conversation_id)

    def delete(self, conversation_id: int) -> None:
        with self._db.transaction() as conn:
            if not conn.execute(
                "DELETE FROM conversations WHERE id = ?", (conversation_id,)
            ).rowcount:
                raise _missing(conversation_id)

    def set_mode(self, conversation_id: int, privacy_mode: str) -> None:
        """Remember how this conversation is answered (its mode selector)."""
        with self._db.transaction() as conn:
            self._get(conn, conversation_id)
            conn.execute(
                "UPDATE conversations SET privacy_mode = ? WHERE id = ?",
                (privacy_mode, conversation_id),
            )

    def generation(self, conversation_id: int) -> dict[str, object]:
        """The conversation's answer settings as saved (``core.generation`` reads them)."""
        rows = self._db.query(
            "SELECT generation FROM conversations WHERE id = ?", (conversation_id,)
        )
        if not rows:
            raise _missing(conversation_id)
        return _json_object(rows[0][0])

    def set_generation(self, conversation_id: int, generation: dict[str, object]) -> None:
        with self._db.transaction() as conn:
            self._get(conn, conversation_id)
            conn.execute(
                "UPDATE conversations SET generation = ? WHERE id = ?",
                (json.dumps(generation), conversation_id),
            )

    def delete_message(self, message_id: int) -> None:
        """Remove one message (an answer being regenerated)."""
        with self._db.transaction() as conn:
            if not conn.execute("DELETE FROM messages WHERE id = ?", (message_id,)).rowcount:
                raise RecordNotFound(
                    f"There is no message with id {message_id}.", "It may have been deleted."
                )

    def get(self, conversation_id: int) -> Conversation:
        rows = self._db.query(f"{_CONV_SELECT} WHERE id = ?", (conversation_id,))
        if not rows:
            raise _missing(conversation_id)
        return Conversation(*rows[0])

    def all(self) -> list[Conversation]:
        """Most recently active first."""
        return [
            Conversation(*r) for r in self._db.query(f"{_CONV_SELECT} ORDER BY updated_at DESC")
        ]

    def add_message(
        self,
        conversation_id: int,
        role: Role,
        content: str,
        *,
        created_at: str | None = None,
        touch: bool = True,
        meta: dict[str, str] | None = None,
    ) -> Message:
        """Append a message; ``touch`` moves the conversation to the top of the list; ``meta``
        keeps what the answer was made with (its outline)."""
        if role not in _ROLES:
            raise VaultError(f"Unknown message role {role!r}.", f"Use one of: {', '.join(_ROLES)}.")
        stamp = created_at or now_iso()
        with self._db.transaction() as conn:
            self._get(conn, conversation_id)
            cursor = conn.execute(
                "INSERT INTO messages (conversation_id, role, content, meta, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (conversation_id, role, content, json.dumps(meta or {}), stamp),
            )
            if touch:
                conn.execute(
                    "UPDATE conversations SET updated_at = ? WHERE id = ?",
                    (now_iso(), conversation_id),
                )
            return Message(
                int(cursor.lastrowid), conversation_id, role, content, stamp, dict(meta or {})
            )

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._db.query(
            "SELECT id, conversation_id, role, content, created_at, meta FROM messages"
            " WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        return [Message(i, c, role, text, at, _meta(meta)) for i, c, role, text, at, meta in rows]

    def matching(self, text: str) -> list[Conversation]:
        """Conversations whose title holds ``text`` or whose messages hold all its words (the
        last one as the start of a word: search as you type), most recently active first."""
        words = fts_query(text, prefix=True)
        if not words:
            return self.all()
        rows = self._db.query(
            f"{_CONV_SELECT} WHERE instr(lower(title), lower(?)) OR id IN ("
            " SELECT conversation_id FROM messages WHERE id IN ("
            "  SELECT rowid / 8 FROM search_index"
            f"  WHERE search_index MATCH ? AND rowid % 8 = {KIND_CODES['message']}))"
            " ORDER BY updated_at DESC",
            (text.strip(), words),
        )
        return [Conversation(*r) for r in rows]

    def _get(self, conn: Any, conversation_id: int) -> Conversation:
        row = conn.execute(f"{_CONV_SELECT} WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise _missing(conversation_id)
        return Conversation(*row)


def _json_object(raw: str | None) -> dict[str, object]:
    """A stored JSON object; {} for anything else (an empty or damaged column)."""
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _meta(raw: str | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in _json_object(raw).items()}


def _missing(conversation_id: int) -> RecordNotFound:
    return RecordNotFound(
        f"There is no conversation with id {conversation_id}.", "It may have been deleted."
    )
