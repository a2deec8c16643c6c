"""An unlocked vault: the record stores over one encrypted connection."""

from __future__ import annotations

from collections.abc import Callable

from cogenesis.core.vault.conversations import ConversationStore
from cogenesis.core.vault.database import Connection, Database, memory_security_enabled
from cogenesis.core.vault.documents import NoteStore, SampleStore
from cogenesis.core.vault.integrity import IntegrityReport, run_checks
from cogenesis.core.vault.profile import ProfileStore
from cogenesis.core.vault.records import SearchHit
from cogenesis.core.vault.search import Kind, Match, search
from cogenesis.core.vault.terms import TermStore


class Vault:
    """The user's private context. Obtain one from ``unlock_vault`` or ``create_vault``."""

    def __init__(
        self,
        db: Database,
        vault_id: str,
        key_storage: str,
        on_lock: Callable[[], None] = lambda: None,
        before_lock: Callable[[Connection], object] = lambda conn: None,
    ) -> None:
        """``before_lock`` runs on the open connection just before a close (the automatic
        backup), ``on_lock`` after a clean close (it seals the file)."""
        self._db = db
        self._on_lock = on_lock
        self._before_lock = before_lock
        self.vault_id = vault_id
        self.key_storage = key_storage
        self.notes = NoteStore(db)
        self.samples = SampleStore(db)
        self.profile = ProfileStore(db)
        self.terms = TermStore(db)
        self.conversations = ConversationStore(db)

    @property
    def db(self) -> Database:
        return self._db

    @property
    def is_locked(self) -> bool:
        return not self._db.is_open

    @property
    def memory_security(self) -> bool:
        """Whether SQLCipher's memory wiping and locking is on for this connection."""
        return memory_security_enabled(self._db.conn)

    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        match: Match = "all",
        kind: Kind | None = None,
        prefix: bool = False,
        snippets: bool = True,
    ) -> list[SearchHit]:
        """Full-text search over notes, writing samples, profile and messages.

        ``kind`` keeps one kind of record; ``prefix`` lets the last word match a word's start;
        ``snippets`` False skips building them (retrieval reads whole records).
        """
        return search(
            self._db, text, limit=limit, match=match, kind=kind, prefix=prefix, snippets=snippets
        )

    def check(self) -> IntegrityReport:
        """Run SQLCipher's page check and SQLite's integrity check."""
        with self._db.connection() as conn:
            return run_checks(conn)

    def lock(self) -> None:
        """Close the connection; SQLCipher wipes its copy of the key."""
        if self._db.is_open:
            with self._db.connection() as conn:
                self._before_lock(conn)
            self._db.close()
            self._on_lock()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()
