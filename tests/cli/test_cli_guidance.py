"""Issue 21, the command line: `ask --help` explains the answer modes; a dataset file with
several users says to choose one with --user, and which ids there are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.core.evaluation.samples import SAMPLES

PASSPHRASE = "tangerine submarine 42"


def test_ask_help_explains_each_answer_mode(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli("ask", "--help")
    text = capsys.readouterr().out
    for mode in ("local", "cloud", "sketch", "logit", "full"):
        assert f"\n  {mode} " in text
    assert "nothing leaves the device" in text and "private allows local, cloud" in text


def test_importing_a_multi_user_file_names_the_user_option(cli: Cli, tmp_path: Path) -> None:
    assert cli("vault", "init", stdin=f"{PASSPHRASE}\n")[0] == 0
    dataset = tmp_path / "dev.json"
    dataset.write_text(json.dumps(SAMPLES), encoding="utf-8")
    code, _, err = cli("vault", "import", str(dataset), stdin=f"{PASSPHRASE}\n")
    assert code == 1
    assert "holds 3 users (tid u1, u2, u3)" in err
    assert "--user u1" in err and "Fix that field" not in err
    code, out, err = cli("vault", "import", str(dataset), "--user", "u2", stdin=f"{PASSPHRASE}\n")
    assert code == 0, err
    assert "profile=yes" in out
