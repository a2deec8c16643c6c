"""Bringing the stored sensitive-term index up to date: once after the upgrade that added it,
after the derivation rules changed, after a bulk import, and for any record written
without its store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogenesis.core.vault.database import Connection, Database
from cogenesis.core.vault.profile import ProfileStore
from cogenesis.core.vault.schema import KIND_CODES
from cogenesis.core.vault.term_index import behind, ensure_version, store

if TYPE_CHECKING:
    from cogenesis.core.privacy.derive import Derivation, SourceKind

_DOCUMENTS: dict[int, tuple[SourceKind, str]] = {
    KIND_CODES["note"]: ("note", "SELECT title, body FROM notes WHERE id = ?"),
    KIND_CODES["sample"]: ("sample", "SELECT title, text FROM writing_samples WHERE id = ?"),
}


def catch_up(db: Database) -> int:
    """Derive every record whose stored index is stale, in one transaction; how many."""
    if not behind(db):
        return 0
    with db.transaction() as conn:
        return refresh(db, conn)


def refresh(db: Database, conn: Connection) -> int:
    """Inside a transaction on ``db``: derive every stale record; how many."""
    ensure_version(conn)
    stale = [int(r[0]) for r in conn.execute("SELECT source FROM term_index_stale")]
    for source in stale:
        store(conn, source, _derivation(db, conn, source))
    return len(stale)


def _derivation(db: Database, conn: Connection, source: int) -> Derivation:
    from cogenesis.core.privacy.derive import NOTHING, derive_document, derive_profile

    record_id, code = divmod(source, 8)
    if code == KIND_CODES["profile"]:
        found = conn.execute("SELECT 1 FROM profile").fetchone()
        return derive_profile(ProfileStore(db).get()) if found else NOTHING
    kind, sql = _DOCUMENTS[code]
    row = conn.execute(sql, (record_id,)).fetchone()
    return derive_document(kind, record_id, row[0], row[1]) if row else NOTHING
