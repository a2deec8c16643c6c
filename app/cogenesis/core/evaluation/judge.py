"""The LLM judge: the paper's three criteria, in this project's own wording, and how a score
is read from the reply. The calls themselves are made by the caller (any OpenAI-compatible
endpoint); prompts and raw replies are kept with the results."""

from __future__ import annotations

import re
from collections.abc import Callable

from cogenesis.core.errors import CogenesisError
from cogenesis.core.evaluation.dataset import Sample

Ask = Callable[[str, str], str]  # (system, user) -> the reply; CogenesisError when it fails

SYSTEM = (
    "You grade answers written by an assistant. Read the material, think briefly, and end "
    "your reply with a line of the form 'Score: N' where N is a whole number from 1 to 10."
)
_SCALE = (
    "1-2: unusable; 3-4: poor; 5-6: acceptable but generic or flawed; 7-8: good; "
    "9-10: excellent, nothing to improve."
)
RUBRICS = {
    "overall": (
        "Judge the answer as a whole for this particular person: does it do what was asked, "
        "is it well written, and does it suit who they are, as their profile describes them?"
    ),
    "personalization": (
        "Judge only how personal the answer is: does it draw on this person's life, "
        "circumstances and way of writing as their profile and past writing show them, "
        "rather than reading as if written for anyone? Quality otherwise does not count."
    ),
    "quality": (
        "Judge the answer as writing, knowing nothing about who asked: is it relevant to the "
        "task, coherent, fluent and complete?"
    ),
}
_SCORE = re.compile(r"score\s*[:=]?\s*\**\s*(10|[1-9])\b", re.IGNORECASE)
_HISTORY_CHARS = 1500  # of the writing history shown to the judge (the style, not all of it)


def prompt(criterion: str, sample: Sample, answer: str) -> str:
    """The judge's prompt for one criterion; the profile is shown except for 'quality'."""
    parts = [f"Task given to the assistant:\n{sample.instruction}"]
    if criterion != "quality":
        parts.append(f"The person's profile:\n{sample.profile_lines.strip()}")
        history = _history(sample)
        if history:
            parts.append(f"Some of the person's own past writing:\n{history}")
    parts.append(f"The assistant's answer:\n{answer.strip() or '(empty)'}")
    parts.append(f"{RUBRICS[criterion]}\nScale: {_SCALE}")
    return "\n\n".join(parts)


def _history(sample: Sample) -> str:
    items = sample.raw.get("profile", [])
    texts = [str(item.get("text", "")) for item in items if isinstance(item, dict)]
    return "\n---\n".join(texts)[:_HISTORY_CHARS]


def read_score(reply: str) -> int | None:
    """The last 'Score: N' in the reply (1–10), or None when there is none."""
    found = _SCORE.findall(reply)
    return int(found[-1]) if found else None


def judge_answer(ask: Ask, sample: Sample, answer: str) -> dict[str, dict[str, object]]:
    """Every criterion's score, prompt and raw reply (a reply without a score is kept, with
    score None; a failed call is kept with its error)."""
    judged: dict[str, dict[str, object]] = {}
    for criterion in RUBRICS:
        text = prompt(criterion, sample, answer)
        try:
            reply = ask(SYSTEM, text)
        except CogenesisError as exc:  # the endpoint failed: kept as this criterion's result
            judged[criterion] = {"score": None, "prompt": text, "reply": "", "error": exc.message}
            continue
        judged[criterion] = {"score": read_score(reply), "prompt": text, "reply": reply}
    return judged
