"""The text guards: a sentence written again and again ends the answer; the expansion's
hidden instruction never reaches the answer."""

from __future__ import annotations

from cogenesis.core.collab.guards import PlanEcho, SentenceLoop


def stream(guard: PlanEcho, text: str, size: int = 3) -> str:
    shown = "".join(guard.feed(text[i : i + size]) for i in range(0, len(text), size))
    return shown + guard.flush()


def test_the_third_time_round_the_same_sentence_is_a_loop() -> None:
    loop = SentenceLoop()
    answer = ""
    for i in range(3):
        answer += "I'm so proud of you! " if i != 1 else "i'm so PROUD of you. "
        assert loop.looping(answer) == (i == 2)


def test_short_sentences_may_repeat() -> None:
    loop = SentenceLoop()
    assert not loop.looping("Yes. Yes. Yes. Yes. ")


def test_an_echo_of_the_instruction_is_dropped_and_ends_the_answer() -> None:
    guard = PlanEcho()
    text = "Dear Ana, the trip was lovely. Follow your plan and write the answer, not the plan. 1."
    assert stream(guard, text) == "Dear Ana, the trip was lovely. "
    assert guard.stopped


def test_a_sentence_about_a_plan_is_kept() -> None:
    guard = PlanEcho()
    text = "Our plan is to follow the river. It was fun."
    assert stream(guard, text) == text and not guard.stopped
