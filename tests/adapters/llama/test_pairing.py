"""The twin as the second sequence of the local model's context (starter model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.adapters.llama.pairing import EXPLORE, FIRST_TRIES, PairTiming
from cogenesis.core.llm import ChatMessage, GenerationParams
from cogenesis.core.llm.pairs import next_both, runs_both

GREEDY = GenerationParams(max_tokens=12, temperature=0)


@pytest.fixture()
def pair(starter_path: Path) -> Iterator[tuple[LlamaLocalModel, LlamaLocalModel]]:
    with LlamaLocalModel(starter_path, context_size=1024) as local:
        yield local, local.twin()


def prompts(model: LlamaLocalModel) -> tuple[list[int], list[int]]:
    private = model.format_chat(
        [ChatMessage("system", "Isabel is a nurse in Miami."), ChatMessage("user", "Greet me.")]
    )
    return private, model.format_chat([ChatMessage("user", "Greet me.")])


def test_the_first_twin_shares_the_context_and_a_second_has_its_own(
    pair: tuple[LlamaLocalModel, LlamaLocalModel],
) -> None:
    local, twin = pair
    assert local.pairs_with(twin) and not twin.pairs_with(local)
    other = local.twin()
    assert not local.pairs_with(other)
    other.close()


@pytest.mark.parametrize("way", ["together", "apart"])
def test_both_ways_give_the_numbers_each_model_gives_alone(
    pair: tuple[LlamaLocalModel, LlamaLocalModel], starter_path: Path, way: str
) -> None:
    """Token by token, one batch of two sequences or two decodes give the very logits a
    model of its own gives (a prompt read in one batch or in pieces differs a little: each
    side reads its prompt alone first, as the models alone do)."""
    local, twin = pair
    local.pair_timing.choose = lambda: way  # type: ignore[method-assign]
    private, public = prompts(local)
    words = local.tokenize(" Hello there, it is a sunny day")
    with (
        LlamaLocalModel(starter_path, context_size=1024) as alone,
        LlamaLocalModel(starter_path, context_size=1024) as alone_public,
    ):
        local.next_token_distribution(private)
        twin.next_token_distribution(public)
        for i in range(len(words) + 1):
            mine, theirs = local.next_pair([*private, *words[:i]], twin, [*public, *words[:i]])
            expected = alone.next_token_distribution([*private, *words[:i]]).logprobs
            expected_public = alone_public.next_token_distribution([*public, *words[:i]])
            assert np.array_equal(mine.logprobs, expected)
            assert np.array_equal(theirs.logprobs, expected_public.logprobs)
    assert local.pair_timing.tries[way] == len(words)  # every one-token step was timed


def test_a_pair_step_decodes_one_token_each(
    pair: tuple[LlamaLocalModel, LlamaLocalModel],
) -> None:
    local, twin = pair
    private, public = prompts(local)
    next_both(local, private, twin, public)  # the prompts are read
    before = local._eval.decoded, twin._eval.decoded
    word = local.tokenize(" Hi")[0]
    next_both(local, [*private, word], twin, [*public, word])
    assert (local._eval.decoded - before[0], twin._eval.decoded - before[1]) == (1, 1)
    # the private side's logits outlive the twin's decodes: asking again decodes nothing
    local.next_token_distribution([*private, word])
    assert local._eval.decoded - before[0] == 1


def test_scored_runs_match_each_model_scoring_alone(
    pair: tuple[LlamaLocalModel, LlamaLocalModel], starter_path: Path
) -> None:
    local, twin = pair
    private, public = prompts(local)
    run = local.tokenize(" Hello Isabel, how are you")
    mine, theirs = runs_both(local, private, run, twin, public, run)
    with LlamaLocalModel(starter_path, context_size=1024) as alone:
        expected = [d.logprobs for d in alone.score_run(private, run)]
        expected_public = [d.logprobs for d in alone.score_run(public, run)]
    assert len(mine) == len(theirs) == len(run) + 1
    # a batch's split changes llama.cpp's numbers a little: the same choices, close values
    for got, want in zip([*mine, *theirs], [*expected, *expected_public], strict=True):
        assert int(np.argmax(got)) == int(np.argmax(want))
        assert np.max(np.abs(got - want)) < 1.0


def test_generation_after_the_twin_decoded(pair: tuple[LlamaLocalModel, LlamaLocalModel]) -> None:
    """The twin's decode replaces llama.cpp's logits buffer, which the sampler reads: the
    local model's next answer is still its own."""
    local, twin = pair
    private, public = prompts(local)
    first = "".join(c.text for c in local.generate(private, GREEDY))
    local.next_token_distribution(private)
    twin.next_token_distribution(public)
    again = "".join(c.text for c in local.generate(private, GREEDY))
    assert again == first and len(first) > 3


def test_forgetting_empties_one_sequence_and_the_numbers_come_back(
    pair: tuple[LlamaLocalModel, LlamaLocalModel],
) -> None:
    """``forget`` drops what one model's sequence holds (the twin keeps its own); reading the
    prompt again from the start gives what one whole read gave."""
    local, twin = pair
    private, public = prompts(local)
    before = local.next_token_distribution(private).logprobs
    twin.next_token_distribution(public)
    local.forget()
    assert local._eval.tokens == [] and twin._eval.tokens == public
    np.testing.assert_array_equal(local.next_token_distribution(private).logprobs, before)


def test_closing_the_twin_leaves_the_model_working(starter_path: Path) -> None:
    with LlamaLocalModel(starter_path, context_size=1024) as local:
        twin = local.twin()
        private, public = prompts(local)
        next_both(local, private, twin, public)
        twin.close()
        assert not local.pairs_with(twin)
        assert len("".join(c.text for c in local.generate(private, GREEDY))) > 3
        again = local.twin()  # a new twin pairs again
        assert local.pairs_with(again)
    with pytest.raises(RuntimeError, match="closed"):
        again.next_token_distribution(public)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def timed(timing: PairTiming, costs: dict[str, float], steps: int) -> list[str]:
    chosen = []
    for _ in range(steps):
        way = timing.choose()
        chosen.append(way)
        timing.record(way, costs[way])
    return chosen


def test_the_timing_tries_both_ways_then_keeps_the_cheaper_and_looks_again() -> None:
    timing = PairTiming(Clock())
    chosen = timed(timing, {"together": 0.012, "apart": 0.020}, 4 * EXPLORE)
    assert chosen[: 2 * FIRST_TRIES] == ["together"] * FIRST_TRIES + ["apart"] * FIRST_TRIES
    later = chosen[2 * FIRST_TRIES :]
    assert later.count("apart") == 4  # explored now and then: steps 16, 32, 48 and 64
    # the machine changes (memory no longer the limit): the choice follows
    chosen = timed(timing, {"together": 0.030, "apart": 0.020}, 4 * EXPLORE)
    assert chosen[-EXPLORE:].count("apart") == EXPLORE - 1
