"""Create, unlock and re-key the vault; the only code that touches the key and the files.

Files in the vault directory:

- ``vault.db`` (+ ``-wal``, ``-shm``): the SQLCipher database;
- ``vault.json``: metadata, no secrets: id, which key store holds the key, a key check;
- ``vault.key``: only in passphrase mode, the key wrapped with Argon2id + AES-256-GCM;
- ``vault.salt``: a copy of the database's salt (also in ``vault.json``; see ``salt.py``);
- ``backups/``: the automatic encrypted backups (see ``autobackup.py``).

Nothing here ever deletes, truncates or re-creates an existing vault.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from cogenesis.core.errors import (
    KeyBackendChanged,
    VaultDamaged,
    VaultError,
    VaultExists,
    VaultNotFound,
    WrongPassphrase,
)
from cogenesis.core.fileio import make_private, write_private_atomic
from cogenesis.core.vault.autobackup import back_up_on_close
from cogenesis.core.vault.database import Database, connect
from cogenesis.core.vault.integrity import IntegrityReport, check_pages, run_checks
from cogenesis.core.vault.keystore import KeyStore
from cogenesis.core.vault.keywrap import KEY_BYTES, Key, check_passphrase_strength
from cogenesis.core.vault.migrations import apply_migrations
from cogenesis.core.vault.records import now_iso
from cogenesis.core.vault.salt import (
    header_salt,
    parse_salt,
    read_salt_file,
    restore_header,
    working_salt,
    write_salt_file,
)
from cogenesis.core.vault.seal import break_seal, seal_holds, seal_key, write_seal
from cogenesis.core.vault.vault import Vault

log = logging.getLogger(__name__)
META_FORMAT = 1


@dataclass(frozen=True)
class VaultFiles:
    """The paths of one vault."""

    directory: Path

    @property
    def database(self) -> Path:
        return self.directory / "vault.db"

    @property
    def meta(self) -> Path:
        return self.directory / "vault.json"

    @property
    def key_file(self) -> Path:
        return self.directory / "vault.key"

    @property
    def sidecars(self) -> tuple[Path, Path]:
        """SQLite's write-ahead log and shared-memory index beside the database."""
        return sidecars_of(self.database)

    @property
    def salt_file(self) -> Path:
        return self.directory / "vault.salt"

    @property
    def backups(self) -> Path:
        return self.directory / "backups"

    @property
    def staging(self) -> Path:
        return self.directory / "vault.db.creating"

    def exists(self) -> bool:
        return self.database.exists()


def sidecars_of(database: Path) -> tuple[Path, Path]:
    """SQLite's write-ahead log and shared-memory index beside ``database``."""
    return database.with_name(f"{database.name}-wal"), database.with_name(f"{database.name}-shm")


@contextmanager
def read_only_visit(database: Path, *, keep_on_success: bool = False) -> Iterator[None]:
    """Around read-only connections to ``database``: a read-only connection to a WAL
    database still creates an empty ``-wal`` and ``-shm``; those this visit created are
    removed again when it ends (only when it fails, with ``keep_on_success``), so the folder
    is left as it was."""
    created = [p for p in sidecars_of(database) if not p.exists()]
    try:
        yield
    except BaseException:
        _remove_empty(created, database)
        raise
    if not keep_on_success:
        _remove_empty(created, database)


def _remove_empty(created: list[Path], database: Path) -> None:
    """Remove the sidecars a visit created, if the log holds nothing (read-only: never)."""
    wal, _ = sidecars_of(database)
    if wal in created and wal.exists() and wal.stat().st_size > 0:
        return
    for path in created:
        path.unlink(missing_ok=True)


def salt_opens(database: Path, key: Key) -> Callable[[bytes], bool]:
    """Whether a salt, with ``key``, opens page 1 of ``database`` (read-only, no trace)."""

    def opens(salt: bytes) -> bool:
        with read_only_visit(database):
            try:
                connect(database, key, salt=salt, read_only=True).close()
            except WrongPassphrase:
                return False
        return True

    return opens


@dataclass(frozen=True)
class VaultMeta:
    """What ``vault.json`` records. ``key_check`` is an HMAC of a label under the key."""

    vault_id: str
    created_at: str
    key_storage: str
    key_backend: str
    key_check: str
    format: int = META_FORMAT
    db_salt: str = ""  # hex; empty in vaults made before the copies were kept


def read_meta(files: VaultFiles, *, database_required: bool = True) -> VaultMeta:
    """The vault's metadata; VaultNotFound when there is no vault (no database, unless
    ``database_required`` is off: a recovery puts one back)."""
    if database_required and not files.exists():
        raise VaultNotFound(
            f"There is no vault in {files.directory}.", "Create one with 'cogenesis vault init'."
        )
    try:
        doc = json.loads(files.meta.read_text(encoding="utf-8"))
        return VaultMeta(**doc)
    except (OSError, ValueError, TypeError) as exc:
        raise VaultDamaged(
            f"The vault's metadata file {files.meta} is missing or unreadable ({exc}).",
            "Restore the vault folder from a backup; the database itself was not touched.",
        ) from exc


def create_vault(files: VaultFiles, keystore: KeyStore, passphrase: str | None = None) -> Vault:
    """Create a new, empty vault; refuses to touch an existing one."""
    if files.exists():
        raise VaultExists(
            f"A vault already exists in {files.directory}.",
            "Unlock it instead; to start over, move that folder away first.",
        )
    if keystore.needs_passphrase:
        check_passphrase_strength(_require_passphrase(passphrase))
    files.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    files.staging.unlink(missing_ok=True)  # a previous create that never finished
    make_private(files.staging, create=True)  # 0600 before SQLite writes (and its -wal, -shm)
    key = bytearray(secrets.token_bytes(KEY_BYTES))
    vault_id = secrets.token_hex(8)
    conn = connect(files.staging, key)
    apply_migrations(conn)
    conn.close()
    salt = header_salt(files.staging)
    keystore.store(vault_id, bytes(key), passphrase)
    meta = VaultMeta(
        vault_id=vault_id,
        created_at=now_iso(),
        key_storage=keystore.kind,
        key_backend=keystore.backend_name,
        key_check=key_check(key, vault_id),
        db_salt=salt.hex() if salt else "",
    )
    write_meta(files, meta)
    files.staging.replace(files.database)
    log.info("created vault %s (key in %s)", vault_id, keystore.backend_name)
    return _open(files, meta, key, salt)


def unlock_vault(files: VaultFiles, keystore: KeyStore, passphrase: str | None = None) -> Vault:
    """Open the vault: fetch and verify the key, check every page (unless the file is as a
    clean close sealed it: see ``seal.py``), migrate the schema."""
    meta, key = verified_key(files, keystore, passphrase)
    salt = database_salt(files, key, meta)
    if not seal_holds(files.database, seal_key(key)):  # not as a clean close left it
        verify_pages(files, key, salt)
    return _open(files, meta, key, salt)


def database_salt(files: VaultFiles, key: Key, meta: VaultMeta | None) -> bytes | None:
    """The salt that opens the database: its header's, or a saved copy where the header no
    longer opens it (None: nothing opens it; the checks then report the damage)."""
    copies = [parse_salt(meta.db_salt) if meta else None, read_salt_file(files.salt_file)]
    return working_salt(files.database, copies, salt_opens(files.database, key))


def export_key(files: VaultFiles, keystore: KeyStore, passphrase: str | None = None) -> bytearray:
    """The vault's raw database key, verified against the key check; the caller wipes it.

    With it any SQLCipher 4 tool opens ``vault.db`` (``PRAGMA key = "x'<hex>'"``, the
    default SQLCipher 4 settings); see docs/vault.md.
    """
    return verified_key(files, keystore, passphrase)[1]


def verified_key(
    files: VaultFiles,
    keystore: KeyStore,
    passphrase: str | None,
    *,
    database_required: bool = True,
) -> tuple[VaultMeta, bytearray]:
    """The vault's metadata and its key from ``keystore``, checked against the key check."""
    meta = read_meta(files, database_required=database_required)
    ensure_same_backend(meta, keystore)
    key = keystore.fetch(
        meta.vault_id, _require_passphrase(passphrase) if keystore.needs_passphrase else None
    )
    if not hmac.compare_digest(key_check(key, meta.vault_id), meta.key_check):
        raise WrongPassphrase(
            f"The key in {keystore.backend_name} does not belong to this vault.",
            "Another vault's key may have replaced it; restore this vault from a backup.",
        )
    return meta, key


def check_database(files: VaultFiles, key: Key) -> IntegrityReport:
    """Both integrity checks through a read-only connection, for a vault that cannot be
    opened normally (its metadata is gone). A page 1 the key cannot decrypt is reported as
    an unreadable database. The folder is left as it was."""
    salt = database_salt(files, key, None)
    with read_only_visit(files.database):
        try:
            conn = connect(files.database, key, salt=salt, read_only=True)
        except WrongPassphrase:
            report = ["the database is unreadable: its first page (salt) does not decrypt"]
            return IntegrityReport(report + _page_report(files, key, salt), sqlite_checked=False)
        try:
            return run_checks(conn)
        finally:
            conn.close()


def change_passphrase(files: VaultFiles, keystore: KeyStore, old: str, new: str) -> None:
    """Re-wrap the key under ``new``; the database itself is not re-encrypted."""
    meta = read_meta(files)
    ensure_same_backend(meta, keystore)
    if not keystore.needs_passphrase:
        raise VaultError(
            "This vault's key is in the OS keyring, which has no passphrase to change.",
            "Use the keyring's own tools to protect it.",
        )
    check_passphrase_strength(new)
    keystore.change_passphrase(meta.vault_id, old, new)


def ensure_same_backend(meta: VaultMeta, keystore: KeyStore) -> None:
    """Refuse a silent switch of key store (keyring <-> passphrase, or keyring backend)."""
    if (meta.key_storage, meta.key_backend) != (keystore.kind, keystore.backend_name):
        raise KeyBackendChanged(
            f"This vault's key is kept in {meta.key_backend} ({meta.key_storage}), "
            f"but the key store available now is {keystore.backend_name} ({keystore.kind}).",
            "Make the original key store available again (unlock the keyring, or install its "
            "backend), or restore the vault from a backup into the new key store.",
        )


def verify_pages(files: VaultFiles, key: Key, salt: bytes | None = None) -> None:
    """Check every page's HMAC through a read-only connection (the file is not written); a
    refused open leaves the folder as it was (the open that follows a pass keeps the log)."""
    with read_only_visit(files.database, keep_on_success=True):
        try:
            conn = connect(files.database, key, salt=salt, read_only=True)
        except WrongPassphrase as exc:  # the key was verified, so page 1 is damaged
            report = _page_report(files, key, salt)
            raise _damaged(report) from exc
        try:
            errors = check_pages(conn)
        finally:
            conn.close()
        if errors:
            raise _damaged(errors)


def key_check(key: Key, vault_id: str) -> str:
    """An HMAC that proves a key belongs to a vault without revealing the key."""
    return hmac.new(
        bytes(key), f"cogenesis-key-check:{vault_id}".encode(), hashlib.sha256
    ).hexdigest()


def write_meta(files: VaultFiles, meta: VaultMeta) -> None:
    write_private_atomic(files.meta, (json.dumps(asdict(meta), indent=2) + "\n").encode())


def _open(files: VaultFiles, meta: VaultMeta, key: bytearray, salt: bytes | None) -> Vault:
    sealing = seal_key(key)
    break_seal(files.database)
    for path in (files.database, *files.sidecars):  # vaults made before files were 0600
        make_private(path)
    if salt is not None:
        restore_header(files.database, salt)
        keep_salt_copies(files, meta, salt)
    conn = connect(files.database, key, salt=salt)
    try:
        apply_migrations(conn)
    except BaseException:
        conn.close()
        raise
    finally:
        for i in range(len(key)):
            key[i] = 0
    return Vault(
        Database(conn),
        meta.vault_id,
        meta.key_storage,
        on_lock=lambda: write_seal(files.database, sealing),
        before_lock=lambda conn: back_up_on_close(conn, files.backups),
    )


def keep_salt_copies(files: VaultFiles, meta: VaultMeta, salt: bytes) -> None:
    """Record ``salt`` in vault.json and vault.salt where either copy is missing or differs."""
    if meta.db_salt != salt.hex():
        write_meta(files, replace(meta, db_salt=salt.hex()))
    if read_salt_file(files.salt_file) != salt:
        write_salt_file(files.salt_file, salt)


def _page_report(files: VaultFiles, key: Key, salt: bytes | None) -> list[str]:
    conn = connect(files.database, key, salt=salt, read_only=True, verify=False)
    try:
        return check_pages(conn) or ["page 1 could not be decrypted"]
    finally:
        conn.close()


def _damaged(report: list[str]) -> VaultDamaged:
    return VaultDamaged(
        f"The vault is damaged: {len(report)} integrity problem(s) found.",
        "Nothing was changed. Put the newest automatic backup back with 'cogenesis vault "
        "recover' (it keeps this file aside), or restore a backup file "
        "('cogenesis vault restore FILE').",
        report=report,
    )


def _require_passphrase(passphrase: str | None) -> str:
    if not passphrase:
        raise WrongPassphrase("This vault needs its passphrase.", "Enter the passphrase.")
    return passphrase
