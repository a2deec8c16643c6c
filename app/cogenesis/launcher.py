"""The `cogenesis` command: without a command the window, else the command line; with a
hidden flag, the demo endpoint's own process (so a frozen build can start itself as one).

It sits above gui/ and cli/, which know nothing of each other, and imports each only on its
path: the window must not wait for the command parser, which imports every command's
libraries (openai, llama.cpp, numpy).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

SERVE_DEMO = "--serve-demo"  # the same flag as adapters.remote.demo_server.SERVE_FLAG
SELF_TEST = "--self-test"
_WINDOW_ARGS: tuple[list[str], ...] = ([], ["gui"])


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == [SELF_TEST]:
        from cogenesis.self_test import run_self_test

        return run_self_test()
    if argv[:1] == [SERVE_DEMO]:
        from cogenesis.adapters.remote.demo_server_main import serve

        return serve(argv[1:])
    if argv in _WINDOW_ARGS:
        return _open_window()
    from cogenesis.cli.main import run_command_line

    return run_command_line(argv, open_window=_open_window)


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
