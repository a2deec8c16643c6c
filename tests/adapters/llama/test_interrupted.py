"""An exception in the middle of a decode (a timeout, an interrupt) must not poison the model:
the next request answers exactly as a fresh model would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import llama_cpp
import pytest

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.adapters.llama import evaluator as evaluator_module
from cogenesis.core.llm import ChatMessage, GenerationParams

GREEDY = GenerationParams(max_tokens=12, temperature=0)


class Interrupted(Exception):
    """Stands for a timeout signal or KeyboardInterrupt arriving mid-decode."""


def prompt(model: LlamaLocalModel, text: str) -> list[int]:
    return model.format_chat([ChatMessage("user", text)])


def answer(model: LlamaLocalModel, text: str) -> str:
    return "".join(c.text for c in model.generate(prompt(model, text), GREEDY))


@pytest.fixture
def fresh(starter_path: Path) -> Iterator[LlamaLocalModel]:
    model = LlamaLocalModel(starter_path, context_size=1024)
    yield model
    model.close()


def interrupt_after(calls: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``calls``-th llama_decode succeeds in llama.cpp, then the exception arrives before
    the Python side records it (where a signal can land)."""
    real: Callable[..., Any] = llama_cpp.llama_decode
    seen = [0]

    def decode(*args: Any) -> Any:
        code = real(*args)
        seen[0] += 1
        if seen[0] == calls:
            raise Interrupted
        return code

    monkeypatch.setattr(evaluator_module.llama_cpp, "llama_decode", decode)


@pytest.mark.parametrize("calls", [1, 3])
def test_an_interrupted_decode_leaves_a_model_that_answers_as_a_fresh_one(
    fresh: LlamaLocalModel, starter_path: Path, monkeypatch: pytest.MonkeyPatch, calls: int
) -> None:
    expected_long = answer(fresh, "Write a haiku about rain.")
    expected_short = answer(fresh, "Name a color.")
    fresh.close()
    model = LlamaLocalModel(starter_path, context_size=1024)
    try:
        with monkeypatch.context() as patch:
            interrupt_after(calls, patch)
            with pytest.raises(Interrupted):
                answer(model, "Write a haiku about rain.")
        assert answer(model, "Name a color.") == expected_short
        assert answer(model, "Write a haiku about rain.") == expected_long
    finally:
        model.close()
