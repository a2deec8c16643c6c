"""The silence allowed per call: the stall time, plus reading time for new prompt tokens."""

from __future__ import annotations

import pytest

from cogenesis.adapters.remote.prompt_reading import FREE_TOKENS, PREFILL_FLOOR, PromptReading


def test_only_the_unread_part_of_a_prompt_earns_time() -> None:
    reading = PromptReading(stall=15.0)
    first = list(range(2000))
    assert reading.allow(first) == pytest.approx(15 + (2000 - FREE_TOKENS) / PREFILL_FLOOR)
    assert reading.allow([*first, 7, 8]) == 15.0  # two new tokens: the cache has the rest
    other = [9, *first]  # differs from the first token on: all of it is read again
    assert reading.allow(other) == pytest.approx(15 + (2001 - FREE_TOKENS) / PREFILL_FLOOR)
    assert reading.last_allowed == pytest.approx(15 + (2001 - FREE_TOKENS) / PREFILL_FLOOR)


def test_text_prompts_count_three_characters_a_token() -> None:
    reading = PromptReading(stall=1.0, floor=10.0)
    assert reading.allow("x" * 3 * (FREE_TOKENS + 50)) == pytest.approx(1 + 50 / 10)
    assert reading.allow([1, 2, 3]) == 1.0  # ids after text: nothing shared, but short


def test_several_prompts_in_one_call_add_up() -> None:
    reading = PromptReading(stall=2.0, floor=100.0)
    prompts = [list(range(1000)), [5, *range(1000)]]
    expected = 2 + 2 * (1000 - FREE_TOKENS) / 100 + 1 / 100
    assert reading.allow_many(prompts) == pytest.approx(expected)
