"""A chat-only endpoint answers /completions with 404 (OpenAI does so for a chat model, and a
server without the route too): the probe marks completions unsupported instead of saying
the model does not exist."""

from __future__ import annotations

from cogenesis.adapters.remote import OpenAIRemote, RemoteConfig, build_client
from cogenesis.core.egress import EgressLedger, egress_context, probe_context
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.vault import Vault
from devsupport.scripted_chat import ScriptedChat


def test_a_404_on_completions_is_an_operation_the_endpoint_lacks(vault: Vault) -> None:
    with ScriptedChat(lambda _m: "Hello there") as endpoint:
        config = RemoteConfig(endpoint.base_url, "chat-model")
        client = build_client(config, PrivacyGuard(IndexCache(vault).get), EgressLedger(vault.db))
        remote = OpenAIRemote(config, client)
        with egress_context(probe_context("private")):
            found = remote.probe()
        remote.close()
    assert found.chat_stream
    assert not found.completions and not found.token_id_prompts and not found.echo
    assert any("completions" in note for note in found.notes)
