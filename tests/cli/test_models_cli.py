from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from cogenesis.launcher import main
from tests.gguf_files import tiny_gguf


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_models_list_import_use_remove(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, _ = run(capsys, "models", "list")
    assert code == 0 and "[starter" in out and "fits" in out and out.startswith("*")
    code, out, _ = run(capsys, "models", "import", str(tiny_gguf(tmp_path / "tiny.gguf")))
    assert code == 0 and "Imported tiny" in out
    code, out, _ = run(capsys, "models", "use", "tiny")
    settings = json.loads((app_home / "config" / "settings.json").read_text())
    assert settings["local_model"].endswith("models/tiny.gguf")
    code, out, _ = run(capsys, "models", "list")
    assert "* tiny" in out
    code, out, _ = run(capsys, "models", "remove", "tiny")
    assert code == 0
    code, _, err = run(capsys, "models", "use", "tiny")
    assert code == 1 and "No model called 'tiny'" in err
    bad = tmp_path / "bad.gguf"
    bad.write_text("nope")
    code, _, err = run(capsys, "models", "import", str(bad))
    assert code == 1 and "not a readable GGUF" in err


def test_models_info_loads_the_starter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "models", "info")
    assert code == 0
    assert "Q4_1" in out and "49152" in out and "CPU-only build" in out
