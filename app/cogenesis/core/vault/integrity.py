"""Integrity checks: SQLCipher's per-page HMACs and SQLite's structural check."""

from __future__ import annotations

from dataclasses import dataclass, field

from cogenesis.core.vault.database import Connection, DatabaseError


@dataclass
class IntegrityReport:
    """What each check found; empty lists mean the vault is sound."""

    cipher_errors: list[str] = field(default_factory=list)
    sqlite_errors: list[str] = field(default_factory=list)
    sqlite_checked: bool = True

    @property
    def ok(self) -> bool:
        return not self.cipher_errors and not self.sqlite_errors

    def lines(self) -> list[str]:
        """A human-readable report, one finding per line."""
        if self.ok:
            return ["cipher_integrity_check: ok", "integrity_check: ok"]
        found = [f"cipher_integrity_check: {e}" for e in self.cipher_errors]
        found += [f"integrity_check: {e}" for e in self.sqlite_errors]
        return found


def check_pages(conn: Connection) -> list[str]:
    """SQLCipher's HMAC check of every page (fast: no b-tree walk)."""
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    except DatabaseError as exc:
        return [str(exc)]


def check_structure(conn: Connection) -> list[str]:
    """SQLite's full ``integrity_check`` (b-trees, indexes, FTS shadow tables)."""
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
    except DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def run_checks(conn: Connection) -> IntegrityReport:
    """Both checks; the structural one only when the pages authenticate."""
    cipher = check_pages(conn)
    if cipher:
        return IntegrityReport(cipher, [], sqlite_checked=False)
    return IntegrityReport([], check_structure(conn))
