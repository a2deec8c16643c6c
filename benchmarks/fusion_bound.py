"""How few remote calls per generated token any request scheme could make (issue 18's target:
0.1), judged on per-token fusion traces against llama.cpp's llama-server (``fusion_traces``).

A position of the fused answer is covered by a request that sent exactly the answer up to
there (then the remote's top-k for it came back), or by a run the remote continued from such a
prompt for as long as the run's tokens were the answer's. So each scheme's calls follow from
the traces: what it would send (from the twin's drafts, which the traces hold for every
prefix), and how far the answer is covered. Schemes:

- the default (branch verification: the app's branch points and run lengths, drafts as far as
  ``DraftOdds`` says, its counts kept across the samples as in one session, its costs pinned
  at ``BOUND_COSTS``: a call worth 24 paired decodes, a remote about a second away, where drafts
  go on while 0.2 likely, the end of the rule that saves calls);
- every draft position a prompt of its own (the remote's top-k at every draft position, and a
  run from each);
- side chains as well: at the eight draft positions the twin is least sure of, its own choice
  there and a 16-token draft after it, every position a prompt;
- sampled runs: eight runs per prompt at temperature 0.5 instead of one greedy run (llama-server
  gives the raw top-k whatever the sampling; Monte Carlo over the remote's top-k);
Each row: calls, prompts per call, positions the local side drafted per generated token (each a
decode of the local model and its twin), remote tokens per generated token.

``COLLAB_LOCAL_MODEL`` / ``COLLAB_REMOTE_MODEL`` name the pair (the starter model on both sides
otherwise), ``BOUND_SAMPLES`` (5) dev samples after the first ``BOUND_SKIP`` (0: the tuning
samples), ``BOUND_TOKENS`` (120) per answer; ``BOUND_TRACES`` keeps the traces in a file and
reads them from there next time.
"""

from __future__ import annotations

import math
import os
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks.collab_bench import inputs, pair_title
from benchmarks.collab_cpp_bench import probed
from benchmarks.fusion_traces import Draft, Trace, load, record, save
from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.core.collab.branches import MAX_DRAFT, branch_points, run_length
from cogenesis.core.collab.draft_odds import DraftCosts, DraftOdds
from devsupport.servers import CppLlamaServer, llama_server_binary

SAMPLES = int(os.environ.get("BOUND_SAMPLES", "5"))
SKIP = int(os.environ.get("BOUND_SKIP", "0"))
TOKENS = int(os.environ.get("BOUND_TOKENS", "120"))
TRACES = os.environ.get("BOUND_TRACES", "")
BOUND_COSTS = DraftCosts(call_s=1.2, decode_s=0.05, pinned=True)  # drafts on while 0.2 likely
SIDE_CHAINS, SIDE_LENGTH = 8, 16
SAMPLED_RUNS, TEMPERATURE = 8, 0.5


@dataclass(frozen=True)
class Request:
    """What one call sends after the accepted answer: prompts (each the answer plus these
    tokens), each continued by ``runs`` runs of ``length`` tokens; ``drafted``: positions the
    local side drafted for it."""

    prompts: list[list[int]]
    length: int
    drafted: int
    runs: int = 1


Scheme = Callable[[Trace, int, DraftOdds], Request]


def main() -> None:
    found = inputs("fusion-bound", SAMPLES, SKIP)
    if found is None or not SAMPLES:
        return
    pair, samples, template = found
    traces = _traces(pair, samples, template)
    print(
        f"# what any request scheme could cover, on per-token fusion traces: {len(traces)} dev "
        f"samples from {SKIP}, {TOKENS} tokens, greedy, shift rule; {pair_title(pair)}"
    )
    _print_agreement(traces)
    for name, scheme, sampled in SCHEMES:
        _print_row(name, traces, scheme, sampled)


def _traces(pair: tuple[Path, Path], samples: list[dict[str, Any]], template: str) -> list[Trace]:
    if TRACES and Path(TRACES).exists():
        return load(Path(TRACES))
    binary = llama_server_binary()
    if binary is None:
        raise SystemExit("fusion-bound: llama-server is not built (make test builds it)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = CppLlamaServer(binary, pair[1], root / "server.log", threads=1, slots=1)
        local = LlamaLocalModel(pair[0], context_size=4096, threads=1)
        try:
            twin = local.twin()
            capabilities = probed(samples[0], local, server.base_url, template, root)
            traces = record(
                samples, SKIP, local, twin, server.base_url, template, root, capabilities, TOKENS
            )
        finally:
            local.close()
            server.stop()
    if TRACES:
        save(traces, Path(TRACES))
    return traces


# -- schemes --------------------------------------------------------------------------------


def branches(trace: Trace, start: int, odds: DraftOdds) -> Request:
    """The default: the draft as far as ``odds`` says, the app's branch points and runs."""
    full = trace.drafts[start]
    draft = _cut(full, 1)
    while len(draft.tokens) < min(len(full.tokens), MAX_DRAFT) and odds.keep_going(draft):
        draft = _cut(full, len(draft.tokens) + 1)
    points = branch_points(draft)
    length = run_length(points, len(draft.tokens))
    return Request([draft.tokens[:p] for p in points], length, len(draft.tokens))


def every_position(trace: Trace, start: int, odds: DraftOdds) -> Request:
    chosen = branches(trace, start, odds)
    spine = trace.drafts[start].tokens[: chosen.drafted]
    return Request([spine[:p] for p in range(len(spine) + 1)], 8, len(spine))


def side_chains(trace: Trace, start: int, odds: DraftOdds) -> Request:
    """Every spine position, and after each of the least sure ones the twin's own choice and a
    draft after it. Only a side chain the answer took matters, and the traces hold the draft
    after every prefix of the answer: that one is the draft the local side would make."""
    request = every_position(trace, start, odds)
    full = trace.drafts[start]
    spine = full.tokens[: request.drafted]
    unsure = sorted(range(len(spine)), key=full.twin_probability)[:SIDE_CHAINS]
    prompts = list(request.prompts)
    for j in unsure:
        side = [*spine[:j], full.guess(j)]
        taken = trace.tokens[start : start + len(side)] == side
        there = start + len(side)
        after = trace.drafts[there].tokens if taken and there < len(trace.drafts) else []
        # a side chain the answer did not take covers nothing (-1 is no token)
        chain = after[:SIDE_LENGTH] if taken else [-1] * SIDE_LENGTH
        prompts += [[*side, *chain[:m]] for m in range(len(chain) + 1)]
    return Request(prompts, 8, request.drafted + SIDE_CHAINS * SIDE_LENGTH)


def sampled(trace: Trace, start: int, odds: DraftOdds) -> Request:
    chosen = branches(trace, start, odds)
    return Request(chosen.prompts, 16, chosen.drafted, runs=SAMPLED_RUNS)


SCHEMES: list[tuple[str, Scheme, bool]] = [
    ("the default (branches)", branches, False),
    ("every draft position a prompt", every_position, False),
    (f"and {SIDE_CHAINS} side chains of {SIDE_LENGTH}", side_chains, False),
    (f"{SAMPLED_RUNS} runs per prompt at T {TEMPERATURE}", sampled, True),
]


# -- the walk ---------------------------------------------------------------------------------


def covered(trace: Trace, start: int, request: Request, rng: random.Random | None) -> int:
    """How many answer tokens from ``start`` the request covers (at least one: a call with
    nothing usable still gives its first position)."""
    tokens, end = trace.tokens, len(trace.tokens)
    reach: set[int] = set()
    for prompt in request.prompts:
        if tokens[start : start + len(prompt)] != prompt:
            continue  # the answer did not go this way
        for _ in range(request.runs):
            offset = len(prompt)
            for _step in range(request.length):
                if start + offset >= end:
                    break
                reach.add(offset)
                if not _follows(trace, start + offset, rng):
                    break
                offset += 1
    count = 0
    while count in reach:
        count += 1
    return max(count, 1)


def _follows(trace: Trace, position: int, rng: random.Random | None) -> bool:
    """Whether a remote run takes the answer's token at ``position`` (greedy, or sampled)."""
    token = trace.tokens[position]
    if rng is None:
        return trace.greedy[position] == token
    weights = {t: math.exp(lp / TEMPERATURE) for t, lp in trace.top[position]}
    return rng.random() < weights.get(token, 0.0) / sum(weights.values())


def simulate(traces: Sequence[Trace], scheme: Scheme, sampled_runs: bool) -> tuple[float, ...]:
    """Calls, prompts per call, drafted positions and remote tokens per token, the odds kept
    across the samples (one session)."""
    rng = random.Random(0) if sampled_runs else None
    odds = DraftOdds(costs=replace(BOUND_COSTS))
    calls = prompts = drafted = remote = generated = 0
    for trace in traces:
        start = 0
        while start < len(trace.tokens):
            request = scheme(trace, start, odds)
            taken = covered(trace, start, request, rng)
            answer = trace.tokens[start : start + taken]
            odds.observe(_cut(trace.drafts[start], request.drafted), answer)
            calls, prompts = calls + 1, prompts + len(request.prompts) * request.runs
            drafted += request.drafted
            remote += len(request.prompts) * request.runs * request.length
            start += taken
        generated += len(trace.tokens)
    return calls / generated, prompts / calls, drafted / generated, remote / generated


def _cut(draft: Draft, length: int) -> Draft:
    return Draft(draft.tokens[:length], draft.guesses[:length], draft.twin_probabilities[:length])


def _print_agreement(traces: Sequence[Trace]) -> None:
    pairs = [
        (trace.tokens[i], trace.drafts[i].tokens[:1], trace.greedy[i])
        for trace in traces
        for i in range(len(trace.tokens))
        if trace.drafts[i].tokens
    ]
    draft = sum([fused] == first for fused, first, _ in pairs) / len(pairs)
    greedy = sum(fused == remote for fused, _, remote in pairs) / len(pairs)
    either = sum([fused] == first or fused == remote for fused, first, remote in pairs)
    print(
        f"the fused token is the twin's draft at {draft:.0%} of positions, the remote's own "
        f"choice at {greedy:.0%}, one of the two at {either / len(pairs):.0%}"
    )


def _print_row(name: str, traces: Sequence[Trace], scheme: Scheme, sampled_runs: bool) -> None:
    calls, prompts, drafted, remote = simulate(traces, scheme, sampled_runs)
    print(
        f"{name:34} {calls:.3f} calls per token, {prompts:5.1f} prompts per call, "
        f"{drafted:5.2f} drafted and {remote:5.1f} remote tokens per token"
    )
