"""Encrypted backups: a copy of the vault under a fresh key, sealed by a backup passphrase.

A backup does not depend on the keyring or key file of the machine that made it, so it
can be restored anywhere. File layout: a magic line, a 4-byte header length, a JSON
header (wrapped key, checksum), then the SQLCipher database bytes.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cogenesis.core.errors import VaultDamaged, VaultError, VaultExists
from cogenesis.core.fileio import write_private_atomic
from cogenesis.core.vault.database import connect
from cogenesis.core.vault.integrity import run_checks
from cogenesis.core.vault.keystore import KeyStore
from cogenesis.core.vault.keywrap import (
    KEY_BYTES,
    WrappedKey,
    check_passphrase_strength,
    unwrap_key,
    wrap_key,
)
from cogenesis.core.vault.lifecycle import VaultFiles, VaultMeta, key_check, write_meta
from cogenesis.core.vault.migrations import current_version
from cogenesis.core.vault.records import now_iso
from cogenesis.core.vault.salt import header_salt, write_salt_file
from cogenesis.core.vault.vault import Vault

MAGIC = b"COGENESIS-VAULT-BACKUP\n"
BACKUP_FORMAT = 1


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    created_at: str
    schema_version: int


def write_backup(vault: Vault, dest: Path, passphrase: str) -> BackupInfo:
    """Write an encrypted backup of ``vault`` to ``dest`` (0600, atomic)."""
    check_passphrase_strength(passphrase)
    key = secrets.token_bytes(KEY_BYTES)
    backup_id = secrets.token_hex(8)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        copy = Path(tmp) / "copy.db"
        with vault.db.connection() as conn:
            conn.execute("ATTACH DATABASE ? AS backup KEY ?", (str(copy), f"x'{key.hex()}'"))
            try:
                conn.execute("SELECT sqlcipher_export('backup')").fetchall()
                version = current_version(conn)
            finally:
                conn.execute("DETACH DATABASE backup")
        data = copy.read_bytes()
    created_at = now_iso()
    header = {
        "format": BACKUP_FORMAT,
        "backup_id": backup_id,
        "vault_id": vault.vault_id,
        "created_at": created_at,
        "schema_version": version,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "key": wrap_key(key, passphrase, f"backup:{backup_id}").to_json(),
    }
    blob = json.dumps(header).encode()
    write_private_atomic(dest, MAGIC + struct.pack(">I", len(blob)) + blob + data)
    return BackupInfo(dest, len(data), created_at, version)


def restore_backup(
    source: Path,
    files: VaultFiles,
    keystore: KeyStore,
    backup_passphrase: str,
    vault_passphrase: str | None = None,
) -> None:
    """Restore ``source`` as the vault in ``files``; refuses to overwrite an existing vault."""
    if files.exists():
        raise VaultExists(
            f"A vault already exists in {files.directory}.",
            "Move that folder away first; a restore never overwrites a vault.",
        )
    header, data = _read(source)
    key = unwrap_key(
        WrappedKey.from_json(header["key"]), backup_passphrase, f"backup:{header['backup_id']}"
    )
    if keystore.needs_passphrase:
        check_passphrase_strength(vault_passphrase or "")
    files.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private_atomic(files.staging, data)
    conn = connect(files.staging, key)
    try:
        report = run_checks(conn)
    finally:
        conn.close()
    if not report.ok:
        files.staging.unlink()
        raise VaultDamaged("The backup is damaged.", "Try another backup.", report=report.lines())
    vault_id = str(header["vault_id"])
    keystore.store(vault_id, bytes(key), vault_passphrase)
    salt = header_salt(files.staging) or b""
    check = key_check(key, vault_id)
    write_meta(
        files,
        VaultMeta(
            vault_id, now_iso(), keystore.kind, keystore.backend_name, check, db_salt=salt.hex()
        ),
    )
    if salt:
        write_salt_file(files.salt_file, salt)
    files.staging.replace(files.database)


def _read(source: Path) -> tuple[dict[str, Any], bytes]:
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise VaultError(f"Cannot read the backup {source}: {exc}.", "Check the path.") from exc
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 4:
        raise VaultError(
            f"{source} is not a CoGenesis backup.",
            "Choose a file made by 'cogenesis vault backup'.",
        )
    (length,) = struct.unpack(">I", raw[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    try:
        header = json.loads(raw[start : start + length])
    except ValueError as exc:
        raise VaultDamaged("The backup's header is damaged.", "Try another backup.") from exc
    data = raw[start + length :]
    if header.get("format") != BACKUP_FORMAT:
        raise VaultError(
            f"Backup format {header.get('format')!r} is not supported.",
            "Upgrade CoGenesis to restore it.",
        )
    if len(data) != header.get("size") or hashlib.sha256(data).hexdigest() != header.get("sha256"):
        raise VaultDamaged(
            "The backup is truncated or damaged (checksum mismatch).",
            "Try another copy of the backup.",
        )
    return header, data
