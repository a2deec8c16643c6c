"""The shift rule's twin: a second llama.cpp context, or a second sequence of the local
model's context decoded in the same batch? Prints time per decode step for the local model
alone, two contexts (the app's way) and one context with two sequences, and what a batch of
2-16 tokens of one sequence costs (``COLLAB_LOCAL_MODEL``: a GGUF file; the starter model
otherwise)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import llama_cpp as raw

from cogenesis.adapters.models import starter_model_path

STEPS = 48
PROFILE = "You are writing for Isabel, a nurse in Miami who likes gardening and short sentences. "
INSTRUCTION = "Write a note to a neighbour about the garden party."
Entry = tuple[int, int, int]  # token, position, sequence


def main() -> None:
    path = os.environ.get("COLLAB_LOCAL_MODEL") or str(starter_model_path() or "")
    if not path:
        print("twin: the starter model is missing; skipped")
        return
    raw.llama_backend_init()
    model = raw.llama_model_load_from_file(path.encode(), raw.llama_model_default_params())
    try:
        for threads in (1, 2):
            _measure(model, Path(path).name, threads)
    finally:
        raw.llama_model_free(model)


def _measure(model: Any, name: str, threads: int) -> None:
    vocab = raw.llama_model_get_vocab(model)
    private, public = _tokens(vocab, PROFILE * 6 + INSTRUCTION), _tokens(vocab, INSTRUCTION)
    token = _tokens(vocab, " the")[-1]
    both = _context(model, 2, threads)
    _decode(both, [(t, i, 0) for i, t in enumerate(private)])
    _decode(both, [(t, i, 1) for i, t in enumerate(public)])
    one = _timed(both, lambda k: [(token, len(private) + k, 0), (token, len(public) + k, 1)])
    raw.llama_free(both)
    first, second = _context(model, 1, threads), _context(model, 1, threads)
    _decode(first, [(t, i, 0) for i, t in enumerate(private)])
    _decode(second, [(t, i, 0) for i, t in enumerate(public)])
    start = time.perf_counter()
    for k in range(STEPS):
        _decode(first, [(token, len(private) + k, 0)])
        _decode(second, [(token, len(public) + k, 0)])
    two = (time.perf_counter() - start) / STEPS
    alone = _timed(first, lambda k: [(token, len(private) + STEPS + k, 0)])
    print(
        f"{name}, {threads} thread(s): alone {alone * 1000:.1f} ms/step, two contexts "
        f"{two * 1000:.1f} ms/step ({two / alone:.2f}x), one context with two sequences "
        f"{one * 1000:.1f} ms/step ({one / alone:.2f}x)"
    )
    position = len(private) + 2 * STEPS
    costs = []
    for size in (2, 4, 8, 16):
        begin = position
        each = _timed(
            first, lambda k, b=begin, n=size: [(token, b + n * k + i, 0) for i in range(n)], 8
        )
        position += 8 * size
        costs.append(f"{size} -> {each / alone:.1f}x")
    print(f"  one sequence, tokens per batch: {', '.join(costs)} one token's time")
    raw.llama_free(first)
    raw.llama_free(second)


def _context(model: Any, sequences: int, threads: int) -> Any:
    params = raw.llama_context_default_params()
    params.n_ctx, params.n_batch, params.n_seq_max = 4096, 512, sequences
    params.n_threads = params.n_threads_batch = threads
    return raw.llama_init_from_model(model, params)


def _tokens(vocab: Any, text: str) -> list[int]:
    data = text.encode()
    buffer = (raw.llama_token * 2048)()
    count = raw.llama_tokenize(vocab, data, len(data), buffer, 2048, True, True)
    return list(buffer[:count])


def _decode(ctx: Any, entries: Sequence[Entry]) -> None:
    batch = raw.llama_batch_init(len(entries), 0, 2)
    try:
        for i, (token, position, sequence) in enumerate(entries):
            batch.token[i], batch.pos[i], batch.n_seq_id[i] = token, position, 1
            batch.seq_id[i][0] = sequence
            batch.logits[i] = True
        batch.n_tokens = len(entries)
        if raw.llama_decode(ctx, batch) != 0:
            raise RuntimeError("llama_decode failed")
    finally:
        raw.llama_batch_free(batch)


def _timed(ctx: Any, entries: Any, steps: int = STEPS) -> float:
    start = time.perf_counter()
    for k in range(steps):
        _decode(ctx, entries(k))
    return (time.perf_counter() - start) / steps
