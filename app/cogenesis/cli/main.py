"""Entry point of the `cogenesis` command: no arguments opens the desktop window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cogenesis import __version__
from cogenesis.core.errors import CogenesisError, VaultDamaged

SERVE_DEMO = "--serve-demo"  # the same flag as adapters.remote.demo_server.SERVE_FLAG


def build_parser() -> argparse.ArgumentParser:
    from cogenesis.cli import (
        ask_command,
        model_commands,
        remote_commands,
        settings_commands,
        vault_commands,
    )

    parser = argparse.ArgumentParser(
        prog="cogenesis",
        description="CoGenesis Desktop: a private assistant. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"cogenesis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="open the desktop window (the default)")
    vault_commands.register(sub)
    ask_command.register(sub)
    model_commands.register(sub)
    remote_commands.register(sub)
    settings_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [SERVE_DEMO]:  # hidden: the demo endpoint's own process
        from cogenesis.adapters.remote.demo_server_main import serve

        return serve(argv[1:])
    if argv in ([], ["gui"]):  # the window: the command parser imports every command's libraries
        return _open_window()
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        return _open_window()
    from cogenesis.cli.context import CliContext

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


def _open_window() -> int:
    from cogenesis.gui.platform_check import display_problem

    problem = display_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    from cogenesis.gui.long_lived import long_lived

    with long_lived():
        from cogenesis.gui.app import run
    return run()


def _report(exc: CogenesisError) -> None:
    print(f"error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(f"  {exc.hint}", file=sys.stderr)
