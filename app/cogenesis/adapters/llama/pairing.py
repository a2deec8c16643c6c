"""Two sequences of one llama.cpp context decoded side by side: the local model and its twin.

Logit fusion's shift rule needs, at every position, the local model reading the private
prompt and its twin reading the public one. Where decoding is bound by memory bandwidth (most
CPUs, and GPUs) a batch holding both next tokens costs little more than one, because the
weights are read once; where it is not (a CPU with fast memory and a small model), one batch
of two can cost more than two decodes. llama.cpp gives the same logits either way (each
sequence's row is computed alone), so ``PairTiming`` simply times both ways as the answer goes
and keeps the cheaper one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Literal

from cogenesis.adapters.llama.evaluator import Evaluator

Way = Literal["together", "apart"]
EXPLORE = 16  # every so many steps the other way is timed again: the machine's load changes
SMOOTHING = 0.2  # weight of the newest time in each way's running mean
FIRST_TRIES = 2  # steps timed each way before choosing


class PairTiming:
    """Which way the two sequences' next tokens cost less here now: in one batch or apart."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.seconds: dict[Way, float | None] = {"together": None, "apart": None}
        self.tries: dict[Way, int] = {"together": 0, "apart": 0}
        self._steps = 0

    def choose(self) -> Way:
        self._steps += 1
        ways: tuple[Way, Way] = ("together", "apart")
        for way in ways:
            if self.tries[way] < FIRST_TRIES:
                return way
        best = self.best()
        if self._steps % EXPLORE == 0:
            return "apart" if best == "together" else "together"
        return best

    def best(self) -> Way:
        together, apart = self.seconds["together"], self.seconds["apart"]
        if together is None or apart is None:
            return "together"
        return "together" if together <= apart else "apart"

    def record(self, way: Way, seconds: float) -> None:
        self.tries[way] += 1
        last = self.seconds[way]
        self.seconds[way] = seconds if last is None else last + SMOOTHING * (seconds - last)


def decode_pair(
    timing: PairTiming,
    first: Evaluator,
    first_tokens: Sequence[int],
    first_want: Sequence[int],
    second: Evaluator,
    second_tokens: Sequence[int],
    second_want: Sequence[int],
) -> None:
    """``ensure`` for both sequences; a step that adds one token to each is made the way
    ``timing`` chooses and timed, anything longer goes in one batch."""
    first_start = first.start(first_tokens, first_want)
    second_start = second.start(second_tokens, second_want)
    step = first_start == len(first_tokens) - 1 and second_start == len(second_tokens) - 1
    way: Way = timing.choose() if step else "together"
    began = timing.clock()
    if way == "together":
        first.decode_with(
            first_tokens, first_start, first_want, second, second_tokens, second_start, second_want
        )
    else:
        first.decode_from(first_tokens, first_start, first_want)
        second.decode_from(second_tokens, second_start, second_want)
    if step:
        timing.record(way, timing.clock() - began)
