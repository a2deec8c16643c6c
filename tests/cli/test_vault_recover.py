"""Issue 17, item 8: automatic backups listed and put back with one command."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogenesis.core.vault import autobackup
from tests.cli.conftest import Cli

PASSPHRASE = "tangerine submarine 42"
PAGE = 4096


@pytest.fixture
def vault_dir(cli: Cli, app_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(autobackup, "MIN_INTERVAL_S", 0)
    assert cli("vault", "init", stdin=f"{PASSPHRASE}\n")[0] == 0
    for i in range(40):
        note = f"{PASSPHRASE}\nnote {i}: " + "private text " * 40 + "\n"
        assert cli("vault", "add-note", "--title", f"n{i}", stdin=note)[0] == 0
    (directory,) = {p.parent for p in app_home.rglob("vault.db")}
    return directory


def test_backups_lists_the_automatic_backups_newest_first(cli: Cli, vault_dir: Path) -> None:
    code, out, _ = cli("vault", "backups")
    assert code == 0
    lines = [line for line in out.splitlines() if line.lstrip().startswith(("1 ", "2 "))]
    assert len(lines) == 2, out
    assert f"kept: the newest {autobackup.KEEP}" in out


def test_recover_puts_the_newest_backup_back_in_place_of_a_damaged_vault(
    cli: Cli, vault_dir: Path
) -> None:
    db = vault_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[3 * PAGE + 500] ^= 0x02
    db.write_bytes(bytes(data))
    code, _, err = cli("vault", "search", "n39", stdin=f"{PASSPHRASE}\n")
    assert code != 0 and "cogenesis vault recover" in err
    code, out, err = cli("vault", "recover", stdin=f"{PASSPHRASE}\n")
    assert code == 0, err
    assert "replaced-" in out
    code, out, _ = cli("vault", "check", stdin=f"{PASSPHRASE}\n")
    assert code == 0 and "integrity_check: ok" in out
    code, out, _ = cli("vault", "search", "n39", stdin=f"{PASSPHRASE}\n")
    assert code == 0 and "n39" in out


def test_recover_a_chosen_backup_by_its_number(cli: Cli, vault_dir: Path) -> None:
    code, out, err = cli("vault", "recover", "--backup", "2", stdin=f"{PASSPHRASE}\n")
    assert code == 0, err
    code, out, _ = cli("vault", "search", "n39", stdin=f"{PASSPHRASE}\n")
    assert "No matches." in out


def test_recover_without_backups_says_what_to_do(cli: Cli, app_home: Path) -> None:
    assert cli("vault", "init", stdin=f"{PASSPHRASE}\n")[0] == 0
    code, _, err = cli("vault", "recover", stdin=f"{PASSPHRASE}\n")
    assert code != 0 and "no automatic backup" in err and "vault restore" in err
