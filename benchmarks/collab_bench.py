"""Collaboration cost figures on CoGenesis dev samples: the starter model locally,
llama-cpp-python's server with the same starter model as the "cloud" (on loopback); the quality
rows are ``cogenesis eval personalization`` (``collab_quality``).

Prints, for per-token fusion, the paper's schedule (8 fused steps, then 4 local and 2 fused in
turn), run verification, and run verification with drafts (a second copy of the starter model
reading only the public prompt stands in for the remote; here it is the remote's own model,
the most favourable case for drafting): remote calls, billed tokens and remote
generated tokens per generated token, and how often the two outputs agree; wall time per
token with 0, 50 and 150 ms of delay injected at the transport; time to first token for sketch
with and without pipelining (``sketch_main``).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx2

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.adapters.models import starter_model_path
from cogenesis.adapters.remote import OpenAIRemote, RemoteConfig, build_client
from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import Done, Failed, Notice, Token
from cogenesis.core.egress import EgressLedger
from cogenesis.core.evaluation.metrics import rouge_l
from cogenesis.core.llm.gguf import read_header
from cogenesis.core.policy import Consents
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.remote import Capabilities
from cogenesis.core.vault import VaultFiles, create_vault, import_into
from cogenesis.core.vault.transfer import parse_dataset_user
from devsupport.fakes import MemoryKeyStore
from devsupport.servers import SERVER_CAPABILITIES, LlamaServer

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "cogenesis-dev.json"
# Fusion-cost rows on the first FUSION_SAMPLES dev samples (per-token fusion is slow on a
# shared CPU); it can be set in the environment.
FUSION_SAMPLES = int(os.environ.get("COLLAB_FUSION_SAMPLES", "10"))
MAX_TOKENS = 48
# The pair: the starter model on both sides unless paths to GGUF files are given, e.g. the
# Qwen2.5-Coder 0.5B (local, with context) / 1.5B (remote, without) pair the issue names.
LOCAL_MODEL = os.environ.get("COLLAB_LOCAL_MODEL", "")
REMOTE_MODEL = os.environ.get("COLLAB_REMOTE_MODEL", "")
ID_ROWS = os.environ.get("COLLAB_ID_ROWS", "1") == "1"  # the token-id server rows


class DelayTransport(httpx2.BaseTransport):
    """Adds a round-trip delay before each request, as a far-away cloud would."""

    def __init__(self, delay_s: float) -> None:
        self._inner = httpx2.HTTPTransport(trust_env=False)
        self._delay = delay_s
        self.served_s = 0.0  # time the server took to answer, delay excluded

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        time.sleep(self._delay)
        start = time.perf_counter()
        response = self._inner.handle_request(request)
        self.served_s += time.perf_counter() - start
        return response

    def close(self) -> None:
        self._inner.close()


Recorded = dict[bytes, tuple[int, list[tuple[bytes, bytes]], bytes]]


class ReplayTransport(DelayTransport):
    """A remote that answers at once: a request seen before gets the answer the real server
    gave it then, after the injected delay only; a new one goes to the server and its answer
    is kept. Replaying an answer's requests shows what the device spends per token plus the
    round trips, as with a cloud whose computing takes no time (the server shares this CPU,
    so its own time would be counted otherwise)."""

    def __init__(self, delay_s: float, recorded: Recorded) -> None:
        super().__init__(delay_s)
        self.recorded = recorded
        self.misses = 0  # requests not seen before (sent to the server)
        self.spent_s: list[float] = []  # each request's time here: the server's or the delay

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        start = time.perf_counter()
        try:
            return self._replayed(request)
        finally:
            self.spent_s.append(time.perf_counter() - start)

    def _replayed(self, request: httpx2.Request) -> httpx2.Response:
        key = request.method.encode() + b" " + bytes(request.url.raw_path) + b"\n" + request.read()
        found = self.recorded.get(key)
        if found is None:
            self.misses += 1
            response = super().handle_request(request)
            found = (response.status_code, list(response.headers.raw), response.read())
            response.close()
            self.recorded[key] = found
        else:
            time.sleep(self._delay)
        status, headers, body = found
        dropped = {b"content-encoding", b"transfer-encoding", b"content-length"}
        kept = [(k, v) for k, v in headers if k.lower() not in dropped]
        return httpx2.Response(status, headers=kept, content=body, request=request)


def answer(
    engine: Engine, strategy: str, instruction: str, max_tokens: int = MAX_TOKENS, **changes: Any
) -> tuple[str, Done]:
    changes.setdefault("temperature", 0.0)  # greedy unless asked
    ask = replace(engine.prepare(instruction, max_tokens=max_tokens), **changes)
    text, done = [], None
    for event in engine.run(strategy, ask):
        if isinstance(event, Token):
            text.append(event.text)
        elif isinstance(event, Done):
            done = event
        elif isinstance(event, Failed):
            raise RuntimeError(f"{strategy} failed: {event.error}")
        elif isinstance(event, Notice) and "failed mid-answer" in event.text:
            raise RuntimeError(f"{strategy}: {event.text}")  # a local finish is not a figure
    assert done is not None, f"{strategy} did not finish"
    return "".join(text), done


def model_pair() -> tuple[Path, Path] | None:
    """The local and the remote model files (None when the starter model is missing)."""
    starter = starter_model_path()
    local = Path(LOCAL_MODEL) if LOCAL_MODEL else starter
    remote = Path(REMOTE_MODEL) if REMOTE_MODEL else local
    return (local, remote) if local is not None and remote is not None else None


def inputs(
    name: str, count: int, skip: int = 0
) -> tuple[tuple[Path, Path], list[dict[str, Any]], str] | None:
    """The model pair, ``count`` dev samples after the first ``skip``, and the remote's chat
    template (None, said once, when the starter model or the dev data is missing)."""
    pair = model_pair()
    if pair is None or not DATA.exists():
        print(f"{name}: the starter model or ../shared/data/cogenesis-dev.json is missing; skipped")
        return None
    samples = json.loads(DATA.read_text(encoding="utf-8"))[skip : skip + count]
    return pair, samples, _chat_template(pair[1])


def main() -> None:
    found = inputs("collab", FUSION_SAMPLES)
    if found is None or not FUSION_SAMPLES:
        return
    pair, samples, template = found
    with tempfile.TemporaryDirectory() as tmp:
        server = LlamaServer(pair[1], Path(tmp) / "server.log")
        local = LlamaLocalModel(pair[0], context_size=4096)
        # Drafts: a second copy of the local model, reading only the public prompt, stands in
        # for the remote (a user has no copy of the cloud's model).
        proxy = LlamaLocalModel(pair[0], context_size=2048, batch_invariant=True)
        try:
            results = _run(samples, local, proxy, server, template, Path(tmp))
        finally:
            local.close()
            proxy.close()
            server.stop()
        by_ids = None
        if ID_ROWS:
            by_ids = _id_server_fusion(samples, pair, template, Path(tmp))
    _print(results, pair)
    if by_ids is not None:
        print(
            "# the same fusion rows over token ids (vLLM-style server, batch-invariant local model)"
        )
        _print_fusion(by_ids["fusion"], by_ids["agree"], "same ids, same numbers")


def engine_for(
    sample: dict[str, Any],
    local: LlamaLocalModel,
    proxy: LlamaLocalModel | None,
    base_url: str,
    template: str,
    root: Path,
    delay: float = 0.0,
    capabilities: Capabilities | None = SERVER_CAPABILITIES,
    transport: DelayTransport | None = None,
) -> tuple[Engine, OpenAIRemote]:
    vault = create_vault(VaultFiles(Path(tempfile.mkdtemp(dir=root)) / "v"), MemoryKeyStore())
    import_into(vault, parse_dataset_user(sample))
    # a slow loopback server on a shared CPU is not a stall: no local finish mid-figure
    config = RemoteConfig(base_url, "starter", chat_template=template, stall_timeout=300.0)
    # The benchmark user consents to full context (the "full" strategy only; the engine checks
    # every other strategy's requests as in private mode).
    client = build_client(
        config,
        PrivacyGuard(IndexCache(vault).get, consent=lambda _c: True),
        EgressLedger(vault.db),
        api_key="bench",
        inner=transport or DelayTransport(delay),
    )
    remote = OpenAIRemote(config, client, capabilities=capabilities)
    engine = Engine(
        vault,
        local,
        remote,
        privacy_mode="full-context",
        twin=proxy,
        consents=Consents(frozenset({None})),
    )
    return engine, remote


def _run(
    samples: list[dict[str, Any]],
    local: LlamaLocalModel,
    proxy: LlamaLocalModel,
    server: LlamaServer,
    template: str,
    root: Path,
) -> dict[str, Any]:
    fusion, agree = _empty_fusion_rows()
    for sample in samples:
        engine, remote = engine_for(sample, local, proxy, server.base_url, template, root)
        _compare_fusion(engine, sample["conversations"][0]["value"], fusion, agree)
        remote.close()
    timing = {}
    instruction = samples[0]["conversations"][0]["value"]
    for delay in (0.0, 0.05, 0.15):
        engine, remote = engine_for(
            samples[0], local, proxy, server.base_url, template, root, delay
        )
        for method in ("per-token", "runs", "draft"):
            _, done = answer(engine, "logit", instruction, fusion_method=method)
            timing[(delay, method)] = done.stats.total_ms / max(done.stats.local_tokens, 1)
        remote.close()
    return {"fusion": fusion, "agree": agree, "timing": timing}


def _empty_fusion_rows() -> tuple[dict[str, list[Done]], dict[str, list[bool]]]:
    """Each fusion method's results, and whether its answer equals per-token fusion's
    ("per-token again": per-token fusion run a second time, the setup's own repeatability)."""
    fusion: dict[str, list[Done]] = {"per-token": [], "schedule": [], "runs": [], "draft": []}
    return fusion, {"per-token again": [], "runs": [], "draft": []}


def _compare_fusion(
    engine: Engine, instruction: str, fusion: dict[str, list[Done]], agree: dict[str, list[bool]]
) -> None:
    """Each fusion method on one instruction, and whether its answer equals per-token
    fusion's."""
    texts = {}
    for method in fusion:
        texts[method], done = answer(engine, "logit", instruction, fusion_method=method)
        fusion[method].append(done)
    texts["per-token again"], _ = answer(engine, "logit", instruction, fusion_method="per-token")
    for method, same in agree.items():
        same.append(texts["per-token"] == texts[method])


def _id_server_fusion(
    samples: list[dict[str, Any]], pair: tuple[Path, Path], template: str, root: Path
) -> dict[str, Any]:
    """The fusion rows again over token ids: a vLLM-style server (``devsupport/id_server.py``,
    one token per decode) and a batch-invariant local model, where greedy identity holds."""
    server = LlamaServer(pair[1], root / "ids.log", token_ids=True)
    local = LlamaLocalModel(pair[0], context_size=4096, batch_invariant=True)
    proxy = LlamaLocalModel(pair[0], context_size=2048, batch_invariant=True)
    capabilities = replace(SERVER_CAPABILITIES, token_id_prompts=True)
    fusion, agree = _empty_fusion_rows()
    try:
        for sample in samples[:FUSION_SAMPLES]:
            engine, remote = engine_for(
                sample, local, proxy, server.base_url, template, root, capabilities=capabilities
            )
            _compare_fusion(engine, sample["conversations"][0]["value"], fusion, agree)
            remote.close()
    finally:
        local.close()
        proxy.close()
        server.stop()
    return {"fusion": fusion, "agree": agree}


def _print(results: dict[str, Any], pair: tuple[Path, Path]) -> None:
    agree = results["agree"]
    print(
        f"# collaboration cost: CoGenesis dev samples ({len(agree['runs'])}), up to {MAX_TOKENS} "
        f"tokens, greedy; {pair_title(pair)}; shared CPU: times are noisy"
    )
    _print_fusion(results["fusion"], agree, "the server re-tokenizes text prefixes")
    for (delay, method), ms in sorted(results["timing"].items()):
        print(
            f"wall time per token, {delay * 1000:.0f} ms injected round trip, {method}: {ms:.1f} ms"
        )


@dataclass(frozen=True)
class Totals:
    """What a method's answers add up to."""

    tokens: int  # generated
    calls: int
    billed: float  # prompt and completion tokens the remote billed
    generated: int  # tokens the remote generated
    ms: float  # wall time

    @classmethod
    def of(cls, done: Sequence[Done]) -> Totals:
        return cls(
            sum(d.stats.local_tokens for d in done),
            sum(d.stats.remote_calls for d in done),
            sum(d.stats.extra.get("billed_tokens", 0.0) for d in done),
            sum(d.stats.remote_tokens for d in done),
            sum(d.stats.total_ms for d in done),
        )


def pair_title(pair: tuple[Path, Path]) -> str:
    local, remote = (_model_name(p) for p in pair)
    return f"local = {local} with context, cloud = {remote} on loopback"


def _print_fusion(fusion: dict[str, list[Done]], agree: dict[str, list[bool]], why: str) -> None:
    for method, runs in fusion.items():
        t = Totals.of(runs)
        print(
            f"{method:9} fusion: {t.calls / t.tokens:.3f} remote calls, {t.billed / t.tokens:.1f} "
            f"billed tokens, {t.generated / t.tokens:.2f} remote generated tokens per generated "
            f"token ({t.tokens} tokens)"
        )
    per_token = Totals.of(fusion["per-token"]).billed
    same = agree["per-token again"]
    print(f"per-token fusion run twice: identical outputs in {sum(same)} of {len(same)} samples")
    for method in ("runs", "draft"):
        same = agree[method]
        billed = Totals.of(fusion[method]).billed
        print(
            f"{method:9} bills {billed / max(per_token, 1):.1%} of per-token fusion's tokens; "
            f"identical outputs in {sum(same)} of {len(same)} samples ({why})"
        )


def _chat_template(path: Path) -> str:
    """The remote model's chat template (the completions route renders prompts with it)."""
    return str(read_header(path).get("tokenizer.chat_template", ""))


def _model_name(path: Path) -> str:
    return str(read_header(path).get("general.name", path.name))


def sketch_main() -> None:
    """Time to first answer token for sketch-then-expand, with and without pipelining."""
    found = inputs("collab-sketch", FUSION_SAMPLES)
    if found is None:
        return
    pair, samples, template = found
    first: dict[bool, list[float]] = {False: [], True: []}
    rouge: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as tmp:
        server = LlamaServer(pair[1], Path(tmp) / "server.log")
        local = LlamaLocalModel(pair[0], context_size=4096)
        try:
            for sample in samples:
                engine, remote = engine_for(
                    sample, local, local, server.base_url, template, Path(tmp)
                )
                for pipeline in (False, True):
                    instruction = sample["conversations"][0]["value"]
                    text, done = answer(engine, "sketch", instruction, pipeline=pipeline)
                    first[pipeline].append(done.stats.first_token_ms or 0.0)
                    reference = sample["conversations"][1]["value"]
                    rouge[pipeline].append(rouge_l(reference, text))
                remote.close()
        finally:
            local.close()
            server.stop()
    for pipeline, times in first.items():
        print(
            f"sketch {'pipelined' if pipeline else 'sequential':10} time to first token: median "
            f"{statistics.median(times):.0f} ms over {len(times)} samples (shared CPU: noisy), "
            f"ROUGE-L {statistics.mean(rouge[pipeline]):.3f}"
        )
