"""Notes and writing samples: add, edit, delete, list."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from cogenesis.core.errors import RecordNotFound, VaultError
from cogenesis.core.vault.database import Database
from cogenesis.core.vault.records import Note, WritingSample, now_iso
from cogenesis.core.vault.term_index import drop_record, index_document


def _require_text(field: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VaultError(f"The {field} is empty.", f"Write a {field} and save again.")
    return value


def _clean_tags(tags: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = tag.strip()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


class NoteStore:
    """The user's notes."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        title: str,
        body: str,
        tags: list[str] | None = None,
        *,
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> Note:
        """Save a new note; the times default to now (an import passes the originals)."""
        _require_text("note body", body)
        created = created_at or now_iso()
        tags_json = json.dumps(_clean_tags(tags or []), ensure_ascii=False)
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO notes (title, body, tags, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (title.strip(), body, tags_json, created, updated_at or created),
            )
            return _indexed(conn, self._get(conn, int(cursor.lastrowid)))

    def update(
        self,
        note_id: int,
        *,
        title: str | None = None,
        body: str | None = None,
        tags: list[str] | None = None,
    ) -> Note:
        with self._db.transaction() as conn:
            note = self._get(conn, note_id)
            new_body = note.body if body is None else _require_text("note body", body)
            new_tags = note.tags if tags is None else _clean_tags(tags)
            conn.execute(
                "UPDATE notes SET title = ?, body = ?, tags = ?, updated_at = ? WHERE id = ?",
                (
                    note.title if title is None else title.strip(),
                    new_body,
                    json.dumps(new_tags, ensure_ascii=False),
                    now_iso(),
                    note_id,
                ),
            )
            return _indexed(conn, self._get(conn, note_id))

    def delete(self, note_id: int) -> None:
        with self._db.transaction() as conn:
            if conn.execute("DELETE FROM notes WHERE id = ?", (note_id,)).rowcount == 0:
                raise _missing("note", note_id)
            drop_record(conn, "note", note_id)

    def get(self, note_id: int) -> Note:
        rows = self._db.query(f"{_NOTE_SELECT} WHERE id = ?", (note_id,))
        if not rows:
            raise _missing("note", note_id)
        return _note(rows[0])

    def all(self) -> list[Note]:
        return [_note(r) for r in self._db.query(f"{_NOTE_SELECT} ORDER BY id")]

    def count(self) -> int:
        return int(self._db.query("SELECT count(*) FROM notes")[0][0])

    def _get(self, conn: Any, note_id: int) -> Note:
        row = conn.execute(f"{_NOTE_SELECT} WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            raise _missing("note", note_id)
        return _note(row)


class SampleStore:
    """Writing samples: texts the user wrote, for style."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        title: str,
        text: str,
        *,
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> WritingSample:
        """Save a new writing sample; the times default to now."""
        _require_text("writing sample text", text)
        created = created_at or now_iso()
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO writing_samples (title, text, created_at, updated_at)"
                " VALUES (?, ?, ?, ?)",
                (title.strip(), text, created, updated_at or created),
            )
            return _indexed(conn, self._get(conn, int(cursor.lastrowid)))

    def update(
        self, sample_id: int, *, title: str | None = None, text: str | None = None
    ) -> WritingSample:
        with self._db.transaction() as conn:
            sample = self._get(conn, sample_id)
            conn.execute(
                "UPDATE writing_samples SET title = ?, text = ?, updated_at = ? WHERE id = ?",
                (
                    sample.title if title is None else title.strip(),
                    sample.text if text is None else _require_text("writing sample text", text),
                    now_iso(),
                    sample_id,
                ),
            )
            return _indexed(conn, self._get(conn, sample_id))

    def delete(self, sample_id: int) -> None:
        with self._db.transaction() as conn:
            if conn.execute("DELETE FROM writing_samples WHERE id = ?", (sample_id,)).rowcount == 0:
                raise _missing("writing sample", sample_id)
            drop_record(conn, "sample", sample_id)

    def get(self, sample_id: int) -> WritingSample:
        rows = self._db.query(f"{_SAMPLE_SELECT} WHERE id = ?", (sample_id,))
        if not rows:
            raise _missing("writing sample", sample_id)
        return WritingSample(*rows[0])

    def all(self) -> list[WritingSample]:
        return [WritingSample(*r) for r in self._db.query(f"{_SAMPLE_SELECT} ORDER BY id")]

    def _get(self, conn: Any, sample_id: int) -> WritingSample:
        row = conn.execute(f"{_SAMPLE_SELECT} WHERE id = ?", (sample_id,)).fetchone()
        if row is None:
            raise _missing("writing sample", sample_id)
        return WritingSample(*row)


_NOTE_SELECT = "SELECT id, title, body, tags, created_at, updated_at FROM notes"
_SAMPLE_SELECT = "SELECT id, title, text, created_at, updated_at FROM writing_samples"


Document = TypeVar("Document", Note, WritingSample)


def _indexed(conn: Any, record: Document) -> Document:
    """``record``, its part of the sensitive-term index stored in the same transaction."""
    if isinstance(record, Note):
        index_document(conn, "note", record.id, record.title, record.body)
    else:
        index_document(conn, "sample", record.id, record.title, record.text)
    return record


def _note(row: Any) -> Note:
    return Note(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5])


def _missing(what: str, record_id: int) -> RecordNotFound:
    return RecordNotFound(
        f"There is no {what} with id {record_id}.", "List the records to see which ids exist."
    )
