"""The choke point's cost: the recording, guarded client against a plain openai client
talking to llama-cpp-python's server on 127.0.0.1 (one token per request); and, through a
recording proxy, whether the ledger holds as many body bytes as the server received.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx2
import openai

from benchmarks.vault_bench import percentile
from cogenesis.adapters.models import starter_model_path
from cogenesis.adapters.remote import RemoteConfig, build_client
from cogenesis.core.egress import EgressContext, EgressLedger, egress_context, mode_guard
from cogenesis.core.vault import VaultFiles, create_vault
from devsupport.fakes import MemoryKeyStore
from devsupport.fault_proxy import FaultProxy
from devsupport.servers import LlamaServer

REQUESTS = 60


def one_token(client: openai.OpenAI) -> float:
    start = time.perf_counter()
    client.completions.create(model="starter", prompt="The capital of France is", max_tokens=1)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    model = starter_model_path()
    if model is None:
        print("egress: the starter model is not installed; skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        server = LlamaServer(model, Path(tmp) / "server.log")
        vault = create_vault(VaultFiles(Path(tmp) / "vault"), MemoryKeyStore())
        ledger = EgressLedger(vault.db)
        try:
            timings = _timings(server.base_url, ledger)
            in_ledger, arrived = _bytes(server.port, ledger)
        finally:
            server.stop()
            vault.lock()
    p50 = {k: percentile(v, 0.5) for k, v in timings.items()}
    p95 = {k: percentile(v, 0.95) for k, v in timings.items()}
    deltas = [r - p for r, p in zip(timings["recorded"], timings["plain"], strict=True)]
    print(
        f"# egress choke point: {REQUESTS} one-token completions each, interleaved, "
        "llama-cpp-python server on 127.0.0.1"
    )
    print(f"plain openai client: p50 {p50['plain']:.2f} ms, p95 {p95['plain']:.2f} ms")
    print(
        f"through the choke point (guard + ledger rows in the vault, synchronous=FULL): "
        f"p50 {p50['recorded']:.2f} ms, p95 {p95['recorded']:.2f} ms"
    )
    print(
        f"overhead per request: p50 {percentile(deltas, 0.5):.2f} ms, "
        f"p95 {percentile(deltas, 0.95):.2f} ms, mean {statistics.mean(deltas):.2f} ms"
    )
    print(
        f"request body bytes recorded {in_ledger:,} vs received by the server {arrived:,} "
        f"(through a recording proxy): {'equal' if in_ledger == arrived else 'DIFFERENT'}"
    )


def _timings(base_url: str, ledger: EgressLedger) -> dict[str, list[float]]:
    recorded = build_client(RemoteConfig(base_url, "starter"), mode_guard, ledger, api_key="b")
    plain = openai.OpenAI(
        base_url=base_url, api_key="b", max_retries=0, http_client=httpx2.Client(trust_env=False)
    )
    timings: dict[str, list[float]] = {"plain": [], "recorded": []}
    try:
        with egress_context(EgressContext("private", None, "bench")):
            for _ in range(5):  # warm both paths and the server
                one_token(recorded)
                one_token(plain)
            for _ in range(REQUESTS):
                timings["plain"].append(one_token(plain))
                timings["recorded"].append(one_token(recorded))
    finally:
        recorded.close()
        plain.close()
    return timings


def _bytes(server_port: int, ledger: EgressLedger) -> tuple[int, int]:
    proxy = FaultProxy(server_port)
    before = ledger.totals().bytes_sent
    client = build_client(RemoteConfig(proxy.base_url, "starter"), mode_guard, ledger, api_key="b")
    try:
        with egress_context(EgressContext("private", None, "bench")):
            for _ in range(10):
                one_token(client)
    finally:
        client.close()
        proxy.stop()
    return ledger.totals().bytes_sent - before, sum(len(body) for _, body, _ in proxy.received)
