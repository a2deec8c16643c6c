"""Logit fusion over a remote that reads token-id prompts (vLLM's protocol, ``id_server.py``):
the probe finds it, fusion sends ids instead of text, the guard reads the ids before they
leave, and greedy run verification gives exactly the per-token fusion answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import Done, Failed, Token
from cogenesis.core.egress import EgressLedger, egress_context, probe_context
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.vault import Profile, Vault
from devsupport.servers import LlamaServer
from tests.adapters.remote.conftest import RemoteFactory

INSTRUCTION = "Write a short note to my neighbour in Miami about the garden party on Saturday."
SECRETS = ("Isabel", "Martinez", "Miami", "Zanzibar")


@pytest.fixture(scope="module")
def id_server(
    starter_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LlamaServer]:
    server = LlamaServer(starter_path, tmp_path_factory.mktemp("ids") / "log", token_ids=True)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def local(starter_path: Path) -> Iterator[LlamaLocalModel]:
    # Batch-invariant: the same logits whether run scoring decodes positions together or
    # per-token fusion decodes them one by one (llama.cpp's batched kernels differ otherwise).
    model = LlamaLocalModel(starter_path, context_size=2048, batch_invariant=True)
    yield model
    model.close()


@pytest.fixture(scope="module")
def proxy(local: LlamaLocalModel) -> Iterator[LlamaLocalModel]:
    """The public reader (the drafts' stand-in, the shift rule's baseline) as the app opens
    it: the local model's twin, batch-invariant like it."""
    twin = local.twin()
    yield twin
    twin.close()


@pytest.fixture
def private_vault(vault: Vault) -> Vault:
    vault.profile.set(Profile(name="Isabel Martinez", location="Miami, Florida"))
    vault.notes.add("Garden party", "The garden party is for the Zanzibar book club.")
    return vault


def _engine(
    vault: Vault,
    local: LlamaLocalModel,
    proxy: LlamaLocalModel,
    server: LlamaServer,
    make: RemoteFactory,
) -> Engine:
    remote = make(server.base_url, guard=PrivacyGuard(IndexCache(vault).get), capabilities=None)
    with egress_context(probe_context("private")):
        remote.probe()
    return Engine(vault, local, remote, privacy_mode="private", twin=proxy)


def _answer(engine: Engine, instruction: str, method: str) -> tuple[str, Done]:
    ask = replace(engine.prepare(instruction, max_tokens=24), fusion_method=method, temperature=0.0)
    events = list(engine.run("logit", ask))
    assert not [e for e in events if isinstance(e, Failed)], events
    done = next(e for e in events if isinstance(e, Done))
    return "".join(e.text for e in events if isinstance(e, Token)), done


def test_the_probe_finds_token_id_prompts(
    private_vault: Vault, local: LlamaLocalModel, id_server: LlamaServer, make_remote: RemoteFactory
) -> None:
    remote = make_remote(id_server.base_url, capabilities=None)
    with egress_context(probe_context("private")):
        capabilities = remote.probe()
    assert capabilities.token_id_prompts and capabilities.echo
    assert remote.takes_token_ids()


def test_greedy_runs_over_token_ids_equal_per_token_fusion(
    private_vault: Vault,
    local: LlamaLocalModel,
    proxy: LlamaLocalModel,
    id_server: LlamaServer,
    make_remote: RemoteFactory,
    ledger: EgressLedger,
) -> None:
    engine = _engine(private_vault, local, proxy, id_server, make_remote)
    reference, per_token = _answer(engine, INSTRUCTION, "per-token")
    assert reference.strip()
    assert per_token.stats.extra["token_ids"] == 1.0  # ids were sent, not text
    for method in ("runs", "draft"):
        text, done = _answer(engine, INSTRUCTION, method)
        assert text == reference, method
        assert done.stats.remote_calls < per_token.stats.remote_calls
    bodies = [json.loads(r.request_body) for r in ledger.records()]
    prompts = [b["prompt"] for b in bodies if "prompt" in b]
    assert any(isinstance(p, list) and all(isinstance(t, int) for t in p) for p in prompts)
    for prompt in prompts:  # what the ids say, read with the local vocabulary
        lists = (
            prompt
            if isinstance(prompt, list) and prompt and isinstance(prompt[0], list)
            else [prompt]
        )
        text = "".join(local.detokenize(p) if isinstance(p, list) else p for p in lists)
        for secret in SECRETS:
            assert secret not in text, (secret, text)
    spelled = [r for r in ledger.records() if r.request_reading]  # the egress panel's text
    assert spelled and all("as the local model reads them" in r.text_sent for r in spelled)
    assert any("neighbour in [PLACE 1]" in r.text_sent for r in spelled)


def test_the_guard_reads_token_ids_and_refuses_a_private_term(
    private_vault: Vault, local: LlamaLocalModel, id_server: LlamaServer, make_remote: RemoteFactory
) -> None:
    from cogenesis.core.egress import EgressContext
    from cogenesis.core.errors import PrivacyViolation

    remote = make_remote(id_server.base_url, guard=PrivacyGuard(IndexCache(private_vault).get))
    ids = local.tokenize("Isabel Martinez lives in Miami.")
    with egress_context(EgressContext("private", None, "test", token_text=local.detokenize)):
        with pytest.raises(PrivacyViolation):
            remote.continue_ids(ids, max_tokens=1, top_k=2)
        clean = remote.continue_ids(local.tokenize("A garden party"), max_tokens=2, top_k=2)
    assert clean.tokens and clean.tokens[0].token_id is not None
    no_reader = EgressContext("private", None, "test")
    with egress_context(no_reader), pytest.raises(PrivacyViolation, match="token ids"):
        remote.continue_ids(local.tokenize("A garden party"), max_tokens=1, top_k=2)
