"""Invisible format characters and odd spaces hide nothing from detection, and the public part
keeps the user's own characters wherever nothing was replaced."""

from __future__ import annotations

import pytest

from cogenesis.core.privacy import PrivacyGuard, SensitiveIndex, TermMatcher, make_public
from cogenesis.core.privacy.normalize import fold_format
from cogenesis.core.privacy.runs import RunIndex

INDEX = SensitiveIndex(
    (("Ada Brook", "PERSON"),), TermMatcher([("Ada Brook", "PERSON")]), RunIndex()
)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("Call +1 212\u200b555\u00a00199 today", "+1 212\u200b555\u00a00199"),
        ("Mail a\u00adb@example.com now", "a\u00adb@example.com"),
        ("Mail ab\u200b@example.com now", "ab\u200b@example.com"),
        ("Ask Ada\u200dBrook first", "Ada\u200dBrook"),
        ("Ask Ada\u2009Brook first", "Ada\u2009Brook"),
    ],
)
def test_a_format_character_inside_private_text_hides_nothing(text: str, hidden: str) -> None:
    public = make_public(text, INDEX)
    assert hidden not in public.text and [r.original for r in public.replacements] == [hidden]
    assert PrivacyGuard(lambda: INDEX).findings(text, INDEX)  # the guard reads it too


def test_the_users_characters_stay_where_nothing_was_replaced() -> None:
    text = "Plan\u00a0a\u2009trip \u200bto\u00admorrow, call +1 212 555 0199"
    public = make_public(text, INDEX)
    assert public.text == "Plan\u00a0a\u2009trip \u200bto\u00admorrow, call [PHONE 1]"


def test_folding_maps_every_span_back() -> None:
    folded = fold_format("a\u200bb\u00a0c")
    assert folded.text == "ab c" and folded.span(1, 4) == (2, 5)
