"""The built-in demo endpoint: a small model behind an OpenAI-compatible API on 127.0.0.1.

It lets collaboration (sketch, logit fusion) work on a fresh install with no account. It is
a stand-in for a cloud model, in its own process (it never shares the app's memory), and it
is reached like any provider: through ``build_client``, so every request passes the egress
choke point and lands in the ledger.
"""

from __future__ import annotations

import atexit
import contextlib
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from cogenesis.adapters.remote.config import RemoteConfig
from cogenesis.adapters.remote.server_process import ServerNotReady, ServerProcess
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm.gguf import read_header
from cogenesis.core.llm.threads import physical_cores, plan_threads
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings

DEMO_LABEL = "Demo endpoint (a stand-in for a cloud model, running on this computer)"
DEMO_MODEL = "demo"
SERVE_FLAG = "--serve-demo"
KEY_FROM_STDIN = "--api-key-stdin"  # the key is the first line on stdin, not an argument
_TAIL_BYTES = 2000


class DemoServerError(CogenesisError):
    """The demo endpoint could not start."""


def demo_log_file(paths: AppPaths) -> Path:
    """Where the demo server's output goes."""
    return paths.log_dir / "demo-server.log"


@contextlib.contextmanager
def demo_if_chosen(settings: Settings, paths: AppPaths) -> Iterator[DemoServer | None]:
    """The running demo server while the block runs when the settings choose it, else None
    (for one command; the app keeps one DemoServer for its whole run instead)."""
    if settings.remote_provider != "demo":
        yield None
        return
    with DemoServer(demo_log_file(paths)) as demo:
        yield demo


def serve_command(model: Path, port: int, *, context_size: int, threads: int) -> list[str]:
    """The command line of the server process: the app's own entry point, frozen or not."""
    frozen = getattr(sys, "frozen", False)
    entry = [sys.executable] if frozen else [sys.executable, "-m", "cogenesis"]
    return [
        *entry,
        SERVE_FLAG,
        "--model",
        str(model),
        "--port",
        str(port),
        "--alias",
        DEMO_MODEL,
        "--n-ctx",
        str(context_size),
        "--threads",
        str(threads),
        KEY_FROM_STDIN,
    ]


class DemoServer:
    """Start with ``start()`` (blocks until the server answers), stop with ``stop()``.

    ``log_file`` receives the server's output; its tail is quoted when starting fails.
    Stopping is also registered with ``atexit``, and the server exits by itself when the
    app's process ends (it watches the stdin pipe the app holds). Each start has a new random
    API key, handed over on that pipe and given to the app's client by ``config()``, so no
    other local process can use the server.
    """

    label = DEMO_LABEL
    model_name = DEMO_MODEL

    def __init__(
        self,
        log_file: Path,
        model: Path | None = None,
        *,
        context_size: int = 2048,
        threads: int = 0,
        startup_timeout: float = 120.0,
    ) -> None:
        self.log_file = log_file
        self.model = model or _starter_model()
        self.context_size = context_size
        self.threads = threads or plan_threads(physical_cores(), demo=True).demo.generation
        self.startup_timeout = startup_timeout
        self._server = ServerProcess(log_file)

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self._server.process

    @property
    def base_url(self) -> str:
        return self._server.base_url

    @property
    def running(self) -> bool:
        return self._server.running

    def answers(self) -> bool:
        """Whether something answers on its port (a local check; nothing leaves the device)."""
        return self._server.answers()

    def config(self) -> RemoteConfig:
        """How to reach it; the chat template comes from the model file (for logit fusion)."""
        if not self.running:
            raise DemoServerError("The demo endpoint is not running.", "Start it first.")
        template = str(read_header(self.model).get("tokenizer.chat_template", ""))
        return RemoteConfig(
            self.base_url, DEMO_MODEL, chat_template=template, api_key=self._server.api_key
        )

    def start(self) -> None:
        """Start the server process and wait until it answers; no-op when running."""
        if self.running:
            return
        self._server.api_key = secrets.token_urlsafe(32)
        try:  # a failed start stops the process itself
            self._server.start(
                self._command,
                timeout=self.startup_timeout,
                pipe_stdin=True,
                first_line=self._server.api_key.encode(),
            )
        except ServerNotReady as failure:
            raise self._failure(failure.reason) from None
        atexit.register(self.stop)

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate, then kill if it does not exit within ``timeout`` seconds."""
        atexit.unregister(self.stop)
        self._server.stop(timeout)

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self) -> str:
        """The end of the server's output (where startup errors appear)."""
        return self._server.log_tail(_TAIL_BYTES) or "(no output)"

    def _command(self, port: int) -> list[str]:
        return serve_command(self.model, port, context_size=self.context_size, threads=self.threads)

    def _failure(self, what: str) -> DemoServerError:
        return DemoServerError(
            f"The demo endpoint {what}. Its last output:\n{self.log_tail()}",
            f"Check {self.log_file}, or choose another remote endpoint in settings.",
        )


def _starter_model() -> Path:
    from cogenesis.adapters.models import starter_model_path

    path = starter_model_path()
    if path is None:
        raise DemoServerError(
            "The demo endpoint needs the starter model, which is not installed.",
            "Reinstall CoGenesis (make run), or configure another remote endpoint.",
        )
    return path
