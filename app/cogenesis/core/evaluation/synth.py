"""The paper's four-step construction of a context-aware evaluation set, through any chat
model: group portraits → user profiles → writing tasks → personalized texts. The prompts are
this project's own wording; the model is called through ``Ask`` (the caller's client)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from cogenesis.core.errors import CogenesisError
from cogenesis.core.evaluation.dataset import PROFILE_KEYS, problems

Ask = Callable[[str, str], str]  # (system, user) -> the reply; CogenesisError when it fails
SYSTEM = (
    "You help build a synthetic evaluation set for a personal writing assistant. Everyone you "
    "describe is invented. Answer with JSON only, no commentary."
)
HISTORY_ITEMS = 3  # past writings per user
EXTRA_TASKS = 2
ATTEMPTS = 3  # per step, when a reply is not the JSON asked for
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class SynthError(CogenesisError):
    """A step whose replies never held what was asked for."""


def portraits_prompt(count: int, theme: str) -> str:
    about = f" Draw them from this setting: {theme}." if theme else ""
    return (
        f"Describe {count} clearly different groups of people who might use a writing "
        f"assistant (different ages, occupations, countries and circumstances).{about} "
        'Reply with a JSON array of objects {"group": short name, "portrait": two or three '
        "sentences on their life, worries and habits}."
    )


def profile_prompt(portrait: dict[str, Any], number: int) -> str:
    keys = ", ".join(f'"{k}"' for k in PROFILE_KEYS)
    return (
        f"Invent person number {number} from this group: {portrait['group']}: "
        f"{portrait['portrait']}\nReply with one JSON object with exactly these keys: {keys}. "
        "Age is a number; Name a full name; every other value is text, with several details "
        "separated by '; '. Privacy_info holds private facts (health, family, money, "
        "addresses) that this person would not want a cloud service to know."
    )


def tasks_prompt(profile: dict[str, Any]) -> str:
    return (
        f"This is a person:\n{profile_text(profile)}\n\nWrite {HISTORY_ITEMS + 1 + EXTRA_TASKS} "
        "writing tasks they might really have (an email, a post, a speech, a review, a "
        "letter…), each as 'Title: one-sentence description', where the title alone says "
        "nothing private. Reply with a JSON array of strings."
    )


def text_prompt(profile: dict[str, Any], task: str) -> str:
    return (
        f"This is a person:\n{profile_text(profile)}\n\nWrite, as this person and in their "
        f"own style, the text for this task: {task}\nUse details from their life where they "
        'fit. Reply with a JSON object {"text": the text}.'
    )


def profile_text(profile: dict[str, Any]) -> str:
    """The profile as the dataset's ``Key: value`` lines."""
    return "\n".join(f"{key}: {profile[key]}" for key in PROFILE_KEYS)


def read_json(reply: str) -> Any:
    """The JSON in a reply (fenced or bare); ValueError when there is none."""
    fenced = _FENCE.search(reply)
    text = fenced.group(1) if fenced else reply
    starts = [i for i in (text.find("["), text.find("{")) if i >= 0]
    if not starts:
        raise ValueError("no JSON in the reply")
    value, _ = json.JSONDecoder().raw_decode(text[min(starts) :])
    return value


def _ask_json(ask: Ask, prompt: str, check: Callable[[Any], Any], step: str) -> Any:
    reply = ""
    for _ in range(ATTEMPTS):
        reply = ask(SYSTEM, prompt)
        try:
            return check(read_json(reply))
        except (ValueError, KeyError, TypeError):
            continue
    raise SynthError(
        f"The model's replies to the {step} step never held the JSON asked for "
        f"(last reply: {reply[:200]!r}).",
        "Use a stronger model for --remote-model, or run again (--resume keeps what is done).",
    )


def _portraits(value: Any) -> list[dict[str, str]]:
    return [{"group": str(v["group"]), "portrait": str(v["portrait"])} for v in value]


def _profile(value: Any) -> dict[str, str]:
    return {key: str(value[key]).strip() for key in PROFILE_KEYS}


def _tasks(value: Any) -> list[str]:
    tasks = [str(t).strip() for t in value if ":" in str(t)]
    if len(tasks) < HISTORY_ITEMS + 1:
        raise ValueError("too few tasks")
    return tasks


def _text(value: Any) -> str:
    text = str(value["text"]).strip()
    if not text:
        raise ValueError("empty text")
    return text


def portraits(ask: Ask, count: int, theme: str = "") -> list[dict[str, str]]:
    found = _ask_json(ask, portraits_prompt(count, theme), _portraits, "group portraits")
    if not found:
        raise SynthError("The model described no groups.", "Run again or use another model.")
    return list(found)


def synthesize_user(ask: Ask, portrait: dict[str, str], number: int) -> dict[str, Any]:
    """One sample in the dataset format: profile, writing history, instruction, reference."""
    profile = _ask_json(ask, profile_prompt(portrait, number), _profile, "user profile")
    tasks = _ask_json(ask, tasks_prompt(profile), _tasks, "writing tasks")
    history_tasks, task, extra = (
        tasks[:HISTORY_ITEMS],
        tasks[HISTORY_ITEMS],
        tasks[HISTORY_ITEMS + 1 :],
    )
    history = [
        {
            "title": t.split(":", 1)[0].strip(),
            "text": _ask_json(ask, text_prompt(profile, t), _text, "personalized text"),
            "id": i,
        }
        for i, t in enumerate(history_tasks)
    ]
    reference = _ask_json(ask, text_prompt(profile, task), _text, "personalized text")
    sample = {
        "tid": f"synth-{number}",
        "group": portrait["group"],
        "conversations": [
            {"from": "human", "value": task},
            {"from": "gpt", "value": reference},
        ],
        "profile": history,
        "additional_profile": profile_text(profile),
        "additional_tasks": extra,
    }
    found = problems(sample, f"synthesized user {number}")
    if found:
        raise SynthError("; ".join(found), "Run again (--resume keeps what is done).")
    return sample
