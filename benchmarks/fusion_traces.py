"""Per-token fusion traces for ``fusion_bound``: for each answer, the fused tokens, the remote's
greedy token and top-k at every position (what per-token fusion asked for), and the twin's
draft from every prefix of the answer, as the app drafts it (``TwinDrafter``).

A request covers a position of the answer only if it sent exactly the answer up to there, so
whatever a request scheme sends can be judged on these traces alone: where it holds the
answer's own prefix, the remote's numbers there are the trace's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

from benchmarks.collab_bench import answer, engine_for
from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.core.collab import logit
from cogenesis.core.collab.drafts import ScoredDraft, TwinDrafter
from cogenesis.core.collab.id_runs import IdRuns
from cogenesis.core.remote import Capabilities

DRAFT = 32  # tokens drafted from each prefix


@dataclass
class Draft:
    """The twin's draft from one prefix: its tokens, and at each the twin's own choice and
    the probability it gave the draft's token (what the app's branch points read)."""

    tokens: list[int]
    guesses: list[int]
    twin_probabilities: list[float]

    def guess(self, j: int) -> int:
        return self.guesses[j]

    def twin_probability(self, j: int) -> float:
        return self.twin_probabilities[j]


@dataclass
class Trace:
    sample: int
    tokens: list[int]  # the fused answer
    greedy: list[int]  # the remote's own token at each position
    top: list[list[tuple[int, float]]]  # the remote's top-k at each position
    drafts: list[Draft]  # from each prefix (drafts[i] follows tokens[:i])


def record(
    samples: Sequence[dict[str, Any]],
    first: int,
    local: LlamaLocalModel,
    twin: LlamaLocalModel,
    base_url: str,
    template: str,
    root: Path,
    capabilities: Capabilities,
    max_tokens: int,
) -> list[Trace]:
    """One greedy per-token fusion answer per sample, with the remote's positions and the
    twin's drafts."""
    traces = []
    for number, sample in enumerate(samples, start=first):
        engine, remote = engine_for(
            sample, local, twin, base_url, template, root, capabilities=capabilities
        )
        seen: dict[str, Any] = {}
        with mock.patch.object(logit, "fused_tokens", _watching(seen)):
            instruction = sample["conversations"][0]["value"]
            answer(engine, "logit", instruction, max_tokens, fusion_method="per-token")
        remote.close()
        traces.append(_trace(number, seen, local, twin))
    return traces


def save(traces: list[Trace], path: Path) -> None:
    path.write_text(json.dumps([asdict(t) for t in traces]), encoding="utf-8")


def load(path: Path) -> list[Trace]:
    found = json.loads(path.read_text(encoding="utf-8"))
    return [
        Trace(
            t["sample"],
            t["tokens"],
            t["greedy"],
            [[(int(i), float(lp)) for i, lp in top] for top in t["top"]],
            [Draft(**d) for d in t["drafts"]],
        )
        for t in found
    ]


def _watching(seen: dict[str, Any]) -> Any:
    """``fused_tokens`` that keeps its inputs, the remote's runs and the tokens it gives."""
    real = logit.fused_tokens

    def fused_tokens(local: Any, prompt: Any, runs: Any, inputs: Any) -> Iterator[int]:
        asked: dict[int, Any] = {}
        run = runs.run

        def watched(answer: Sequence[int], length: int, draft: Sequence[int] = ()) -> Any:
            positions = run(answer, length, draft)
            if positions:
                asked[len(answer)] = positions[0]
            return positions

        runs.run = watched
        tokens: list[int] = []
        seen.update(prompt=prompt, runs=runs, config=inputs.config, asked=asked, tokens=tokens)
        for token in real(local, prompt, runs, inputs):
            tokens.append(token)
            yield token

    return fused_tokens


def _trace(
    number: int, seen: dict[str, Any], local: LlamaLocalModel, twin: LlamaLocalModel
) -> Trace:
    runs: IdRuns = seen["runs"]
    tokens = [t for t in seen["tokens"] if t not in local.end_ids()]
    asked = seen["asked"]
    drafter = TwinDrafter(
        local,
        seen["prompt"],
        twin,
        runs.prompt_ids,
        local.end_ids(),
        seen["config"],
        public=runs.public,
    )
    drafts, last = [], ScoredDraft()
    for i in range(len(tokens)):
        # the draft from the prefix before, where the answer took its first token, goes on
        follows = i > 0 and last.tokens[:1] == [tokens[i - 1]]
        start = None
        if follows and len(last.private) == len(last.tokens):
            start = ScoredDraft(last.tokens[1:], last.private[1:], last.public[1:])
        last = drafter.scored_draft(tokens[:i], DRAFT, start=start)
        drafts.append(_draft(last))
    return Trace(
        number,
        tokens,
        [asked[i].token for i in range(len(tokens))],
        [[(int(t), float(lp)) for t, lp in asked[i].top] for i in range(len(tokens))],
        drafts,
    )


def _draft(scored: ScoredDraft) -> Draft:
    return Draft(
        list(scored.tokens),
        [scored.guess(j) for j in range(len(scored.tokens))],
        [float(np.exp(scored.public[j][t])) for j, t in enumerate(scored.tokens)],
    )
