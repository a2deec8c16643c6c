"""Bad input through the real command line: a clear message and exit 1, never a traceback
(issue 17, items 3, 4, 6 and 7)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from cogenesis.cli import ask_command
from cogenesis.cli.main import build_parser
from cogenesis.core.errors import CogenesisError

PASSPHRASE = "lantern orchard 77"


# -- item 7: long input --------------------------------------------------------------------


def test_ask_takes_the_instruction_from_stdin_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = "Summarise this: " + "word " * 40_000 + "\nThe end."  # about 200 KB
    assert len(long.encode()) > 200_000
    parser = build_parser()
    args = parser.parse_args(["ask", "-"])
    monkeypatch.setattr(sys, "stdin", io.StringIO(long))
    assert ask_command.read_instruction(args) == long
    path = tmp_path / "instruction.txt"
    path.write_text(long, encoding="utf-8")
    args = parser.parse_args(["ask", "--file", str(path), "--mode", "local"])
    assert ask_command.read_instruction(args) == long
    args = parser.parse_args(["ask", "Plan a picnic"])
    assert ask_command.read_instruction(args) == "Plan a picnic"


def test_ask_refuses_no_or_two_instructions_and_unreadable_files(tmp_path: Path) -> None:
    parser = build_parser()
    for argv in (["ask"], ["ask", "--file", str(tmp_path / "x"), "also this"]):
        args = parser.parse_args(argv)
        with pytest.raises(CogenesisError, match="instruction"):
            ask_command.read_instruction(args)
    args = parser.parse_args(["ask", "--file", str(tmp_path / "missing.txt")])
    with pytest.raises(CogenesisError, match=r"missing\.txt"):
        ask_command.read_instruction(args)
    (tmp_path / "blank.txt").write_text("  \n")
    args = parser.parse_args(["ask", "--file", str(tmp_path / "blank.txt")])
    with pytest.raises(CogenesisError, match="empty"):
        ask_command.read_instruction(args)


def test_ask_reads_a_200_kb_instruction_from_stdin_after_the_passphrase(  # type: ignore[no-untyped-def]
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a pipe the passphrase is the first line and the instruction the rest."""
    seen: list[str] = []

    class NoModel:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def close(self) -> None:
            pass

    def prepare(self, instruction: str, **kwargs: object) -> None:  # type: ignore[no-untyped-def]
        seen.append(instruction)
        raise CogenesisError("stopped by the test", "")

    monkeypatch.setattr("cogenesis.adapters.llama.LlamaLocalModel", NoModel)
    monkeypatch.setattr("cogenesis.core.collab.engine.Engine.prepare", prepare)
    cli("vault", "init", stdin=f"{PASSPHRASE}\n")
    long = "Summarise this: " + "word " * 40_000 + "\nThe end.\n"
    code, _, err = cli("ask", "--mode", "local", "-", stdin=f"{PASSPHRASE}\n{long}")
    assert code == 1 and "stopped by the test" in err
    assert seen == [long]
