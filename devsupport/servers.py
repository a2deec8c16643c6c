"""Loopback OpenAI-compatible servers over a real model, for tests and benchmarks.

They run on the app's own server-process code (``ServerProcess``: free port, wait until it
answers, stop), as the demo endpoint does.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

from cogenesis.adapters.remote.server_process import ServerNotReady, ServerProcess
from cogenesis.core.remote import Capabilities

# What the probe finds on llama-cpp-python's server (test_remote.py checks it).
SERVER_CAPABILITIES = Capabilities(
    chat_stream=True,
    chat_logprobs=True,
    completions=True,
    completions_logprobs=True,
    echo=True,
    max_top_logprobs=100,
)
ID_SERVER_SCRIPT = Path(__file__).with_name("id_server.py")
# Where `make test` builds llama.cpp's own server (the Makefile's LLAMA_SERVER), passed in
# this variable; without it, any build in the cache.
LLAMA_SERVER_VARIABLE = "COGENESIS_LLAMA_SERVER"
_BUILD_CACHE = Path.home() / ".cache" / "cogenesis-build"


def llama_server_binary() -> Path | None:
    """llama.cpp's ``llama-server`` as the Makefile built it, or None when it was not built."""
    named = os.environ.get(LLAMA_SERVER_VARIABLE)
    if named:
        return Path(named) if Path(named).is_file() else None
    built = sorted(_BUILD_CACHE.glob("llama-server-*/llama-server"))
    return built[-1] if built else None


def _die_with_parent() -> None:
    """In the child: end when the test process ends, even when it is killed (a killed test
    run left servers behind)."""
    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class LlamaServer:
    """``python -m llama_cpp.server`` with ``model`` on 127.0.0.1, started at once (``token_ids``:
    the vLLM-style token-id server of ``id_server.py`` instead)."""

    def __init__(self, model: Path, log: Path, *, token_ids: bool = False) -> None:
        self.model = model
        self.log_file = log
        self._server = ServerProcess(log)
        command_for = self._id_server if token_ids else self._llama_server
        preexec = _die_with_parent if sys.platform == "linux" else None
        try:
            self._server.start(command_for, timeout=90.0, preexec=preexec)
        except ServerNotReady as failure:
            raise RuntimeError(f"the test server {failure.reason}; see {log}") from None
        self.port = self._server.port
        self.base_url = self._server.base_url

    def stop(self) -> None:
        self._server.stop(timeout=15.0)

    def pause(self) -> None:
        """Stop the server process where it is (SIGSTOP): it accepts connections and answers
        nothing, as a stalled remote does."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, number: signal.Signals) -> None:
        process = self._server.process
        assert process is not None, "the server is not running"
        os.kill(process.pid, number)

    def _llama_server(self, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--model_alias",
            "starter",
            "--n_threads",
            "2",
        ]

    def _id_server(self, port: int) -> list[str]:
        return [sys.executable, str(ID_SERVER_SCRIPT), str(self.model), str(port)]


class CppLlamaServer(LlamaServer):
    """llama.cpp's own C++ ``llama-server`` with ``model`` on 127.0.0.1: the server behind many
    local and self-hosted set-ups (token-id prompts, ``n_probs``, top-k up to 100, no echo).
    One slot and two threads unless asked otherwise (``slots`` decode side by side, each with
    ``context_size`` tokens), the model named "starter" as the other test servers name it."""

    def __init__(
        self,
        binary: Path,
        model: Path,
        log: Path,
        *,
        threads: int = 2,
        slots: int = 1,
        context_size: int = 2048,
        one_token_batches: bool = False,
    ) -> None:
        """``one_token_batches``: every position is computed as a one-token decode (prompts
        too, slower), so its numbers do not depend on how requests split the text: the
        server is batch-invariant, as greedy-identity checks need."""
        self.binary = binary
        self.threads, self.slots, self.context_size = threads, slots, context_size
        self.one_token_batches = one_token_batches
        super().__init__(model, log)

    def _llama_server(self, port: int) -> list[str]:
        return [
            str(self.binary),
            "--model",
            str(self.model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ctx-size",
            str(self.context_size * self.slots),
            "--threads",
            str(self.threads),
            "--threads-batch",
            str(self.threads),
            "--parallel",
            str(self.slots),
            "--alias",
            "starter",
            *(["--ubatch-size", "1"] if self.one_token_batches else []),
        ]
