"""Issue 17, items 2, 9, 10, 11: vault faults found by the audit, through the CLI."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
import sqlcipher3

from tests.cli.conftest import Cli

PASSPHRASE = "tangerine submarine 42"


@pytest.fixture
def vault_dir(cli: Cli, app_home: Path) -> Path:
    code, _, _ = cli("vault", "init", stdin=f"{PASSPHRASE}\n")
    assert code == 0
    code, _, _ = cli("vault", "add-note", "--title", "Dentist", stdin=f"{PASSPHRASE}\nFriday 9\n")
    assert code == 0
    (directory,) = {p.parent for p in app_home.rglob("vault.db")}
    return directory


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- item 2: `vault check` must not say "ok" without metadata ------------------------------


@pytest.mark.parametrize("damage", ["deleted", "garbage"])
def test_check_fails_when_the_metadata_is_missing_or_damaged(
    cli: Cli, vault_dir: Path, damage: str
) -> None:
    meta = vault_dir / "vault.json"
    if damage == "deleted":
        meta.unlink()
    else:
        meta.write_bytes(b"\x00garbage{")
    code, out, err = cli("vault", "check", stdin=f"{PASSPHRASE}\n")
    assert code != 0
    assert out.startswith("metadata: ") and "database: cipher_integrity_check: ok" in out
    assert "vault.json" in err and "restore" in err.lower()


def test_check_says_the_database_is_unreadable_when_its_salt_and_every_copy_are_damaged(
    cli: Cli, vault_dir: Path
) -> None:
    (vault_dir / "vault.json").unlink()
    (vault_dir / "vault.salt").unlink()
    db = vault_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[3] ^= 0x01
    db.write_bytes(bytes(data))
    code, out, err = cli("vault", "check", stdin=f"{PASSPHRASE}\n")
    assert code != 0 and ": ok" not in out
    assert out.startswith("metadata: ") and "unreadable" in out
    assert "could not be verified" in err


def test_a_damaged_salt_is_opened_with_its_saved_copy_and_written_back(
    cli: Cli, vault_dir: Path
) -> None:
    db = vault_dir / "vault.db"
    data = bytearray(db.read_bytes())
    salt = bytes(data[:16])
    data[3] ^= 0x01
    db.write_bytes(bytes(data))
    code, out, _ = cli("vault", "check", stdin=f"{PASSPHRASE}\n")
    assert code == 0 and "cipher_integrity_check: ok" in out, out
    assert db.read_bytes()[:16] == salt


def test_check_without_metadata_in_keyring_mode_says_the_database_was_not_checked(
    cli: Cli, vault_dir: Path
) -> None:
    (vault_dir / "vault.json").unlink()
    (vault_dir / "vault.key").unlink()
    code, out, err = cli("vault", "check")
    assert code != 0 and "database: not checked" in out and "vault.json" in err


# -- item 9: a damaged key file is not a wrong passphrase; a failed open leaves no files ----


def _edit_key_file(vault_dir: Path, **changes: object) -> None:
    path = vault_dir / "vault.key"
    doc = json.loads(path.read_text())
    doc.update(changes)
    path.write_text(json.dumps(doc))


@pytest.mark.parametrize(
    "changes",
    [
        {"memory_kib": 65537},
        {"time_cost": 4},
        {"time_cost": 10**9},
        {"memory_kib": 2**40},
        {"parallelism": 0},
        {"salt": "AAAAAAAAAAAAAAAAAAAAAA=="},
        {"nonce": "AAAAAAAAAAAAAAAA"},
        {"salt": "c2hvcnQ="},
        {"nonce": "not base64!"},
    ],
)
def test_a_tampered_key_file_is_reported_as_damaged(
    cli: Cli, vault_dir: Path, changes: dict[str, object]
) -> None:
    _edit_key_file(vault_dir, **changes)
    code, _, err = cli("vault", "search", "friday", stdin=f"{PASSPHRASE}\n")
    assert code != 0
    assert "does not open" not in err
    assert "key file" in err and "damaged" in err and "backup" in err


def test_a_wrong_passphrase_is_still_a_wrong_passphrase(cli: Cli, vault_dir: Path) -> None:
    code, _, err = cli("vault", "search", "friday", stdin="not the passphrase at all\n")
    assert code != 0 and "passphrase does not open" in err


def test_a_failed_open_leaves_the_folder_as_it_was(cli: Cli, vault_dir: Path) -> None:
    db = vault_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0x01
    db.write_bytes(bytes(data))
    before = sorted(p.name for p in vault_dir.iterdir())
    code, _, err = cli("vault", "search", "friday", stdin=f"{PASSPHRASE}\n")
    assert code != 0 and "Nothing was changed" in err
    assert sorted(p.name for p in vault_dir.iterdir()) == before
    assert db.read_bytes() == bytes(data)


# -- item 10: owner-only files --------------------------------------------------------------


def test_the_database_its_sidecars_and_the_log_are_owner_only(
    cli: Cli, vault_dir: Path, app_home: Path
) -> None:
    from cogenesis.adapters.keystore import PassphraseKeyStore
    from cogenesis.core.vault import VaultFiles, unlock_vault

    files = VaultFiles(vault_dir)
    vault = unlock_vault(files, PassphraseKeyStore(files.key_file), PASSPHRASE)
    try:
        vault.notes.add("t", "b", [])
        for name in ("vault.db", "vault.db-wal", "vault.db-shm"):
            assert _mode(vault_dir / name) == 0o600, name
    finally:
        vault.lock()
    (log,) = list(app_home.rglob("cogenesis.log"))
    assert _mode(log) == 0o600


# -- item 11: the user's own key, for stock SQLCipher tools --------------------------------


def test_export_key_needs_confirmation(cli: Cli, vault_dir: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("vault", "export-key", stdin=f"{PASSPHRASE}\n")
    assert exc.value.code != 0


def test_export_key_opens_the_vault_with_plain_sqlcipher(cli: Cli, vault_dir: Path) -> None:
    code, out, err = cli("vault", "export-key", "--i-understand", stdin=f"{PASSPHRASE}\n")
    assert code == 0
    assert "WARNING" in err
    match = re.fullmatch(r"x'([0-9a-f]{64})'\n", out)
    assert match, out
    conn = sqlcipher3.connect(str(vault_dir / "vault.db"))
    try:
        conn.execute(f'PRAGMA key = "{out.strip()}"')
        assert conn.execute("SELECT title, body FROM notes").fetchall() == [
            ("Dentist", "Friday 9\n")
        ]
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
    finally:
        conn.close()


def test_export_key_refuses_a_wrong_passphrase(cli: Cli, vault_dir: Path) -> None:
    code, out, _ = cli("vault", "export-key", "--i-understand", stdin="wrong wrong wrong\n")
    assert code != 0 and "x'" not in out
