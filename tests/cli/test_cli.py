"""The command line, driven in-process (passphrases piped on stdin) and once as a process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PASSPHRASE = "tangerine submarine 42"


def test_help_lists_the_subcommands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cogenesis", "--help"], capture_output=True, text=True, check=True
    )
    assert "vault" in result.stdout and "settings" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "cogenesis", "vault", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("init", "status", "import", "export", "add-note", "search", "check"):
        assert command in result.stdout


def test_a_whole_session(cli, tmp_path: Path, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("vault", "status")
    assert code == 0 and "No vault yet" in out
    code, out, err = cli("vault", "init", stdin=f"{PASSPHRASE}\n")
    assert code == 0 and "passphrase" in err and "Created the vault" in out
    code, out, _ = cli("vault", "status")
    assert "key storage: passphrase" in out

    code, out, _ = cli(
        "vault",
        "add-note",
        "--title",
        "Dentist",
        "--tag",
        "health",
        stdin=f"{PASSPHRASE}\nAppointment on Friday at 9\n",
    )
    assert code == 0 and "Added note 1" in out
    code, out, _ = cli("vault", "search", "appointment", stdin=f"{PASSPHRASE}\n")
    assert "note:1  Dentist" in out and "[Appointment]" in out

    user = {
        "additional_profile": "Name: Ada\nLocation: London",
        "profile": [{"title": "Essay", "text": "Engines weave patterns."}],
    }
    (tmp_path / "user.json").write_text(json.dumps(user))
    code, out, _ = cli("vault", "import", str(tmp_path / "user.json"), stdin=f"{PASSPHRASE}\n")
    assert code == 0 and "writing samples=1" in out

    export = tmp_path / "export.json"
    code, _, err = cli("vault", "export", "--plaintext", "-o", str(export), stdin=f"{PASSPHRASE}\n")
    assert code == 0 and "PLAINTEXT" in err
    doc = json.loads(export.read_text())
    assert doc["profile"]["name"] == "Ada" and doc["notes"][0]["tags"] == ["health"]

    code, out, _ = cli("vault", "check", stdin=f"{PASSPHRASE}\n")
    assert code == 0 and "cipher_integrity_check: ok" in out

    backup = tmp_path / "b.backup"
    code, out, _ = cli("vault", "backup", str(backup), stdin=f"{PASSPHRASE}\nbackup secret 1\n")
    assert code == 0 and backup.exists()

    code, out, _ = cli("vault", "passwd", stdin=f"{PASSPHRASE}\nnew secret passphrase\n")
    assert code == 0 and "re-wrapped" in out
    code, _, err = cli("vault", "search", "x", stdin=f"{PASSPHRASE}\n")
    assert code == 1 and "does not open the vault" in err


def test_export_needs_explicit_plaintext_flag(cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        cli("vault", "export")


def test_errors_are_readable(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("vault", "search", "x")
    assert code == 1 and "error: There is no vault" in err and "cogenesis vault init" in err
    cli("vault", "init", stdin=f"{PASSPHRASE}\n")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "cogenesis-vault-export", "version": 1, "notes": [{}]}')
    code, _, err = cli("vault", "import", str(bad), stdin=f"{PASSPHRASE}\n")
    assert code == 1 and "notes[0].body is missing" in err and "nothing was imported" in err
    code, _, err = cli("vault", "init", stdin=f"{PASSPHRASE}\n")
    assert code == 1 and "already exists" in err


def test_damaged_vault_check_prints_the_report(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    cli("vault", "init", stdin=f"{PASSPHRASE}\n")
    for i in range(40):
        cli("vault", "add-note", f"note number {i} " * 40, stdin=f"{PASSPHRASE}\n")
    db = app_home / "data" / "vault" / "vault.db"
    data = bytearray(db.read_bytes())
    data[3 * 4096 + 500] ^= 0xFF
    db.write_bytes(bytes(data))
    code, out, err = cli("vault", "check", stdin=f"{PASSPHRASE}\n")
    assert code == 1 and "HMAC verification failed for page 4" in out + err


def test_settings_show_and_set(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("settings", "set", "theme", "dark")
    assert code == 0
    code, out, _ = cli("settings", "show")
    assert "theme = dark" in out
    code, _, err = cli("settings", "set", "theme", "neon")
    assert code == 1 and "Use one of" in err
    code, _, err = cli("settings", "set", "colour", "x")
    assert code == 1 and "no setting 'colour'" in err
