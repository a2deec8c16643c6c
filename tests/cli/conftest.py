"""The command line driven in-process: ``cli(*args, stdin=...)`` gives (exit code, stdout,
stderr); passphrases and other input come on stdin."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cogenesis.launcher import main

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return call


def saved_settings(app_home: Path) -> dict[str, object]:
    """The settings file as JSON (what a command stored)."""
    return json.loads((app_home / "config" / "settings.json").read_text())  # type: ignore[no-any-return]
