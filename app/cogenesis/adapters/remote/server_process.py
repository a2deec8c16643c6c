"""An HTTP server in a child process on a free 127.0.0.1 port: start, wait until it answers,
stop. The demo endpoint runs on it, and so do the loopback servers of tests and benchmarks."""

from __future__ import annotations

import contextlib
import http.client
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

LOOPBACK = "127.0.0.1"
READY_PATH = "/v1/models"  # every OpenAI-compatible server answers it once the model is loaded

CommandForPort = Callable[[int], Sequence[str]]


class ServerNotReady(Exception):
    """The server exited, or did not answer in time; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def free_loopback_port() -> int:
    """A port nothing listens on now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """One server process at a time, its output (stdout and stderr) in ``log_file``.

    ``port`` keeps the last port after ``stop()``, so a caller can check nothing answers there.
    """

    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file
        self.api_key = ""  # sent as a bearer token by the readiness check, when set
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(
        self,
        command_for: CommandForPort,
        *,
        timeout: float,
        pipe_stdin: bool = False,
        first_line: bytes = b"",
        preexec: Callable[[], None] | None = None,
    ) -> None:
        """Run ``command_for(port)`` and block until it answers; on failure it is stopped and
        ``ServerNotReady`` raised. ``pipe_stdin``: the child gets a pipe we hold open (the demo
        server exits when it closes); ``first_line``: written to that pipe first (a secret
        the command line would show to every local user); ``preexec``: run in the child
        before the command."""
        self.port = free_loopback_port()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_file.open("wb")
        self.process = subprocess.Popen(
            command_for(self.port),
            stdin=subprocess.PIPE if pipe_stdin else None,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=preexec,
        )
        try:
            if first_line and self.process.stdin is not None:
                self.process.stdin.write(first_line.rstrip(b"\n") + b"\n")
                self.process.stdin.flush()
            self._wait_ready(self.process, timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate, then kill if it does not exit within ``timeout`` seconds; idempotent."""
        process, self.process = self.process, None
        if process is not None:
            _end(process, timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def answers(self) -> bool:
        """A local readiness check on our own child process; nothing leaves the device."""
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=2)
        try:
            headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
            conn.request("GET", READY_PATH, headers=headers)
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def log_tail(self, size: int) -> str:
        """The last ``size`` bytes of the server's output, as text (startup errors show there)."""
        if self._log is not None:
            self._log.flush()
        try:
            data = self.log_file.read_bytes()
        except OSError:
            return ""
        return data[-size:].decode("utf-8", errors="replace").strip()

    def _wait_ready(self, process: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServerNotReady(f"exited with status {process.returncode}")
            if self.answers():
                return
            time.sleep(0.2)
        raise ServerNotReady(f"did not answer within {timeout:.0f} s")


def _end(process: subprocess.Popen[bytes], timeout: float) -> None:
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
