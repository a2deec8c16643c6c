"""The stored sensitive-term index (schema 004): what each record yields, kept in step with it.

The stores call ``index_document``, ``index_profile`` and ``drop_record`` inside the
transaction that writes the record, so the index commits or rolls back with it. Only what
changed is written: a record's terms and run hashes are compared with the stored ones.
The derivation rules are ``cogenesis.core.privacy.derive``, imported when first used
(the privacy package imports the vault, so the vault cannot import it at load time).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from cogenesis.core.vault.database import Connection, Database
from cogenesis.core.vault.schema import KIND_CODES

if TYPE_CHECKING:
    from cogenesis.core.privacy.derive import Derivation, RankedTerm, SourceKind
    from cogenesis.core.privacy.runs import RunSet
    from cogenesis.core.vault.records import Profile

_TABLES = ("term_index_records", "term_index_terms", "term_index_first", "term_index_anchors")
_ALL_SOURCES = (
    "SELECT id * 8 + 1 FROM notes UNION ALL SELECT id * 8 + 2 FROM writing_samples"
    " UNION ALL SELECT 11 FROM profile"
)
_FIRST_OF = (
    "INSERT INTO term_index_first SELECT skeleton, rank, term, kind FROM term_index_terms"
    " WHERE skeleton = ? ORDER BY rank LIMIT 1"
)
_EARLIER = (
    "INSERT INTO term_index_first VALUES (?, ?, ?, ?) ON CONFLICT(skeleton) DO UPDATE SET"
    " rank = excluded.rank, term = excluded.term, kind = excluded.kind"
    " WHERE excluded.rank < term_index_first.rank"
)
TermRow = tuple[str, int, str, str]  # (skeleton, rank, term, kind)
_deferred: ContextVar[bool] = ContextVar("term_index_deferred", default=False)


def source_of(kind: SourceKind, record_id: int) -> int:
    """The record's key, as ``search_index`` numbers it."""
    return record_id * 8 + KIND_CODES[kind]


@contextmanager
def deferred() -> Iterator[None]:
    """Records written inside are only marked stale, for the caller to derive at once before
    its transaction ends (``term_refresh.refresh``): a bulk import, whose per-record
    savepoints would make each index write copy every page it touches (~50 µs a row)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def index_document(
    conn: Connection, kind: SourceKind, record_id: int, title: str, text: str
) -> None:
    """Store what a note or writing sample yields now."""
    from cogenesis.core.privacy.derive import derive_document

    if not _deferred.get():
        store(conn, source_of(kind, record_id), derive_document(kind, record_id, title, text))


def index_profile(conn: Connection, profile: Profile) -> None:
    from cogenesis.core.privacy.derive import derive_profile

    if not _deferred.get():
        store(conn, source_of("profile", 1), derive_profile(profile))


def drop_record(conn: Connection, kind: SourceKind, record_id: int) -> None:
    """Forget what a deleted record yielded."""
    from cogenesis.core.privacy.derive import NOTHING

    if not _deferred.get():
        store(conn, source_of(kind, record_id), NOTHING)


def ensure_version(conn: Connection) -> None:
    """When the stored index was derived by other rules, clear it and mark every record."""
    from cogenesis.core.privacy.derive import DERIVATION_VERSION

    row = conn.execute("SELECT value FROM term_index_meta WHERE key = 'version'").fetchone()
    if row[0] == DERIVATION_VERSION:
        return
    for table in _TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute(f"INSERT OR IGNORE INTO term_index_stale {_ALL_SOURCES}")
    conn.execute(
        "UPDATE term_index_meta SET value = ? WHERE key = 'version'", (DERIVATION_VERSION,)
    )


def store(conn: Connection, source: int, derivation: Derivation) -> None:
    """Make the stored terms and runs of ``source`` those of ``derivation`` (nothing: the
    record is gone) and clear its stale mark."""
    ensure_version(conn)
    _store_terms(conn, source, derivation.terms)
    _store_runs(conn, source, derivation.runs)
    conn.execute("DELETE FROM term_index_stale WHERE source = ?", (source,))


def _store_terms(conn: Connection, source: int, terms: Iterable[RankedTerm]) -> None:
    rows = conn.execute(
        "SELECT skeleton, rank, term, kind FROM term_index_terms WHERE source = ?", (source,)
    )
    old: dict[str, TermRow] = {r[0]: tuple(r) for r in rows}
    new = {t.skeleton: (t.skeleton, t.rank, t.term, t.kind) for t in terms}
    if old == new:
        return
    conn.execute("DELETE FROM term_index_terms WHERE source = ?", (source,))
    conn.executemany(
        "INSERT INTO term_index_terms (source, skeleton, rank, term, kind) VALUES (?, ?, ?, ?, ?)",
        [(source, *r) for r in new.values()],
    )
    gone = [(key,) for key, r in old.items() if new.get(key) != r]
    conn.executemany("DELETE FROM term_index_first WHERE skeleton = ?", gone)
    conn.executemany(_FIRST_OF, gone)  # the next record that yields it, if any
    conn.executemany(_EARLIER, [r for key, r in new.items() if old.get(key) != r])


def _store_runs(conn: Connection, source: int, runs: RunSet) -> None:
    row = conn.execute(
        "SELECT runs, anchors FROM term_index_records WHERE source = ?", (source,)
    ).fetchone()
    old_runs, old_anchors = (_unpack(row[0]), _unpack(row[1])) if row else (set(), set())
    if old_runs == runs.runs and old_anchors == runs.anchors:
        return
    gone = [(a, source) for a in old_anchors - runs.anchors]
    conn.executemany("DELETE FROM term_index_anchors WHERE anchor = ? AND source = ?", gone)
    added = [(a, source) for a in runs.anchors - old_anchors]
    conn.executemany("INSERT INTO term_index_anchors VALUES (?, ?)", added)
    if not runs.runs:
        conn.execute("DELETE FROM term_index_records WHERE source = ?", (source,))
        return
    conn.execute(
        "INSERT OR REPLACE INTO term_index_records VALUES (?, ?, ?)",
        (source, _pack(runs.runs), _pack(runs.anchors)),
    )


def generation(db: Database) -> int:
    """Counts every write to a record the index derives from (a cache compares it)."""
    return int(db.query("SELECT value FROM term_index_meta WHERE key = 'generation'")[0][0])


def behind(db: Database) -> bool:
    """Whether some record's stored index is missing, stale or of other rules."""
    from cogenesis.core.privacy.derive import DERIVATION_VERSION

    row = db.query(
        "SELECT (SELECT value FROM term_index_meta WHERE key = 'version') != ?"
        " OR EXISTS (SELECT 1 FROM term_index_stale)",
        (DERIVATION_VERSION,),
    )
    return bool(row[0][0])


def first_terms(db: Database) -> list[tuple[str, str, str]]:
    """(skeleton, term, kind) of every term's first occurrence, in the index's order."""
    rows = db.query("SELECT rank, skeleton, term, kind FROM term_index_first")
    return [(r[1], r[2], r[3]) for r in sorted(rows)]  # SQLite's sorter: 3x slower here


def has_runs(db: Database) -> bool:
    """Whether any record has a run of words indexed (an empty vault has none)."""
    return bool(db.query("SELECT 1 FROM term_index_anchors LIMIT 1"))


def known_runs(db: Database, found: Sequence[tuple[int, int]]) -> set[int]:
    """Those of the (run hash, anchor) pairs ``found`` that are runs of some record: the
    records holding one of the anchors are the only ones compared."""
    rows = db.query(
        "SELECT runs FROM term_index_records WHERE source IN (SELECT source"
        " FROM term_index_anchors WHERE anchor IN (SELECT value FROM json_each(?)))",
        (_json_list({anchor for _, anchor in found}),),
    )
    wanted = {run for run, _ in found}
    return set().union(*(wanted.intersection(_unpack(r[0])) for r in rows))


def _json_list(values: Iterable[int]) -> str:
    return "[" + ",".join(map(str, values)) + "]"


def _pack(runs: Iterable[int]) -> bytes:
    packed = array("q", sorted(runs))
    if sys.byteorder == "big":
        packed.byteswap()  # stored little-endian
    return packed.tobytes()


def _unpack(blob: Any) -> set[int]:
    packed = array("q")
    packed.frombytes(bytes(blob))
    if sys.byteorder == "big":
        packed.byteswap()
    return set(packed)
