"""Token-level fusion of the local distribution with the remote's top-k log-probabilities.

Both are log-probabilities over the same vocabulary (token ids). The remote gives only its
top k; every other token gets a floor: the probability mass the top k leave, spread evenly
over the rest of the vocabulary (never above the smallest top-k value). Two rules:

- "product" (log-linear): ``(1 - w) * local + w * remote``, renormalised; ``w`` is fixed or
  set per step from the two entropies (the more certain model weighs more).
- "shift": ``baseline + s * (local - baseline) + c * (remote - baseline)``, where the baseline
  is the local model reading only what the remote reads (``baseline.PublicBaseline``).
  ``local - baseline`` is what the private context changes; ``remote - baseline`` is what the
  remote knows beyond the small model. With ``s = c = 1`` (the default) it is
  ``remote + (local - baseline)``: the remote's distribution moved by the context. With ``c < 1``
  the remote only corrects the local model; when both sides are the same model the remote and
  the baseline cancel for any ``c``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cogenesis.core.collab.noise import SampleNoise
from cogenesis.core.llm.distribution import FloatArray, log_softmax

TopK = Sequence[tuple[int, float]]  # (token id, log-probability), any order


RULES = ("product", "shift")


@dataclass(frozen=True)
class FusionConfig:
    rule: str = "product"  # or "shift" (needs a baseline; see the module docstring)
    remote_weight: float = 0.5  # "product": w
    adaptive: bool = False  # "product": w from the two entropies
    shift: float = 1.0  # "shift": s, how far the private context moves the distribution
    correction: float = 1.0  # "shift": c, how far the remote's own knowledge moves it
    # Degenerate-output guards: a token both models rate below this probability is never
    # chosen, and an end token needs at least this much probability from each model.
    min_probability: float = 0.01
    end_agreement: float = 0.05
    # A token that would repeat an n-gram already seen ``loop_repeats`` times is a loop; so is
    # one that would end a stretch of at least ``cycle_span`` tokens going round the same unit
    # of up to ``cycle_unit`` tokens at least three times ("[Your [Your [Your [Your").
    loop_ngram: int = 6
    loop_repeats: int = 2
    cycle_unit: int = 4
    cycle_span: int = 8
    temperature: float = 1.0  # when sampling from the fused distribution


# The choices a user has (settings "fusion_rule"), each a configuration.
FUSION_PRESETS = {
    "shift": FusionConfig(rule="shift"),
    "product": FusionConfig(),
    "adaptive": FusionConfig(adaptive=True),
}


def remote_logprobs(top: TopK, vocab_size: int) -> FloatArray:
    """The remote's distribution over the whole vocabulary, with a floor outside the top k."""
    ids = np.fromiter((t for t, _ in top), dtype=np.int64, count=len(top))
    lps = np.fromiter((lp for _, lp in top), dtype=np.float64, count=len(top))
    left = max(1.0 - float(np.exp(lps).sum()), 1e-9)
    floor = min(math.log(left / max(vocab_size - len(top), 1)), float(lps.min()) - 1e-3)
    full = np.full(vocab_size, floor, dtype=np.float64)
    full[ids] = lps
    return log_softmax(full)


def entropy(logprobs: npt.NDArray[np.floating]) -> float:
    p = np.exp(logprobs.astype(np.float64))
    return float(-(p * logprobs).sum())


def fuse(
    local: FloatArray, top: TopK, config: FusionConfig, baseline: FloatArray | None = None
) -> FloatArray:
    """Fused log-probabilities over the local vocabulary (``baseline``: the "shift" rule's)."""
    remote = remote_logprobs(top, local.shape[0])
    if config.rule == "shift":
        if baseline is None:
            raise ValueError("the shift rule needs the baseline distribution (PublicBaseline)")
        public = baseline.astype(np.float64)
        context = local.astype(np.float64) - public
        return log_softmax(public + config.shift * context + config.correction * (remote - public))
    weight = config.remote_weight
    if config.adaptive:
        h_local, h_remote = entropy(local), entropy(remote)
        weight = h_local / (h_local + h_remote) if h_local + h_remote > 0 else 0.5
    return log_softmax((1.0 - weight) * local.astype(np.float64) + weight * remote)


def choose(
    fused: FloatArray,
    local: FloatArray,
    top: TopK,
    end_ids: frozenset[int],
    config: FusionConfig,
    rng: SampleNoise | None = None,
    history: Sequence[int] = (),
) -> int:
    """The next token after ``history``: greedy (``rng`` None) or sampled from the fused
    distribution with the noise of this position (``len(history)``), minus the degenerate
    choices: an end token only one model wants, a token no model rates, a token that goes round
    a loop again (each refused one out, the next largest of the same noisy scores: a draw from
    what is left)."""
    remote = dict(top)
    scores = fused.astype(np.float64)
    if rng is not None:
        scores = scores / config.temperature + rng.gumbel(len(history), len(scores))
    for _ in range(8):
        token = int(np.argmax(scores))
        if _acceptable(token, local, remote, end_ids, config) and not _loops(
            history, token, config
        ):
            return token
        scores[token] = -np.inf
    return int(np.argmax(local))


def _loops(history: Sequence[int], token: int, config: FusionConfig) -> bool:
    return _repeats_ngram(history, token, config) or _cycles(history, token, config)


def _cycles(history: Sequence[int], token: int, config: FusionConfig) -> bool:
    """Whether ``token`` ends a short cycle: the same unit (1 to ``cycle_unit`` tokens) over
    the last ``cycle_span`` tokens or more, at least three times round."""
    longest = max(config.cycle_span, 3 * config.cycle_unit)
    tail = [*history[-longest:], token]
    for unit in range(1, config.cycle_unit + 1):
        span = max(config.cycle_span, 3 * unit)
        if len(tail) >= span and all(
            tail[-i] == tail[-i - unit] for i in range(1, span - unit + 1)
        ):
            return True
    return False


def _repeats_ngram(history: Sequence[int], token: int, config: FusionConfig) -> bool:
    n = config.loop_ngram
    if len(history) < n or config.loop_repeats <= 0:
        return False
    gram = (*history[len(history) - n + 1 :], token)
    seen = sum(tuple(history[i : i + n]) == gram for i in range(len(history) - n + 1))
    return seen >= config.loop_repeats


def _acceptable(
    token: int,
    local: FloatArray,
    remote: dict[int, float],
    end_ids: frozenset[int],
    config: FusionConfig,
) -> bool:
    p_local = math.exp(float(local[token]))
    p_remote = math.exp(remote[token]) if token in remote else 0.0
    if token in end_ids:
        return min(p_local, p_remote) >= config.end_agreement
    return max(p_local, p_remote) >= config.min_probability
