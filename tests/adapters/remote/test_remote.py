"""The OpenAI-compatible remote against llama-cpp-python's server on loopback."""

from __future__ import annotations

import pytest

from cogenesis.adapters.remote import config_from_settings
from cogenesis.core.egress import EgressContext, EgressLedger
from cogenesis.core.errors import CapabilityMissing
from cogenesis.core.llm import ChatMessage
from cogenesis.core.remote import Capabilities
from cogenesis.core.settings import Settings
from devsupport.fault_proxy import FaultProxy
from devsupport.servers import SERVER_CAPABILITIES, LlamaServer
from tests.adapters.remote.conftest import RemoteFactory

SEA = [ChatMessage("user", "Write one sentence about the sea.")]


def test_probe_finds_what_the_server_supports(
    llama_server: LlamaServer,
    make_remote: RemoteFactory,
    ledger: EgressLedger,
    private_mode: EgressContext,
) -> None:
    remote = make_remote(llama_server.base_url, capabilities=None)
    capabilities = remote.probe()
    assert capabilities.chat_stream and capabilities.chat_logprobs
    assert capabilities.completions_logprobs and capabilities.echo
    assert not capabilities.token_id_prompts  # this server takes text prompts only
    assert not capabilities.continue_final_message
    assert capabilities.max_top_logprobs == 100  # asked for 100, it gives 100
    assert capabilities.prefix_continuation == "completions"
    assert capabilities == SERVER_CAPABILITIES
    assert all(r.purpose == "test" for r in ledger.records())  # the probe is recorded too


def test_probe_without_chat_template_cannot_continue_prefixes(
    llama_server: LlamaServer, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    remote = make_remote(llama_server.base_url, capabilities=None, template="")
    capabilities = remote.probe()
    assert capabilities.prefix_continuation is None
    assert any("chat template is not set" in note for note in capabilities.notes)
    assert capabilities.missing_for("logit") == ["prefix continuation with log-probabilities"]
    with pytest.raises(CapabilityMissing, match="cannot continue") as info:
        remote.continue_run(SEA, "The", max_tokens=2, top_k=3)
    assert "sketch mode" in info.value.hint


def test_continue_run_returns_tokens_with_top_k(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    remote = make_remote(proxy.base_url)
    run = remote.continue_run(SEA, "The sea", max_tokens=6, top_k=4)
    assert 1 <= len(run.tokens) <= 6
    for token in run.tokens:
        assert len(token.top) == 4
        assert [lp for _, lp in token.top] == sorted((lp for _, lp in token.top), reverse=True)
        assert token.top[0][1] >= token.logprob - 1e-6
    assert run.prompt_tokens > 0 and run.completion_tokens == len(run.tokens)
    body = proxy.received[-1][1].decode()
    assert "The sea" in body and "<|im_start|>assistant" in body  # the template opened the turn
    one = remote.next_token_top_k(SEA, "The sea", top_k=3)
    assert one.text == run.tokens[0].text  # greedy: the same first token


def test_stream_chat(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    deltas = list(make_remote(proxy.base_url).stream_chat(SEA, max_tokens=12, temperature=0))
    assert len(deltas) > 2 and "".join(d.text for d in deltas).strip()
    assert deltas[-1].finish_reason in ("stop", "length")


def test_capabilities_explain_missing_needs() -> None:
    bare = Capabilities(chat_stream=True)
    assert bare.missing_for("sketch") == []
    assert len(bare.missing_for("logit")) == 2
    assert "prefix continuation:        none" in bare.lines()


def test_the_stall_time_comes_from_the_settings() -> None:
    settings = Settings(
        remote_base_url="http://127.0.0.1:8080/v1", remote_model="m", remote_stall_seconds=40
    )
    assert config_from_settings(settings).stall_timeout == 40.0
