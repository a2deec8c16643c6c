"""Automatic encrypted backups, the last few kept, like KeePassXC's backup-before-save.

When a session that changed the vault closes it, the database is exported (every page read
and authenticated on the way, so a damaged vault never replaces a sound backup) into
``backups/vault-<UTC time>.db`` beside it: a SQLCipher file under the vault's own key and
salt, owner-only. At most one every ``MIN_INTERVAL_S``; the newest ``KEEP`` are kept.
``recovery.recover_from_backup`` puts one back. A failed backup is logged and never stops
the close.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cogenesis.core.fileio import make_private
from cogenesis.core.vault.database import Connection

log = logging.getLogger(__name__)
KEEP = 5
MIN_INTERVAL_S = 600.0  # a CLI loop of 50 writes makes one backup, not 50
_PREFIX, _SUFFIX = "vault-", ".db"
_STAMP = "%Y%m%dT%H%M%S.%fZ"


@dataclass(frozen=True)
class AutomaticBackup:
    """One automatic backup file."""

    path: Path
    created_at: datetime
    size: int


def backups_in(backups: Path) -> list[AutomaticBackup]:
    """The automatic backups in the folder ``backups``, newest first."""
    found = []
    for path in backups.glob(f"{_PREFIX}*{_SUFFIX}"):
        try:
            stamp = datetime.strptime(path.name[len(_PREFIX) : -len(_SUFFIX)], _STAMP)
            found.append(AutomaticBackup(path, stamp.replace(tzinfo=UTC), path.stat().st_size))
        except (ValueError, OSError):
            continue  # not one of ours
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def back_up_on_close(conn: Connection, backups: Path) -> Path | None:
    """Called just before the connection closes: a backup if this session changed the vault
    and the newest backup is old enough. Never raises."""
    if conn.total_changes == 0:
        return None
    newest = backups_in(backups)
    if newest and time.time() - newest[0].created_at.timestamp() < MIN_INTERVAL_S:
        return None
    try:
        path = write_automatic_backup(conn, backups)
    except Exception as exc:
        log.warning("the automatic backup was not written: %s", exc)
        return None
    rotate(backups)
    return path


def write_automatic_backup(conn: Connection, backups: Path) -> Path:
    """Export the open database into a new backup file (atomic: a partial file never
    carries a backup's name)."""
    backups.mkdir(mode=0o700, exist_ok=True)
    final = backups / f"{_PREFIX}{datetime.now(UTC).strftime(_STAMP)}{_SUFFIX}"
    partial = backups / f".partial-{final.name}"
    make_private(partial, create=True)
    try:
        conn.execute("ATTACH DATABASE ? AS autobackup", (str(partial),))  # the vault's key
        try:
            conn.execute("SELECT sqlcipher_export('autobackup')").fetchall()
        finally:
            conn.execute("DETACH DATABASE autobackup")
        _fsync(partial)
        partial.replace(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final


def rotate(backups: Path) -> None:
    """Delete all but the newest ``KEEP`` backups."""
    for old in backups_in(backups)[KEEP:]:
        old.path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
