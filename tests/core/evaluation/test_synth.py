"""The four synthesis steps with a scripted model: a sample eval can read comes out, and a
model that never answers in JSON gets a clear error."""

from __future__ import annotations

import json

import pytest

from cogenesis.core.evaluation.dataset import PROFILE_KEYS, parse_samples
from cogenesis.core.evaluation.synth import (
    SynthError,
    portraits,
    read_json,
    synthesize_user,
)


def scripted(system: str, user: str) -> str:
    """Answers each step as a model would, some replies fenced, some with chatter."""
    if user.startswith("Describe"):
        return '```json\n[{"group": "Rural teachers", "portrait": "They teach in villages."}]\n```'
    if user.startswith("Invent"):
        profile = {key: f"{key} detail; another" for key in PROFILE_KEYS} | {"Age": 52}
        return "Here you go: " + json.dumps(profile)
    if "writing tasks" in user:
        return json.dumps([f"Task {i}: write about thing {i}" for i in range(6)])
    return json.dumps({"text": "Dear all, " + user[-40:]})


def test_the_four_steps_give_a_sample_eval_can_read() -> None:
    (group,) = portraits(scripted, 1)
    sample = synthesize_user(scripted, group, 3)
    (parsed,) = parse_samples([sample])
    assert parsed.id == "synth-3" and parsed.instruction == "Task 3: write about thing 3"
    assert parsed.profile_value("Age") == "52"
    assert len(sample["profile"]) == 3 and sample["additional_tasks"]
    assert sample["group"] == "Rural teachers"


def test_json_is_found_fenced_or_after_chatter() -> None:
    assert read_json('Sure! {"a": [1, 2]} hope it helps') == {"a": [1, 2]}
    assert read_json("```\n[1]\n```") == [1]
    with pytest.raises(ValueError):
        read_json("no json at all")


def test_a_model_that_never_gives_json_is_named() -> None:
    calls = []

    def chatty(system: str, user: str) -> str:
        calls.append(user)
        return "I would love to help with that!"

    with pytest.raises(SynthError, match="group portraits step") as raised:
        portraits(chatty, 2)
    assert len(calls) == 3
    assert "stronger model" in raised.value.hint
