"""Small file helpers: atomic, owner-only writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the owner only (0600).

    A crash leaves either the old file or the new one, never a truncated mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def make_private(path: Path, *, create: bool = False) -> None:
    """Make ``path`` owner-only (0600); with ``create``, create it empty first if missing.

    SQLite gives a database's ``-wal`` and ``-shm`` the database file's mode, so creating the
    file 0600 before SQLite opens it keeps those 0600 too.
    """
    if create:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    elif path.exists() and (path.stat().st_mode & 0o077):
        path.chmod(0o600)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows cannot open directories
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
