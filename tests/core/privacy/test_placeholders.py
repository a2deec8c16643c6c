"""Numbered labels for one request, restored in whatever comes back, whole or in pieces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cogenesis.core.privacy.placeholders import Placeholders


def labelled() -> Placeholders:
    labels = Placeholders()
    assert labels.label("PERSON", "Ada Brook") == "[PERSON 1]"
    assert labels.label("PERSON", "Lena") == "[PERSON 2]"
    assert labels.label("PLACE", "Leeds") == "[PLACE 1]"
    return labels


def test_the_same_text_keeps_its_label_whatever_its_case_and_kind() -> None:
    labels = labelled()
    assert labels.label("PERSON", "ada brook") == "[PERSON 1]"
    assert labels.label("NAME", "ADA BROOK") == "[PERSON 1]"


def test_restore_puts_back_every_label_and_the_variants_models_write() -> None:
    labels = labelled()
    text = "Dear [PERSON 1], [[PERSON 2]] meets you in [Place 1]. [PERSON 3] stays."
    assert labels.restore(text) == "Dear Ada Brook, Lena meets you in Leeds. [PERSON 3] stays."


def test_an_unnumbered_label_is_restored_only_when_it_can_mean_one_thing() -> None:
    labels = labelled()
    assert labels.restore("[PLACE] and [PERSON]") == "Leeds and [PERSON]"


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=12))
def test_restoring_in_pieces_equals_restoring_the_whole(cuts: list[int]) -> None:
    labels = labelled()
    text = "Hi [PERSON 1]! See [[PERSON 2]] at [PLACE 1] [x] [y"
    pieces, at = [], 0
    for size in cuts * 10:
        pieces.append(text[at : at + size])
        at += size
        if at >= len(text):
            break
    pieces.append(text[at:])
    stream = labels.stream()
    shown = "".join(stream.feed(piece) for piece in pieces) + stream.flush()
    assert shown == labels.restore(text) == "Hi Ada Brook! See Lena at Leeds [x] [y"
