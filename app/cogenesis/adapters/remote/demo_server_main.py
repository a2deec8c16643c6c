"""The demo endpoint's own process: llama-cpp-python's OpenAI-compatible server on loopback.

Runs as ``cogenesis --serve-demo …`` (in a frozen build ``sys.executable`` is the app, so the
app's entry point starts it). It binds 127.0.0.1 only, ignores the environment variables the
server would otherwise read (``HOST``, ``PORT``, ``CONFIG_FILE``, ``API_KEY``…), takes its
per-start API key from the first line of stdin (``--api-key-stdin``), and exits when its
parent closes the stdin pipe, so it never outlives the app.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Sequence

LOOPBACK = "127.0.0.1"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cogenesis --serve-demo", add_help=False)
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--alias", required=True)
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--api-key-stdin",
        action="store_true",
        help="read the API key every request must carry from the first line of stdin",
    )
    return parser


def serve(argv: Sequence[str]) -> int:
    """Serve until killed or until stdin closes; returns the exit status."""
    args = build_parser().parse_args(list(argv))
    _scrub_server_environment()
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    api_key = _read_api_key() if args.api_key_stdin else None
    server = ServerSettings(host=LOOPBACK, port=args.port, api_key=api_key)
    model = ModelSettings(
        model=args.model,
        model_alias=args.alias,
        n_ctx=args.n_ctx,
        n_threads=args.threads,
        n_threads_batch=args.threads,
        verbose=False,
    )
    app = create_app(server_settings=server, model_settings=[model])
    _exit_when_parent_goes()
    uvicorn.run(app, host=LOOPBACK, port=args.port, log_level="warning")
    return 0


def _read_api_key() -> str:
    """The first line the parent writes on our stdin (a command line is visible to all)."""
    line = sys.stdin.buffer.readline().strip().decode("ascii", errors="replace")
    if not line:
        raise SystemExit("--api-key-stdin: no key arrived on stdin")
    return line


def _scrub_server_environment() -> None:
    """pydantic-settings fills every unset server field from a same-named variable."""
    from llama_cpp.server.settings import Settings

    names = {name.lower() for name in Settings.model_fields} | {"config_file"}
    for key in list(os.environ):
        if key.lower() in names:
            del os.environ[key]


def _exit_when_parent_goes() -> None:
    """The parent holds our stdin open; EOF means it exited (however it ended)."""

    def watch() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        os._exit(0)

    if sys.stdin is not None:
        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
