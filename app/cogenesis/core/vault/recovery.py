"""Putting an automatic backup back in place of a damaged (or deleted) vault database.

The newest backup that passes both integrity checks under the vault's own key replaces
``vault.db``; the file it replaces, and its write-ahead log, are kept aside beside it
(``vault.db.replaced-<UTC time>``), never deleted. Changes made after that backup are not
in it: the result says which backup was used.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cogenesis.core.errors import VaultError
from cogenesis.core.fileio import make_private
from cogenesis.core.vault.autobackup import AutomaticBackup, backups_in
from cogenesis.core.vault.database import connect
from cogenesis.core.vault.integrity import run_checks
from cogenesis.core.vault.keystore import KeyStore
from cogenesis.core.vault.keywrap import Key
from cogenesis.core.vault.lifecycle import (
    VaultFiles,
    keep_salt_copies,
    read_only_visit,
    salt_opens,
    verified_key,
)
from cogenesis.core.vault.salt import header_salt, parse_salt, read_salt_file, working_salt
from cogenesis.core.vault.seal import break_seal


@dataclass(frozen=True)
class Recovery:
    """What a recovery did: the backup used, where the replaced file went, what was skipped."""

    backup: AutomaticBackup
    kept_aside: Path | None
    skipped: list[Path] = field(default_factory=list)


def list_automatic_backups(files: VaultFiles) -> list[AutomaticBackup]:
    """The vault's automatic backups, newest first."""
    return backups_in(files.backups)


def recover_from_backup(
    files: VaultFiles,
    keystore: KeyStore,
    passphrase: str | None = None,
    backup: Path | None = None,
) -> Recovery:
    """Replace the vault's database with ``backup``, or the newest sound automatic backup.
    The vault must be locked (no other process may have it open)."""
    meta, key = verified_key(files, keystore, passphrase, database_required=False)
    try:
        candidates = list_automatic_backups(files)
        if backup is not None:
            candidates = [b for b in candidates if b.path.resolve() == backup.resolve()]
        if not candidates:
            raise VaultError(
                f"There is no automatic backup{' ' + backup.name if backup else ''} "
                f"in {files.backups}.",
                "Restore a backup file made by 'cogenesis vault backup' into an empty "
                "folder ('cogenesis vault restore FILE').",
            )
        saved = [parse_salt(meta.db_salt), read_salt_file(files.salt_file)]
        chosen, skipped = _first_sound(candidates, files, key, saved)
    finally:
        key[:] = bytes(len(key))
    kept_aside = _set_aside(files)
    files.staging.replace(files.database)
    salt = header_salt(files.database)
    if salt:
        keep_salt_copies(files, meta, salt)
    return Recovery(chosen, kept_aside, skipped)


def _first_sound(
    candidates: list[AutomaticBackup], files: VaultFiles, key: Key, saved: list[bytes | None]
) -> tuple[AutomaticBackup, list[Path]]:
    """Copy each candidate to the staging file until one passes both checks."""
    skipped: list[Path] = []
    for candidate in candidates:
        files.staging.unlink(missing_ok=True)
        make_private(files.staging, create=True)
        shutil.copyfile(candidate.path, files.staging)
        if _sound(files.staging, key, saved):
            return candidate, skipped
        skipped.append(candidate.path)
    files.staging.unlink(missing_ok=True)
    raise VaultError(
        f"None of the {len(candidates)} automatic backup(s) passes its integrity check.",
        "Restore a backup file made by 'cogenesis vault backup' "
        "('cogenesis vault restore FILE' into an empty folder).",
    )


def _sound(path: Path, key: Key, saved: list[bytes | None]) -> bool:
    salt = working_salt(path, saved, salt_opens(path, key))
    if salt is None:
        return False
    with read_only_visit(path):
        conn = connect(path, key, salt=salt, read_only=True)
        try:
            return run_checks(conn).ok
        finally:
            conn.close()


def _set_aside(files: VaultFiles) -> Path | None:
    """Move the database being replaced, and its sidecars, aside (never delete them)."""
    break_seal(files.database)
    if not files.database.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = files.directory / f"{files.database.name}.replaced-{stamp}"
    for path in (files.database, *files.sidecars):
        if path.exists():
            path.replace(aside.with_name(aside.name + path.name[len(files.database.name) :]))
    return aside
