"""Against llama.cpp's own C++ llama-server (issue 18): what the probe reads from a server the
tests did not write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.adapters.models import starter_model_path
from cogenesis.core.collab.id_runs import IdRuns, remote_runs
from cogenesis.core.egress import EgressContext
from cogenesis.core.llm import ChatMessage
from cogenesis.core.remote import Capabilities
from devsupport.servers import CppLlamaServer
from tests.adapters.remote.conftest import RemoteFactory, run_cli

PASSPHRASE = "harbour lights 2024"


def test_the_probe_reads_llama_servers_log_probabilities_and_top_k(
    cpp_server: CppLlamaServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    app_home: Path,
) -> None:
    """llama-server puts completion log-probabilities in ``logprobs.content[].top_logprobs``
    (the chat layout) and gives up to 100 alternatives; it has no echo but takes token ids."""
    run_cli(capsys, monkeypatch, "vault", "init", stdin=f"{PASSPHRASE}\n")
    template = str(starter_model_path())
    args = ("--base-url", cpp_server.base_url, "--model", "starter")
    code, _, err = run_cli(
        capsys,
        monkeypatch,
        "remote",
        "set",
        *args,
        "--chat-template-from-gguf",
        template,
        "--privacy-mode",
        "private",
    )
    assert code == 0, err
    code, out, err = run_cli(capsys, monkeypatch, "remote", "test", stdin=f"{PASSPHRASE}\n")
    assert code == 0, err
    assert "completions log-probs:      yes" in out, out
    assert "largest top-k:              100" in out, out
    assert "token-id prompts:           yes" in out and "echo:                       no" in out
    settings = json.loads((app_home / "config" / "settings.json").read_text())
    assert settings["remote_capabilities"]["max_top_logprobs"] == 100


CHAT_ONLY = Capabilities(
    chat_stream=True, chat_logprobs=True, continue_final_message=True, max_top_logprobs=100
)


def test_the_first_answer_token_over_chat_is_the_models_first_token(
    cpp_server: CppLlamaServer, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    """An empty answer prefix is not sent as an empty assistant turn to continue: llama-server
    drops it, and the run came back as the chat template's own tokens (an empty text where the
    model's first word belongs)."""
    remote = make_remote(cpp_server.base_url, capabilities=CHAT_ONLY)
    assert remote.capabilities is not None
    assert remote.capabilities.prefix_continuation == "continue_final_message"
    question = [ChatMessage("user", "Name a colour.")]
    first = remote.next_token_top_k(question, "", top_k=5)
    streamed = next(
        d.text for d in remote.stream_chat(question, max_tokens=4, temperature=0.0) if d.text
    )
    assert first.text.strip() and streamed.startswith(first.text), (first, streamed)


def test_logit_fusion_sends_token_ids_to_llama_server_without_echo(
    cpp_server: CppLlamaServer,
    make_remote: RemoteFactory,
    private_mode: EgressContext,
    starter_path: Path,
) -> None:
    """It takes token-id prompts but has no echo: the vocabulary is compared on the ids and
    texts it names, plain runs go as ids (before: text, since id runs required echo)."""
    remote = make_remote(cpp_server.base_url, capabilities=None)
    remote.probe()
    assert remote.takes_token_ids() and not remote.scores_drafts()
    local = LlamaLocalModel(starter_path, context_size=1024)
    try:
        runs = remote_runs(remote, local, [ChatMessage("user", "Name a colour.")], lambda t: t)
        assert isinstance(runs, IdRuns)
        positions = runs.run([], 4)
        assert len(positions) == 4 and all(len(p.top) >= 2 for p in positions)
    finally:
        local.close()
