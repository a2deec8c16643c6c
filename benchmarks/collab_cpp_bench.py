"""Logit fusion against llama.cpp's own C++ ``llama-server`` (issue 18): remote calls, billed
tokens and remote generated tokens per generated token for per-token fusion, the paper's
schedule, run verification, the default (branch verification) and forced drafts, how often
each answer equals per-token fusion's (greedy; the default also sampled at the app's
temperature, seeded, beside per-token fusion with the same seed), and wall time per token
beside the local model alone: against the server on this CPU, then with the server's
recorded answers replayed at once after 0, 50 and 150 ms of injected round trip (a remote
whose computing takes no time: the server here shares the device's CPU).

The pair is the starter model on both sides unless ``COLLAB_LOCAL_MODEL`` and
``COLLAB_REMOTE_MODEL`` name GGUF files (the issue's pair: Qwen2.5-Coder 0.5B local, 1.5B
remote). Server and local model get their own cores (``COLLAB_SERVER_THREADS``,
``COLLAB_LOCAL_THREADS``, one each by default on this 2-core machine): llama.cpp's threads
spin-wait, and a far-away cloud does not share the user's CPU. ``COLLAB_CPP_METHODS``
(comma-separated) runs fewer methods. ``COLLAB_CPP_SKIP`` samples are skipped first (settings
were chosen on the first dev samples; the figures are read on later ones).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, fields, replace
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.collab_bench import (
    Recorded,
    ReplayTransport,
    Totals,
    answer,
    engine_for,
    inputs,
    pair_title,
)
from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.draft_odds import DraftCosts, odds_for
from cogenesis.core.collab.events import Done
from cogenesis.core.egress import egress_context, probe_context
from cogenesis.core.remote import Capabilities
from cogenesis.core.settings import Settings
from devsupport.servers import CppLlamaServer, llama_server_binary

ALL_METHODS = "per-token,schedule,runs,branches,forced"
# per-token fusion is the reference every other method is compared with: always run
METHODS = tuple(
    dict.fromkeys(["per-token", *os.environ.get("COLLAB_CPP_METHODS", ALL_METHODS).split(",")])
)
TIMED = ("local", *(m for m in METHODS if m != "schedule"))
DELAYS = (0.0, 0.05, 0.15)
SAMPLES = int(os.environ.get("COLLAB_CPP_SAMPLES", "6"))
SKIP = int(os.environ.get("COLLAB_CPP_SKIP", "50"))
TIMING_SAMPLES = int(os.environ.get("COLLAB_CPP_TIMING_SAMPLES", "2"))
MAX_TOKENS = int(os.environ.get("COLLAB_CPP_MAX_TOKENS", "48"))
SERVER_THREADS = int(os.environ.get("COLLAB_SERVER_THREADS", "1"))
LOCAL_THREADS = int(os.environ.get("COLLAB_LOCAL_THREADS", "1"))
SLOTS = int(os.environ.get("COLLAB_SERVER_SLOTS", "1"))
# Greedy identity once more with the numbers made batch-invariant on both sides (llama-server
# with one-token batches, the local model's batch_invariant): only the method can differ then.
INVARIANT = os.environ.get("COLLAB_CPP_INVARIANT", "1") == "1"
INVARIANT_METHODS = ("per-token", *(m for m in ("forced", "branches", "runs") if m in METHODS))
# The app samples (Ask's default temperature): the default method once more at that
# temperature, a fixed seed per sample, beside per-token fusion with the same seed.
SAMPLED = os.environ.get("COLLAB_CPP_SAMPLED", "1") == "1" and "branches" in METHODS
APP_TEMPERATURE = next(f.default for f in fields(Ask) if f.name == "temperature")


@dataclass
class Rows:
    """Each method's finished answers, and whether each equals per-token fusion's."""

    done: dict[str, list[Done]] = field(default_factory=lambda: {m: [] for m in METHODS})
    same: dict[str, list[bool]] = field(default_factory=dict)
    invariant: dict[str, list[bool]] = field(default_factory=dict)
    # (injected round trip, or None for the server on this CPU; method) -> answers
    timing: dict[tuple[float | None, str], list[Done]] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)  # replayed requests not seen before
    # the default method's drafting costs, and the client's own time per call
    costs: dict[float | None, list[tuple[DraftCosts, float]]] = field(default_factory=dict)
    sampled: dict[str, list[Done]] = field(default_factory=dict)  # at the app's temperature
    sampled_same: list[bool] = field(default_factory=list)


def main() -> None:
    found = inputs("collab-cpp", SAMPLES, SKIP)
    binary = llama_server_binary()
    if found is None or not SAMPLES:
        return
    if binary is None:
        print("collab-cpp: llama-server is not built (make test builds it); skipped")
        return
    pair, samples, template = found
    rows = Rows()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = CppLlamaServer(
            binary,
            pair[1],
            root / "server.log",
            threads=SERVER_THREADS,
            slots=SLOTS,
            context_size=4096,
        )
        local = LlamaLocalModel(pair[0], context_size=4096, threads=LOCAL_THREADS)
        twin = local.twin()
        try:
            capabilities = probed(samples[0], local, server.base_url, template, root)
            for sample in samples:
                _compare(rows, sample, local, twin, server.base_url, template, root, capabilities)
            for sample in samples[:TIMING_SAMPLES]:
                _time(rows, sample, local, twin, server.base_url, template, root, capabilities)
        finally:
            local.close()
            server.stop()
        if INVARIANT:
            _invariant(rows, samples, pair, binary, template, root)
    _print(rows, pair, len(samples), capabilities)


def probed(
    sample: dict[str, Any], local: LlamaLocalModel, base_url: str, template: str, root: Path
) -> Capabilities:
    """What the app's probe reads from this server (as ``remote test`` does)."""
    _, remote = engine_for(sample, local, None, base_url, template, root, capabilities=None)
    with egress_context(probe_context("private")):
        found = remote.probe()
    remote.close()
    return found


def _compare(
    rows: Rows,
    sample: dict[str, Any],
    local: LlamaLocalModel,
    twin: LlamaLocalModel,
    base_url: str,
    template: str,
    root: Path,
    capabilities: Capabilities,
) -> None:
    """Every method on one sample (greedy), and per-token fusion a second time: the server's
    own repeatability."""
    engine, remote = engine_for(
        sample, local, twin, base_url, template, root, capabilities=capabilities
    )
    instruction = sample["conversations"][0]["value"]
    texts = {}
    for method in METHODS:
        _fresh(local, twin)
        texts[method], done = answer(engine, "logit", instruction, MAX_TOKENS, fusion_method=method)
        rows.done[method].append(done)
    _fresh(local, twin)
    again, _ = answer(engine, "logit", instruction, MAX_TOKENS, fusion_method="per-token")
    if SAMPLED:
        _sampled(rows, engine, (local, twin), instruction, seed=len(rows.sampled_same))
    remote.close()
    for method, text in [*texts.items(), ("per-token again", again)]:
        if method != "per-token":
            rows.same.setdefault(method, []).append(text == texts["per-token"])


def _sampled(
    rows: Rows,
    engine: Any,
    models: tuple[LlamaLocalModel, LlamaLocalModel],
    instruction: str,
    seed: int,
) -> None:
    """Per-token fusion and the default method at the app's temperature, the same seed."""
    texts = []
    for method in ("per-token", "branches"):
        _fresh(*models)
        text, done = answer(
            engine,
            "logit",
            instruction,
            MAX_TOKENS,
            fusion_method=method,
            temperature=APP_TEMPERATURE,
            seed=seed,
        )
        rows.sampled.setdefault(method, []).append(done)
        texts.append(text)
    rows.sampled_same.append(texts[0] == texts[1])


def _invariant(
    rows: Rows,
    samples: list[dict[str, Any]],
    pair: tuple[Path, Path],
    binary: Path,
    template: str,
    root: Path,
) -> None:
    """Branch verification against per-token fusion where neither side's numbers depend on
    how the text was split into batches."""
    server = CppLlamaServer(
        binary, pair[1], root / "invariant.log", threads=SERVER_THREADS, one_token_batches=True
    )
    local = LlamaLocalModel(pair[0], context_size=4096, threads=LOCAL_THREADS, batch_invariant=True)
    twin = local.twin()
    try:
        capabilities = probed(samples[0], local, server.base_url, template, root)
        for sample in samples:
            engine, remote = engine_for(
                sample, local, twin, server.base_url, template, root, capabilities=capabilities
            )
            instruction = sample["conversations"][0]["value"]
            texts = [
                answer(engine, "logit", instruction, MAX_TOKENS, fusion_method=method)[0]
                for method in INVARIANT_METHODS
            ]
            remote.close()
            for method, text in zip(INVARIANT_METHODS[1:], texts[1:], strict=True):
                rows.invariant.setdefault(method, []).append(text == texts[0])
    finally:
        local.close()
        server.stop()


def _time(
    rows: Rows,
    sample: dict[str, Any],
    local: LlamaLocalModel,
    twin: LlamaLocalModel,
    base_url: str,
    template: str,
    root: Path,
    capabilities: Capabilities,
) -> None:
    """Wall time per token: once against the server on this CPU (its answers recorded), then
    with recorded answers replayed at once after an injected round trip (``ReplayTransport``);
    the local model alone beside each. How far the default method drafts depends on what a
    call and a decode take (``DraftCosts``; no other method reads them): for each round trip a
    first pass measures them as the app does (requests it makes that were not recorded go to
    the server, whose time is not counted in the client's own time per call), a second records
    the requests the costs pinned at those figures make, and the third, timed, replays them."""
    run = partial(_timed, sample, local, twin, base_url, template, root, capabilities)
    recorded: Recorded = {}
    for delay in (None, *DELAYS):
        for method in TIMED:
            costs = None
            if delay is not None and method == "branches":  # the only method they steer
                # the costs the app measures here (its requests recorded), then pinned
                _, _, measured, client_s = run(method, delay, recorded, None)
                costs = _pinned(measured, client_s, delay)
                run(method, delay, recorded, costs)  # the requests the pinned costs make
            done, missed, used, client_s = run(method, delay, recorded, costs)
            rows.timing.setdefault((delay, method), []).append(done)
            if delay is not None:
                rows.misses[method] = rows.misses.get(method, 0) + missed
            if method == "branches":
                rows.costs.setdefault(delay, []).append((used, client_s))


def _timed(
    sample: dict[str, Any],
    local: LlamaLocalModel,
    twin: LlamaLocalModel,
    base_url: str,
    template: str,
    root: Path,
    capabilities: Capabilities,
    method: str,
    delay: float | None,
    recorded: Recorded,
    costs: DraftCosts | None,
) -> tuple[Done, int, DraftCosts, float]:
    """One timed answer from the same cache as every other (the prompt read by a short local
    answer): the answer, its requests not recorded before, the drafting costs it used, and
    the client's own time per call (beside the transport's)."""
    transport = ReplayTransport(delay or 0.0, recorded)
    engine, remote = engine_for(
        sample, local, twin, base_url, template, root, delay or 0.0, capabilities, transport
    )
    odds = odds_for(remote, local.vocabulary_fingerprint(), Settings().fusion_rule)
    if costs is not None:
        odds.costs = replace(costs)
    instruction = sample["conversations"][0]["value"]
    _fresh(local, twin)
    answer(engine, "local", instruction, 4)  # the private prompt read, not timed
    strategy = "local" if method == "local" else "logit"
    changes = {} if method == "local" else {"fusion_method": method}
    _, done = answer(engine, strategy, instruction, MAX_TOKENS, **changes)
    remote.close()
    used = odds.costs
    calls = transport.spent_s[len(transport.spent_s) - used.calls :]  # after any other request
    client_s = max(0.0, used.call_total_s - sum(calls)) / max(1, used.calls)
    return done, transport.misses, used, client_s


def _pinned(measured: DraftCosts, client_s: float, delay: float) -> DraftCosts:
    """What the app measured with a remote ``delay`` away that computes at once: its paired
    decode, and a call as the delay plus the client's own time per call."""
    return DraftCosts(call_s=delay + client_s, decode_s=measured.decode_s, pinned=True)


def _fresh(local: LlamaLocalModel, twin: LlamaLocalModel) -> None:
    """Empty both caches: llama.cpp's numbers depend a little on how the prompt is split into
    batches, which depends on what the cache held; answers that must repeat each other start
    alike."""
    local.forget()
    twin.forget()


def _print(rows: Rows, pair: tuple[Path, Path], count: int, capabilities: Capabilities) -> None:
    print(
        f"# logit fusion against llama.cpp's llama-server: {count} CoGenesis dev samples (after "
        f"the first {SKIP}), up to {MAX_TOKENS} tokens, greedy, shift rule; {pair_title(pair)}; "
        f"server {SERVER_THREADS} thread(s), {SLOTS} slots, local {LOCAL_THREADS} thread(s); "
        f"probe: token ids {'yes' if capabilities.token_id_prompts else 'no'}, several prompts "
        f"per call {'yes' if capabilities.prompt_lists else 'no'}"
    )
    for method, done in rows.done.items():
        t = Totals.of(done)
        same = rows.same.get(method)
        agreement = f"; same as per-token in {sum(same)} of {len(same)}" if same else ""
        print(
            f"{method:9} {t.calls / t.tokens:.3f} calls, {t.billed / t.tokens:.1f} billed tokens, "
            f"{t.generated / t.tokens:.2f} remote tokens per generated token ({t.tokens} tokens)"
            f"{agreement}"
        )
    for method, done in rows.sampled.items():
        t = Totals.of(done)
        print(
            f"{method:9} sampled at the app's temperature {APP_TEMPERATURE} (a seed per "
            f"sample): {t.calls / t.tokens:.3f} calls, {t.generated / t.tokens:.2f} remote "
            f"tokens per generated token ({t.tokens} tokens)"
        )
    if rows.sampled_same:
        same = rows.sampled_same
        print(f"branches sampled: the same answer as per-token in {sum(same)} of {len(same)}")
    again = rows.same["per-token again"]
    print(f"per-token fusion run twice: the same answer in {sum(again)} of {len(again)}")
    for method, same in rows.invariant.items():
        print(
            f"{method:9} with batch-invariant numbers on both sides: the same answer as "
            f"per-token fusion in {sum(same)} of {len(same)}"
        )
    _print_timing(rows)


def _print_timing(rows: Rows) -> None:
    """Wall time per token beside the local model alone: against the server on this CPU,
    then with its answers replayed at once after each injected round trip."""
    for delay in (None, *DELAYS):
        alone = Totals.of(rows.timing[(delay, "local")])
        local_ms = alone.ms / alone.tokens
        where = (
            "server on this CPU     "
            if delay is None
            else f"replayed, {delay * 1000:3.0f} ms round trip"
        )
        for method in TIMED:
            t = Totals.of(rows.timing[(delay, method)])
            print(
                f"{where}, {method:9}: {t.ms / t.tokens:6.1f} ms per token ({t.tokens} tokens, "
                f"{t.calls} calls), {t.ms / t.tokens / local_ms:.2f}x the local model alone"
            )
    for delay, used in rows.costs.items():
        where = "against the server" if delay is None else f"pinned at {delay * 1000:3.0f} ms"
        for costs, client_s in used:
            print(
                f"branches' drafting costs, {where}: a paired decode {costs.decode_s * 1000:.0f} "
                f"ms, a call {costs.call_s * 1000:.0f} ms (the client's own part "
                f"{client_s * 1000:.0f} ms): drafts go on while {costs.survival():.2f} likely"
            )
    missed = sum(rows.misses.values())
    if missed:
        print(f"replayed requests not seen before (sent to the server): {rows.misses}")
