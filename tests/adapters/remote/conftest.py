from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from llama_cpp import Llama

from cogenesis.adapters.models import starter_model_path
from cogenesis.adapters.remote import OpenAIRemote, RemoteConfig, build_client
from cogenesis.core.egress import EgressContext, EgressLedger, egress_context, mode_guard
from cogenesis.core.remote import Capabilities
from cogenesis.core.vault import Vault
from devsupport.fault_proxy import FaultProxy
from devsupport.servers import SERVER_CAPABILITIES, LlamaServer


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    """The command line in-process: (exit code, stdout, stderr); input comes on stdin."""
    from cogenesis.launcher import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def chat_template() -> str:
    path = starter_model_path()
    assert path is not None
    vocab = Llama(str(path), vocab_only=True, verbose=False)
    template = str(vocab.metadata["tokenizer.chat_template"])
    vocab.close()
    return template


@pytest.fixture
def proxy(llama_server: LlamaServer) -> Iterator[FaultProxy]:
    running = FaultProxy(llama_server.port)
    yield running
    running.stop()


@pytest.fixture
def ledger(vault: Vault) -> EgressLedger:
    return EgressLedger(vault.db)


@pytest.fixture
def private_mode() -> Iterator[EgressContext]:
    with egress_context(EgressContext("private", None, "test")) as context:
        yield context


RemoteFactory = Callable[..., OpenAIRemote]


@pytest.fixture
def make_remote(ledger: EgressLedger, chat_template: str) -> Iterator[RemoteFactory]:
    made: list[OpenAIRemote] = []

    def make(
        base_url: str,
        *,
        timeout: float = 60.0,
        stall: float | None = None,  # the loaded test servers get the full timeout by default
        attempts: int = 3,
        guard=mode_guard,  # type: ignore[no-untyped-def]
        api_key: str = "sk-test-SECRET-123",
        template: str | None = None,
        capabilities: Capabilities | None = SERVER_CAPABILITIES,
    ) -> OpenAIRemote:
        config = RemoteConfig(
            base_url,
            "starter",
            chat_template=chat_template if template is None else template,
            timeout=timeout,
            stall_timeout=timeout if stall is None else stall,
        )
        client = build_client(config, guard, ledger, api_key=api_key)
        remote = OpenAIRemote(
            config, client, capabilities=capabilities, attempts=attempts, sleep=lambda _s: None
        )
        made.append(remote)
        return remote

    yield make
    for remote in made:
        remote.close()


@pytest.fixture
def server_log(llama_server: LlamaServer) -> Path:
    return llama_server.log_file
