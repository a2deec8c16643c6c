"""Numbered schema migrations, recorded in the ``schema_migrations`` table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from cogenesis.core.errors import VaultError
from cogenesis.core.vault import schema
from cogenesis.core.vault.database import Connection
from cogenesis.core.vault.schema import Migration


def numbered(migrations: Sequence[Migration]) -> dict[int, tuple[str, Migration]]:
    """``mNNN_name`` by NNN, the version it brings the schema to; 1, 2, 3… in order."""
    table: dict[int, tuple[str, Migration]] = {}
    for expected, func in enumerate(migrations, start=1):
        number = int(func.__name__[1:4])
        if number != expected:
            raise ValueError(f"migration {func.__name__} is listed as number {expected}")
        table[number] = (func.__name__, func)
    return table


MIGRATIONS = numbered(schema.MIGRATIONS)


def latest_version() -> int:
    return max(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The newest migration applied to this database (0 for a new one)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def apply_migrations(conn: Connection) -> list[int]:
    """Bring the schema up to date, one transaction per migration; returns what ran."""
    version = current_version(conn)
    if version > latest_version():
        raise VaultError(
            f"This vault was written by a newer CoGenesis (schema {version}).",
            "Upgrade CoGenesis to open it; this version will not downgrade it.",
        )
    applied = []
    for number in range(version + 1, latest_version() + 1):
        name, func = MIGRATIONS[number]
        conn.execute("BEGIN IMMEDIATE")
        try:
            if number == 1:
                conn.execute(
                    "CREATE TABLE schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            func(conn)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                (number, name, datetime.now(UTC).isoformat()),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(number)
    return applied
