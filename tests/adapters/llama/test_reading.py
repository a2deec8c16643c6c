"""Reading a prompt in pieces: progress, Stop between pieces, and the next turn's reuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.adapters.llama.model import READ_CHUNK
from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import Done, Reading
from cogenesis.core.llm import CancelToken, ChatMessage, GenerationParams, ReadProgress
from cogenesis.core.vault import Profile, Vault

GREEDY = GenerationParams(max_tokens=12, temperature=0)
CONTEXT = "Notes. " + "The allotment by the river has tomatoes, beans and a shed. " * 40


def turn(model: LlamaLocalModel, *messages: str) -> list[int]:
    roles = ["user", "assistant"]
    chat = [ChatMessage("system", CONTEXT)]
    chat += [ChatMessage(roles[i % 2], text) for i, text in enumerate(messages)]  # type: ignore[arg-type]
    return model.format_chat(chat)


@pytest.fixture
def model(model: LlamaLocalModel) -> LlamaLocalModel:
    """The shared model with an empty cache (other tests' prompts share its first tokens)."""
    model._eval.reset()
    return model


def answer(model: LlamaLocalModel, prompt: list[int]) -> str:
    return "".join(c.text for c in model.generate(prompt, GREEDY))


def test_a_long_prompt_is_read_in_pieces_with_its_progress(model: LlamaLocalModel) -> None:
    prompt = turn(model, "What grows on the allotment?")
    steps = list(model.read(prompt))
    assert steps[0] == ReadProgress(0, len(prompt), 0) and steps[-1].done == len(prompt)
    assert len(steps) == 1 + -(-len(prompt) // READ_CHUNK)
    decoded = model._eval.decoded
    answer(model, prompt)
    assert model._eval.decoded - decoded <= GREEDY.max_tokens  # the prompt was not read again


def test_the_next_turn_reads_only_what_is_new(model: LlamaLocalModel) -> None:
    first = turn(model, "What grows on the allotment?")
    list(model.read(first))
    reply = answer(model, first)
    follow_up = turn(model, "What grows on the allotment?", reply, "And the shed?")
    steps = list(model.read(follow_up))
    assert steps[0].reused > len(first) - 2  # the whole first prompt (and some answer) kept
    assert steps[-1].done == len(follow_up)


def test_stop_while_reading_leaves_a_cache_that_answers_as_a_fresh_one(
    model: LlamaLocalModel, starter_path: Path
) -> None:
    prompt = turn(model, "Tell me about the beans.")
    cancel = CancelToken()
    for step in model.read(prompt, cancel):
        if step.done > 0:
            cancel.cancel()
    assert 0 < len(model._eval.tokens) < len(prompt)  # stopped after the first piece
    with LlamaLocalModel(starter_path, context_size=1024) as fresh:
        assert answer(model, prompt) == answer(fresh, prompt)


def test_a_conversations_next_turn_reuses_the_cache_through_the_engine(
    model: LlamaLocalModel, vault: Vault
) -> None:
    vault.profile.set(Profile(name="Ada", writing_style="Dry wit, short sentences"))
    vault.notes.add("Garden", "The garden party is on Saturday at noon. " * 20)
    vault.notes.add("Taxes", "File the tax return before April; the papers are in the desk. " * 20)
    engine = Engine(vault, model, None, privacy_mode="offline", conversation_id=7)
    first = engine.prepare("Write an invitation to the garden party", max_tokens=12)
    events = list(engine.run("local", first))
    reply = next(e for e in events if isinstance(e, Done)).text
    history = (ChatMessage("user", first.instruction), ChatMessage("assistant", reply))
    second = engine.prepare("And remind me about the tax return", history, max_tokens=12)
    reads = [e for e in engine.run("local", second) if isinstance(e, Reading)]
    first_total = next(e for e in events if isinstance(e, Reading)).total
    # all but the first request's own turn (~15 tokens) is kept: the profile and the note
    assert first_total - 40 < reads[0].reused < reads[0].total
    assert reads[-1].done == reads[-1].total
