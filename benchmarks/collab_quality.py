"""Collaboration quality on CoGenesis dev samples: a thin call of ``cogenesis eval
personalization`` (one implementation of the metrics, the comparisons and the report), with
llama.cpp's ``llama-server`` on loopback as the remote; prints the report's tables.

The pair is the starter model on both sides unless ``COLLAB_LOCAL_MODEL`` and
``COLLAB_REMOTE_MODEL`` name GGUF files. ``COLLAB_SAMPLES`` (10) and ``COLLAB_QUALITY_TOKENS``
(128) set the size; ``COLLAB_SKIP`` (50) starts into the dev set past the samples used to
choose settings; ``COLLAB_STRATEGIES`` picks rows (default: all, logit with each rule);
``COLLAB_OUT`` keeps the run's folder (results.jsonl, report.md, charts) and resumes it.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from benchmarks.collab_bench import DATA, model_pair
from cogenesis.launcher import main as cogenesis
from devsupport.servers import CppLlamaServer, llama_server_binary

SAMPLES = os.environ.get("COLLAB_SAMPLES", "10")
TOKENS = os.environ.get("COLLAB_QUALITY_TOKENS", "128")
SKIP = os.environ.get("COLLAB_SKIP", "50")
STRATEGIES = os.environ.get(
    "COLLAB_STRATEGIES", "local,cloud,full,sketch,logit:shift,logit:product,logit:adaptive"
)


def main() -> None:
    pair = model_pair()
    binary = llama_server_binary()
    if pair is None or not DATA.exists() or binary is None:
        print("collab-quality: the starter model, the dev data or llama-server is missing")
        return
    kept = os.environ.get("COLLAB_OUT")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(kept) if kept else Path(tmp) / "run"
        server = CppLlamaServer(binary, pair[1], Path(tmp) / "server.log", threads=1)
        try:
            code = cogenesis(_arguments(pair, server.base_url, out))
        finally:
            server.stop()
        if code != 0:
            print(f"collab-quality: cogenesis eval exited with {code}")
            return
        _print_tables((out / "report.md").read_text(encoding="utf-8"), pair)


def _arguments(pair: tuple[Path, Path], base_url: str, out: Path) -> list[str]:
    resume = ["--resume"] if (out / "results.jsonl").exists() else []
    return [
        "eval", "personalization", "--dataset", str(DATA), "--skip", SKIP, "--limit", SAMPLES,
        "--strategies", STRATEGIES, "--local-model", str(pair[0]), "--remote-url", base_url,
        "--remote-model", pair[1].stem, "--remote-chat-template-from-gguf", str(pair[1]),
        "--max-tokens", TOKENS, "--stall-seconds", "300", "--out", str(out), *resume,
    ]  # fmt: skip


def _print_tables(report: str, pair: tuple[Path, Path]) -> None:
    print(
        f"# collaboration quality: {SAMPLES} CoGenesis dev samples after {SKIP}, up to {TOKENS} "
        f"tokens, greedy; local {pair[0].name}, remote {pair[1].name} on llama-server"
    )
    for line in report.splitlines():
        if line.startswith(("|", "## ")) or re.match(r"- (Started|Local|Remote)", line):
            print(line)
    sys.stdout.flush()
