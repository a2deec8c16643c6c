"""The judge's prompts and how a score is read; the endpoint is any function here."""

from __future__ import annotations

from cogenesis.core.errors import CogenesisError
from cogenesis.core.evaluation.dataset import parse_samples
from cogenesis.core.evaluation.judge import judge_answer, prompt, read_score
from tests.core.evaluation.samples import SAMPLES


def test_the_last_score_line_counts() -> None:
    assert read_score("Good points.\nScore: 7") == 7
    assert read_score("I'd say **Score: 10**.") == 10
    assert read_score("Score: 3 at first... final Score: 8") == 8
    assert read_score("no number here") is None
    assert read_score("Score: 0") is None  # outside 1-10


def test_only_quality_is_judged_without_the_profile() -> None:
    sample = parse_samples(SAMPLES)[0]
    assert "Marisol Quenby" in prompt("overall", sample, "Hi")
    assert "Marisol Quenby" in prompt("personalization", sample, "Hi")
    without = prompt("quality", sample, "Hi")
    assert "Marisol" not in without and "Tromsø" not in without
    assert sample.instruction in without


def test_each_criterion_keeps_its_prompt_reply_and_score() -> None:
    sample = parse_samples(SAMPLES)[0]
    asked: list[str] = []

    def ask(system: str, user: str) -> str:
        asked.append(user)
        if "knowing nothing about who asked" in user:
            raise CogenesisError("The endpoint failed: 503.", "")
        return "Fine.\nScore: 6" if "only how personal" in user else "Meh"

    judged = judge_answer(ask, sample, "Dear friends …")
    assert judged["personalization"]["score"] == 6
    assert judged["overall"] == {"score": None, "prompt": asked[0], "reply": "Meh"}
    assert judged["quality"]["error"] == "The endpoint failed: 503."
