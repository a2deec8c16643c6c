"""Collaboration quality on CoGenesis dev samples: per strategy, ROUGE-L against the reference
answer and profile coverage (share of the user's profile details whose content words mostly
appear in the answer), and for each collaboration strategy its paired difference from the
better of its two parts (local alone, cloud without context), with a bootstrap 95% interval.

The pair is the starter model on both sides unless ``COLLAB_LOCAL_MODEL`` and
``COLLAB_REMOTE_MODEL`` name GGUF files. ``COLLAB_SAMPLES`` (10) and ``COLLAB_QUALITY_TOKENS``
(128) set the size; ``COLLAB_SKIP`` (0) starts further into the dev set (samples not used to
choose a setting), and ``COLLAB_ROWS`` ("local,cloud,sketch", say) picks rows.
Logit fusion uses run verification over token ids (a vLLM-style server; the other rows use
llama-cpp-python's server);
"logit" is the product rule with equal weights, "logit adaptive" weighs by the two entropies,
"logit shift" moves the remote's distribution by what the private context changes in the
local model's (a second copy of the local model reads the public side).
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import rouge_scorer

from benchmarks.collab_bench import answer, engine_for, inputs, pair_title
from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.core.collab.fusion import FUSION_PRESETS
from devsupport.servers import SERVER_CAPABILITIES, LlamaServer

SAMPLES = int(os.environ.get("COLLAB_SAMPLES", "10"))
TOKENS = int(os.environ.get("COLLAB_QUALITY_TOKENS", "128"))
# Row name: (strategy, changes to the request).
ROWS: dict[str, tuple[str, dict[str, Any]]] = {
    "local": ("local", {}),
    "cloud": ("cloud", {}),
    "full": ("full", {}),
    "sketch": ("sketch", {}),
    # Each rule named: without one the engine's default (shift) would stand in for "logit".
    "logit": ("logit", {"fusion_method": "runs", "fusion": FUSION_PRESETS["product"]}),
    "logit adaptive": ("logit", {"fusion_method": "runs", "fusion": FUSION_PRESETS["adaptive"]}),
    "logit shift": ("logit", {"fusion_method": "runs", "fusion": FUSION_PRESETS["shift"]}),
}
PARTS = ("local", "cloud")
SKIP = int(os.environ.get("COLLAB_SKIP", "0"))
PICKED = [row.strip() for row in os.environ.get("COLLAB_ROWS", "").split(",") if row.strip()]
ID_SERVER = replace(SERVER_CAPABILITIES, token_id_prompts=True)
_WORD = re.compile(r"[a-z]{4,}")


def profile_details(sample: dict[str, Any]) -> list[set[str]]:
    details = []
    for line in sample["additional_profile"].splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("Age", "Name"):
            continue
        for part in value.split(";"):
            words = set(_WORD.findall(part.casefold()))
            if words:
                details.append(words)
    return details


def coverage(text: str, details: list[set[str]]) -> float:
    words = set(_WORD.findall(text.casefold()))
    return sum(len(d & words) * 2 >= len(d) for d in details) / max(len(details), 1)


def main() -> None:
    rows = _rows(PICKED)
    found = inputs("collab-quality", SAMPLES, SKIP)
    if found is None:
        return
    pair, samples, template = found
    scores: dict[str, list[tuple[float, float, bool]]] = {row: [] for row in rows}
    seconds: dict[str, list[float]] = {row: [] for row in rows}
    with tempfile.TemporaryDirectory() as tmp:
        chat = LlamaServer(pair[1], Path(tmp) / "chat.log")
        ids = LlamaServer(pair[1], Path(tmp) / "ids.log", token_ids=True)
        local = LlamaLocalModel(pair[0], context_size=4096)
        try:
            urls = (chat.base_url, ids.base_url)
            for number, sample in enumerate(samples, 1):
                started = time.perf_counter()
                _score(sample, local, urls, template, Path(tmp), scores, seconds)
                took = time.perf_counter() - started
                print(f"  sample {number}/{len(samples)}: {took:.0f} s", file=sys.stderr)
        finally:
            local.close()
            chat.stop()
            ids.stop()
    _print(scores, seconds, pair, len(samples))


def _rows(picked: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The rows named in ``picked`` (all when empty); both parts are always measured."""
    unknown = [row for row in picked if row not in ROWS]
    if unknown:
        raise SystemExit(f"COLLAB_ROWS: unknown row(s) {unknown}; choose from {list(ROWS)}")
    wanted = set(picked) | set(PARTS) if picked else set(ROWS)
    return {row: ROWS[row] for row in ROWS if row in wanted}


def _score(
    sample: dict[str, Any],
    local: LlamaLocalModel,
    urls: tuple[str, str],
    template: str,
    root: Path,
    scores: dict[str, list[tuple[float, float, bool]]],
    seconds: dict[str, list[float]],
) -> None:
    """Every row on one sample: chat rows on the chat server, logit rows on the token-id
    server (llama-cpp-python's server sorts its whole vocabulary in Python for every scored
    token, which makes a 152k-token vocabulary far too slow)."""
    reader = local.twin()  # the public side, as the app reads it
    chat, chat_remote = engine_for(sample, local, reader, urls[0], template, root)
    ids, id_remote = engine_for(
        sample, local, reader, urls[1], template, root, capabilities=ID_SERVER
    )
    instruction, reference = (m["value"] for m in sample["conversations"][:2])
    details = profile_details(sample)
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    try:
        for row in scores:
            strategy, changes = ROWS[row]
            engine = ids if strategy == "logit" else chat
            text, done = answer(engine, strategy, instruction, TOKENS, **changes)
            seconds[row].append(done.stats.total_ms / 1000)
            rouge = scorer.score(reference, text)["rougeL"].fmeasure
            scores[row].append((rouge, coverage(text, details), not text.strip()))
    finally:
        chat_remote.close()
        id_remote.close()
        reader.close()


def _print(
    scores: dict[str, list[tuple[float, float, bool]]],
    seconds: dict[str, list[float]],
    pair: Any,
    count: int,
) -> None:
    print(
        f"# collaboration quality: {count} CoGenesis dev samples from number {SKIP + 1}, "
        f"up to {TOKENS} tokens, greedy; "
        f"{pair_title(pair)}"
    )
    for row, values in scores.items():
        rouge = statistics.mean(r for r, _, _ in values)
        cover = statistics.mean(c for _, c, _ in values)
        empty = sum(e for _, _, e in values)
        print(
            f"{row:14} ROUGE-L {rouge:.3f}, profile coverage {cover:.1%}, empty answers {empty}, "
            f"{statistics.mean(seconds[row]):.1f} s per answer"
        )
    better = max(PARTS, key=lambda part: statistics.mean(r for r, _, _ in scores[part]))
    for row in scores:
        if row in PARTS:
            continue
        diffs = [r - b for (r, _, _), (b, _, _) in zip(scores[row], scores[better], strict=True)]
        low, high = bootstrap_interval(diffs)
        verdict = "better" if low > 0 else "worse" if high < 0 else "no difference shown"
        print(
            f"{row:14} minus {better} (the better part): {statistics.mean(diffs):+.3f} ROUGE-L, "
            f"95% interval [{low:+.3f}, {high:+.3f}]: {verdict}"
        )


def bootstrap_interval(values: list[float], rounds: int = 5000) -> tuple[float, float]:
    """The 95% bootstrap interval of the mean of ``values`` (paired differences)."""
    rng = np.random.default_rng(0)
    data = np.asarray(values, dtype=np.float64)
    means = rng.choice(data, size=(rounds, len(data)), replace=True).mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))
