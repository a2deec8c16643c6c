"""The database's salt, kept twice beside it so one damaged header does not lose the vault.

SQLCipher keeps a 16-byte random salt in the first bytes of ``vault.db``; it is not secret,
but without it no page can be authenticated, so a single flipped bit there makes the whole
database unreadable. The salt is therefore also recorded in ``vault.json`` (``db_salt``)
and in ``vault.salt``; the database is opened with the raw key and an explicit salt
(``x'<key><salt>'``), and a header that no longer matches is written back at the next unlock.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from cogenesis.core.fileio import write_private_atomic

log = logging.getLogger(__name__)
SALT_BYTES = 16


def header_salt(database: Path) -> bytes | None:
    """The salt at the start of ``database`` as it is now (perhaps damaged)."""
    try:
        with database.open("rb") as handle:
            salt = handle.read(SALT_BYTES)
    except OSError:
        return None
    return salt if len(salt) == SALT_BYTES else None


def parse_salt(text: str | None) -> bytes | None:
    """A salt from its hex form; None for anything else (a missing or damaged copy)."""
    try:
        salt = bytes.fromhex((text or "").strip())
    except ValueError:
        return None
    return salt if len(salt) == SALT_BYTES else None


def read_salt_file(path: Path) -> bytes | None:
    try:
        return parse_salt(path.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError):
        return None


def write_salt_file(path: Path, salt: bytes) -> None:
    write_private_atomic(path, (salt.hex() + "\n").encode())


def working_salt(
    database: Path, copies: Iterable[bytes | None], opens: Callable[[bytes], bool]
) -> bytes | None:
    """The salt that opens ``database``: the header's when a saved copy agrees with it (or
    there is none), otherwise the first candidate, saved copies first, that ``opens``."""
    saved = [salt for salt in copies if salt is not None]
    header = header_salt(database)
    if header is not None and (not saved or header in saved):
        return header
    tried: list[bytes] = []
    for salt in [*saved, *([header] if header else [])]:
        if salt not in tried:
            tried.append(salt)
            if opens(salt):
                return salt
    return None


def restore_header(database: Path, salt: bytes) -> None:
    """Write ``salt`` back over a damaged header (the 16 bytes only, then fsync)."""
    if header_salt(database) == salt:
        return
    log.warning("the salt at the start of %s was damaged; writing the saved copy back", database)
    fd = os.open(database, os.O_WRONLY)
    try:
        os.pwrite(fd, salt, 0)
        os.fsync(fd)
    finally:
        os.close(fd)
