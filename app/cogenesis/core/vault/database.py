"""Opening the SQLCipher database with a raw key, and the pragmas every connection uses."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from cogenesis.core.errors import VaultDamaged, WrongPassphrase
from cogenesis.core.vault.keywrap import Key

log = logging.getLogger(__name__)

Connection = Any  # sqlcipher3.Connection has no type stubs
DatabaseError = sqlcipher3.DatabaseError


def key_pragma(key: Key, salt: bytes | None = None) -> str:
    """The PRAGMA that hands SQLCipher a raw key, skipping its own key derivation; with
    ``salt``, SQLCipher uses it instead of the one in the file's header (see ``salt.py``)."""
    return f"PRAGMA key = \"x'{bytes(key).hex()}{(salt or b'').hex()}'\""


def connect(
    path: Path,
    key: Key,
    *,
    salt: bytes | None = None,
    read_only: bool = False,
    verify: bool = True,
) -> Connection:
    """Open ``path`` with ``key`` (and ``salt``, if given); proves the key by reading the schema.

    A read-only connection never writes the main file (used to inspect a vault that may
    be damaged). Raises WrongPassphrase when the key does not decrypt page 1, unless
    ``verify`` is off (to run integrity checks on a vault whose page 1 is damaged).
    """
    target = f"file:{path.as_posix()}?mode=ro" if read_only else str(path)
    # No statement cache: cached statements hold the connection's lookaside memory, and once
    # it is used up every allocation goes through SQLCipher's memory-security allocator, an
    # mlock() and munlock() call each (an FTS query over 10,000 notes: 16 ms -> 240 ms).
    conn = sqlcipher3.connect(
        target, uri=read_only, isolation_level=None, check_same_thread=False, cached_statements=0
    )
    try:
        conn.execute(key_pragma(key, salt))
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA cipher_memory_security = ON")
        if verify:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        conn.close()
        raise WrongPassphrase(
            "The key does not decrypt this vault.",
            "If the key came from the keyring, the vault file may be damaged: run "
            "'cogenesis vault check'.",
        ) from exc
    if not read_only:
        _apply_pragmas(conn)
    return conn


def memory_security_enabled(conn: Connection) -> bool:
    """Whether SQLCipher wipes and locks its memory on this connection."""
    row = conn.execute("PRAGMA cipher_memory_security").fetchone()
    return bool(row and str(row[0]) == "1")


def _apply_pragmas(conn: Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA temp_store = MEMORY")


class Database:
    """One connection plus a lock, so a GUI worker and the main thread can share it."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self._depth = 0

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            from cogenesis.core.errors import VaultLocked

            raise VaultLocked("The vault is locked.", "Unlock it first.")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: all of it is committed, or none of it.

        Nested calls join the outer transaction through a savepoint, so a batch of store
        calls (an import, say) can be made atomic by wrapping it in one more transaction.
        """
        with self._lock:
            conn = self.conn
            outer = self._depth == 0
            conn.execute("BEGIN IMMEDIATE" if outer else f"SAVEPOINT sp{self._depth}")
            self._depth += 1
            try:
                yield conn
            except BaseException:
                self._depth -= 1
                conn.execute("ROLLBACK" if outer else f"ROLLBACK TO sp{self._depth}")
                if not outer:
                    conn.execute(f"RELEASE sp{self._depth}")
                raise
            self._depth -= 1
            conn.execute("COMMIT" if outer else f"RELEASE sp{self._depth}")

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """The connection, held exclusively, outside any transaction."""
        with self._lock:
            yield self.conn

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Any]:
        """Run a read query and return all rows."""
        with self._lock:
            try:
                return list(self.conn.execute(sql, params).fetchall())
            except DatabaseError as exc:
                raise _damaged(exc) from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def is_open(self) -> bool:
        return self._conn is not None


def _damaged(exc: Exception) -> VaultDamaged:
    return VaultDamaged(
        f"The vault could not be read ({exc}).",
        "Run 'cogenesis vault check' for a report, then restore from a backup.",
    )
