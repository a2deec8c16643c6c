"""The built-in demo endpoint: a small model behind an OpenAI-compatible API on 127.0.0.1.

It lets collaboration (sketch, logit fusion) work on a fresh install with no account. It is
a stand-in for a cloud model, in its own process (it never shares the app's memory), and it
is reached like any provider: through ``build_client``, so every request passes the egress
choke point and lands in the ledger.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cogenesis.adapters.remote.client import RemoteConfig
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm.gguf import read_header
from cogenesis.core.llm.threads import physical_cores, plan_threads
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings

DEMO_LABEL = "Demo endpoint (a stand-in for a cloud model, running on this computer)"
DEMO_MODEL = "demo"
SERVE_FLAG = "--serve-demo"
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
    ]


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DemoServer:
    """Start with ``start()`` (blocks until the server answers), stop with ``stop()``.

    ``log_file`` receives the server's output; its tail is quoted when starting fails.
    Stopping is also registered with ``atexit``, and the server exits by itself when the
    app's process ends (it watches the stdin pipe the app holds).
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
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def config(self) -> RemoteConfig:
        """How to reach it; the chat template comes from the model file (for logit fusion)."""
        if not self.running:
            raise DemoServerError("The demo endpoint is not running.", "Start it first.")
        template = str(read_header(self.model).get("tokenizer.chat_template", ""))
        return RemoteConfig(self.base_url, DEMO_MODEL, chat_template=template)

    def start(self) -> None:
        """Start the server process and wait until it answers; no-op when running."""
        if self.running:
            return
        self.port = free_loopback_port()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_file.open("wb")
        command = serve_command(
            self.model, self.port, context_size=self.context_size, threads=self.threads
        )
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=self._log, stderr=subprocess.STDOUT
        )
        atexit.register(self.stop)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate, then kill if it does not exit within ``timeout`` seconds."""
        atexit.unregister(self.stop)
        process, self.process = self.process, None
        if process is not None:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise self._failure(f"exited with status {self.process.returncode}")
            if self._answers():
                return
            time.sleep(0.2)
        raise self._failure(f"did not answer within {self.startup_timeout:.0f} s")

    def _answers(self) -> bool:
        """A local readiness check on our own child process; nothing leaves the device."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/v1/models")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def _failure(self, what: str) -> DemoServerError:
        return DemoServerError(
            f"The demo endpoint {what}. Its last output:\n{self.log_tail()}",
            f"Check {self.log_file}, or choose another remote endpoint in settings.",
        )

    def log_tail(self) -> str:
        """The end of the server's output (where startup errors appear)."""
        if self._log is not None:
            self._log.flush()
        try:
            data = self.log_file.read_bytes()
        except OSError:
            return "(no output)"
        return data[-_TAIL_BYTES:].decode("utf-8", errors="replace").strip() or "(no output)"


def _starter_model() -> Path:
    from cogenesis.adapters.models import starter_model_path

    path = starter_model_path()
    if path is None:
        raise DemoServerError(
            "The demo endpoint needs the starter model, which is not installed.",
            "Reinstall CoGenesis (make run), or configure another remote endpoint.",
        )
    return path
