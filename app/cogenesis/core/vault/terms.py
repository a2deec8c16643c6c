"""Terms the user marks as sensitive (or un-marks after automatic detection)."""

from __future__ import annotations

import re
import unicodedata

from cogenesis.core.errors import RecordNotFound, VaultError
from cogenesis.core.vault.database import Database
from cogenesis.core.vault.records import SensitiveTerm, now_iso

_SPACES = re.compile(r"\s+")


def normalize_term(term: str) -> str:
    """Case-, width- and whitespace-insensitive form used to compare terms."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", term).casefold()).strip()


class TermStore:
    """``marked`` terms must never leave the device; un-marked ones were cleared by the user."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def mark(self, term: str, kind: str | None = None) -> SensitiveTerm:
        """Mark ``term`` sensitive (again, if it was un-marked); ``kind`` None keeps the old."""
        return self._set(term, kind, marked=True)

    def unmark(self, term: str, kind: str | None = None) -> SensitiveTerm:
        """Record that ``term`` is not sensitive, so automatic detection leaves it alone."""
        return self._set(term, kind, marked=False)

    def remove(self, term: str) -> None:
        with self._db.transaction() as conn:
            gone = conn.execute(
                "DELETE FROM sensitive_terms WHERE normalized = ?", (normalize_term(term),)
            ).rowcount
        if not gone:
            raise RecordNotFound(f"The term {term!r} is not in the list.", "Check the spelling.")

    def all(self) -> list[SensitiveTerm]:
        rows = self._db.query(
            "SELECT id, term, kind, marked, created_at FROM sensitive_terms ORDER BY id"
        )
        return [SensitiveTerm(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    def _set(self, term: str, kind: str | None, *, marked: bool) -> SensitiveTerm:
        cleaned = _SPACES.sub(" ", term).strip()
        if not cleaned:
            raise VaultError("The term is empty.", "Type the word or phrase to mark.")
        kind_update = "" if kind is None else ", kind = excluded.kind"
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO sensitive_terms (term, normalized, kind, marked, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(normalized) DO UPDATE SET"
                f" marked = excluded.marked{kind_update}",
                (cleaned, normalize_term(cleaned), kind or "custom", int(marked), now_iso()),
            )
            row = conn.execute(
                "SELECT id, term, kind, marked, created_at FROM sensitive_terms"
                " WHERE normalized = ?",
                (normalize_term(cleaned),),
            ).fetchone()
        return SensitiveTerm(row[0], row[1], row[2], bool(row[3]), row[4])
