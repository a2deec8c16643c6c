"""Against llama.cpp's own C++ llama-server (issue 18): what the probe reads from a server the
tests did not write."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.adapters.models import starter_model_path
from cogenesis.core.collab.draft_odds import DraftCosts, odds_for
from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import Done, Failed, Notice, Token
from cogenesis.core.collab.id_runs import IdRuns, remote_runs
from cogenesis.core.egress import EgressContext, EgressLedger, egress_context, probe_context
from cogenesis.core.llm import ChatMessage
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.remote import Capabilities
from cogenesis.core.settings import FUSION_RULES
from cogenesis.core.vault import Profile, Vault
from devsupport.servers import CppLlamaServer
from tests.adapters.remote.conftest import RemoteFactory, run_cli

PASSPHRASE = "harbour lights 2024"
NOTE = "Write a short note to Isabel Martinez about the garden party in Miami."


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


@pytest.mark.timeout(300)
def test_a_stalled_llama_server_is_given_up_at_once_and_the_answer_kept(
    cpp_server: CppLlamaServer,
    make_remote: RemoteFactory,
    vault: Vault,
    ledger: EgressLedger,
    starter_path: Path,
) -> None:
    """Issue 18, faults with a deadline: the server is stopped (SIGSTOP) mid-answer; after
    the stall time, not a 60 s read timeout and two retries, the answer goes on locally with
    what was shown kept, the budget held and the calls that answered counted."""
    remote = make_remote(
        cpp_server.base_url, guard=PrivacyGuard(IndexCache(vault).get), stall=3.0, capabilities=None
    )
    with egress_context(probe_context("private")):
        remote.probe()
    before = len(ledger.records())
    local = LlamaLocalModel(starter_path, context_size=1024)
    engine = Engine(vault, local, remote, privacy_mode="private")
    story = engine.prepare("Write a long story about a lighthouse.", max_tokens=64)
    ask = replace(story, temperature=0.0, fusion_method="runs")
    shown: list[str] = []
    notices: list[str] = []
    stopped_at = noticed_at = 0.0
    done: Done | None = None
    try:
        for event in engine.run("logit", ask):
            if isinstance(event, Token):
                shown.append(event.text)
                if not stopped_at and len(shown) >= 4:
                    cpp_server.pause()
                    stopped_at = time.monotonic()
            elif isinstance(event, Notice):
                notices.append(event.text)
                noticed_at = noticed_at or time.monotonic()
            elif isinstance(event, Failed):
                pytest.fail(f"the answer failed: {event.error}")
            elif isinstance(event, Done):
                done = event
    finally:
        if stopped_at:
            cpp_server.resume()
        local.close()
    assert stopped_at and noticed_at, (shown, notices)
    print(f"stopped to notice: {noticed_at - stopped_at:.2f} s; {done and done.stats}")
    assert noticed_at - stopped_at < 8.0, noticed_at - stopped_at  # a run, then 3 s of silence
    assert "sent nothing for 3 s" in notices[0] and "local model alone" in notices[-1], notices
    assert done is not None and done.text == "".join(shown) and done.text.strip()
    assert done.stats.local_tokens <= 64
    answered = [r for r in ledger.records()[: len(ledger.records()) - before] if r.status == 200]
    assert done.stats.remote_calls == len(answered), ledger.records()


@pytest.fixture(scope="module")
def invariant_server(
    cpp_server: CppLlamaServer, starter_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CppLlamaServer]:
    """llama-server computing every position as a one-token decode (``--ubatch-size 1``): its
    numbers do not depend on how requests split the text, so only the method can differ."""
    log = tmp_path_factory.mktemp("invariant") / "server.log"
    server = CppLlamaServer(cpp_server.binary, starter_path, log, one_token_batches=True)
    yield server
    server.stop()


@pytest.mark.timeout(600)
@pytest.mark.parametrize(("method", "fewer"), [("branches", 3), ("forced", 6)])
def test_verification_against_llama_server_is_per_token_fusion_in_fewer_calls(
    invariant_server: CppLlamaServer,
    make_remote: RemoteFactory,
    vault: Vault,
    ledger: EgressLedger,
    starter_path: Path,
    method: str,
    fewer: int,
) -> None:
    """Issue 18: several token-id prompts per request ("branches"), or one held to the local
    draft by a grammar ("forced"): greedy output identical to per-token fusion
    over ids in a fraction of its calls; nothing private in any prompt or grammar."""
    vault.profile.set(Profile(name="Isabel Martinez", location="Miami, Florida"))
    remote = make_remote(
        invariant_server.base_url, guard=PrivacyGuard(IndexCache(vault).get), capabilities=None
    )
    with egress_context(probe_context("private")):
        found_capabilities = remote.probe()
    assert found_capabilities.prompt_lists and found_capabilities.forced_drafts
    local = LlamaLocalModel(starter_path, context_size=2048, batch_invariant=True)
    twin = local.twin()
    before = len(ledger.records())
    try:
        engine = Engine(vault, local, remote, privacy_mode="private", twin=twin)
        ask = replace(engine.prepare(NOTE, max_tokens=32), temperature=0.0)
        for rule in FUSION_RULES:  # drafts as long as with a remote a second away, whatever
            odds = odds_for(remote, local.vocabulary_fingerprint(), rule)  # this machine's speed
            odds.costs = DraftCosts(call_s=1.2, decode_s=0.05, pinned=True)
        found = {}
        for name in ("per-token", method):
            events = list(engine.run("logit", replace(ask, fusion_method=name)))
            assert not [e for e in events if isinstance(e, Failed | Notice)], events
            found[name] = next(e for e in events if isinstance(e, Done))
    finally:
        local.close()
    per_token, verified = found["per-token"], found[method]
    assert verified.text == per_token.text and verified.text.strip()
    assert verified.stats.remote_calls * fewer <= per_token.stats.remote_calls, found
    bodies = [json.loads(r.request_body) for r in ledger.records()[before:]]
    prompts = [b.get("prompt") for b in bodies]
    if method == "branches":
        assert any(isinstance(p, list) and p and isinstance(p[0], list) for p in prompts)
    else:
        assert any("grammar" in b for b in bodies)
    assert not any("Isabel" in r.text_sent or "Miami" in r.text_sent for r in ledger.records())
