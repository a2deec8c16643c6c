from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cogenesis.core.llm import StopMatcher


def run(stops: list[str], pieces: list[str]) -> tuple[str, bool]:
    matcher = StopMatcher(stops)
    shown = "".join(matcher.feed(p) for p in pieces)
    return shown + matcher.flush(), matcher.stopped


def test_stop_split_across_pieces_is_never_shown() -> None:
    matcher = StopMatcher(["</answer>"])
    assert matcher.feed("The end</ans") == "The end"
    assert matcher.feed("wer> more") == ""
    assert matcher.stopped


def test_false_alarm_is_released() -> None:
    matcher = StopMatcher(["STOP"])
    assert matcher.feed("go ST") == "go "
    assert matcher.feed("ART") == "START"
    assert matcher.flush() == ""


def test_held_text_is_flushed_at_the_end() -> None:
    assert run(["STOP"], ["abc S", "T"]) == ("abc ST", False)


def test_earliest_of_several_stops_wins() -> None:
    assert run(["b", "cd"], ["a", "cdb"]) == ("a", True)


def test_no_stops_passes_everything() -> None:
    assert run([], ["a", "b"]) == ("ab", False)


@given(
    st.text(max_size=40), st.lists(st.integers(1, 8), max_size=10), st.text(min_size=1, max_size=4)
)
def test_streaming_equals_cutting_the_whole_text(text: str, sizes: list[int], stop: str) -> None:
    pieces, rest = [], text
    for size in sizes:
        pieces.append(rest[:size])
        rest = rest[size:]
    pieces.append(rest)
    shown, stopped = run([stop], pieces)
    expected = text.split(stop)[0]
    assert shown == expected
    assert stopped == (stop in text)
