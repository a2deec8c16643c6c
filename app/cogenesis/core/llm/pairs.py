"""A local model and its twin read side by side (logit fusion's private and public sides):
in one batch where the model offers it (``PairedScorer``), one after the other otherwise."""

from __future__ import annotations

from collections.abc import Sequence

from cogenesis.core.llm.distribution import FloatArray
from cogenesis.core.llm.protocol import LocalScorer, PairedScorer


def next_both(
    local: LocalScorer, prefix: Sequence[int], twin: LocalScorer, twin_prefix: Sequence[int]
) -> tuple[FloatArray, FloatArray]:
    """The log-probabilities of the next token: ``local`` after ``prefix``, ``twin`` after
    ``twin_prefix``."""
    if isinstance(local, PairedScorer) and local.pairs_with(twin):
        mine, theirs = local.next_pair(prefix, twin, twin_prefix)
        return mine.logprobs, theirs.logprobs
    return (
        local.next_token_distribution(prefix).logprobs,
        twin.next_token_distribution(twin_prefix).logprobs,
    )


def runs_both(
    local: LocalScorer,
    prefix: Sequence[int],
    run: Sequence[int],
    twin: LocalScorer,
    twin_prefix: Sequence[int],
    twin_run: Sequence[int],
) -> tuple[list[FloatArray], list[FloatArray]]:
    """``score_run`` of both: ``len(run) + 1`` and ``len(twin_run) + 1`` distributions."""
    if isinstance(local, PairedScorer) and local.pairs_with(twin):
        mine, theirs = local.score_pair(prefix, run, twin, twin_prefix, twin_run)
    else:
        mine, theirs = local.score_run(prefix, run), twin.score_run(twin_prefix, twin_run)
    return [d.logprobs for d in mine], [d.logprobs for d in theirs]
