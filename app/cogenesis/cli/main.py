"""The `cogenesis` command line: its parser and how one command runs (``cogenesis.launcher``
is the entry point that chooses between it and the window)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from cogenesis import __version__
from cogenesis.cli import (
    ask_command,
    eval_commands,
    model_commands,
    remote_commands,
    settings_commands,
    synth_command,
    vault_commands,
)
from cogenesis.cli.context import CliContext
from cogenesis.core.errors import CogenesisError, VaultDamaged


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cogenesis",
        description="CoGenesis Desktop: a private assistant. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"cogenesis {__version__}")
    parser.add_argument(  # handled by the launcher, before this parser (listed for --help)
        "--self-test",
        action="store_true",
        help="check this installation headless (vault, local model, demo endpoint, window); "
        "exit code 0 when it passes",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="open the desktop window (the default)")
    vault_commands.register(sub)
    ask_command.register(sub)
    model_commands.register(sub)
    remote_commands.register(sub)
    settings_commands.register(sub)
    eval_commands.register(sub)
    synth_command.register(sub)
    return parser


def run_command_line(argv: Sequence[str], *, open_window: Callable[[], int]) -> int:
    """Run one command; ``gui`` (or none) calls ``open_window``: the window is not cli's to
    import (``cogenesis.launcher`` passes it)."""
    args = build_parser().parse_args(list(argv))
    if args.command in (None, "gui"):
        return open_window()
    try:
        return int(args.func(CliContext.create(), args))
    except VaultDamaged as exc:
        _report(exc)
        for line in exc.report:
            print(f"  {line}", file=sys.stderr)
        return 1
    except CogenesisError as exc:
        _report(exc)
        return 1
    except KeyboardInterrupt:
        return 130


def _report(exc: CogenesisError) -> None:
    print(f"error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(f"  {exc.hint}", file=sys.stderr)
