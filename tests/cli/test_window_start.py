"""`cogenesis` without a command opens the window without building the command parser, which
imports every command's libraries (openai, llama.cpp, numpy)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("argv", [[], ["gui"]])
def test_the_window_path_skips_the_command_modules(argv: list[str]) -> None:
    script = (
        "import sys\n"
        "import cogenesis.launcher as cli\n"
        "cli._open_window = lambda: 7\n"
        f"code = cli.main({argv!r})\n"
        "print(code, [m for m in ('cogenesis.cli.model_commands', 'cogenesis.cli.ask_command',"
        " 'openai') if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "7 []"
