from __future__ import annotations

import pytest

from cogenesis.core.privacy import TermMatcher

MATCHER = TermMatcher([("Maria Lopez", "PERSON"), ("Lisbon", "PLACE"), ("Zürich", "PLACE")])


@pytest.mark.parametrize(
    "text",
    [
        "I met Maria Lopez yesterday",
        "I met MARIA LOPEZ yesterday",
        "I met maria-lopez yesterday",
        "I met Maria\nLopez yesterday",
        "I met M.a.r.i.a L-o-p-e-z yesterday",
        "I met Maria Lopez's brother",
        "the Maria Lopezes came",
        "see https://maria-lopez.example/about",
        "Ｍａｒｉａ Ｌｏｐｅｚ (full width)",
        "flights to lisbon",
        "moving to Zurich",  # accents folded
        "moving to ZÜRICH",
    ],
)
def test_evasions_are_caught(text: str) -> None:
    assert MATCHER.find(text), text


@pytest.mark.parametrize(
    "text",
    ["Mariana Lopezzi called", "Lisboning is not a word", "a marialopez123 handle"],
)
def test_longer_words_are_not_matches(text: str) -> None:
    assert MATCHER.find(text) == []


def test_hits_locate_the_original_span() -> None:
    text = "Ask M-a-r-i-a   Lopez's team in LISBON."
    hits = MATCHER.find(text)
    assert [text[h.start : h.end] for h in hits] == ["M-a-r-i-a   Lopez's", "LISBON"]
    assert [h.kind for h in hits] == ["PERSON", "PLACE"]


def test_short_automatic_terms_are_ignored() -> None:
    assert len(TermMatcher([("Al", "PERSON"), ("NY", "PLACE")])) == 0
    assert TermMatcher([("Al", "PERSON")], min_length=1).find("ask Al now")


@pytest.mark.parametrize("text", ["ǅemal Ǆ ﬁle ß Straße ŉ", "ｆｕｌｌ ℌ ㎒ Ⅻ"])
def test_characters_that_expand_keep_positions_aligned(text: str) -> None:
    from cogenesis.core.privacy.normalize import skeleton

    skel = skeleton(text)
    assert len(skel.text) == len(skel.origin)
    TermMatcher([(text, "X")]).find(text + " " + text)


def test_underscore_joins_words() -> None:
    assert TermMatcher([("End", "NAME")]).find("<|im_end|> and_end end_") == []
    assert TermMatcher([("End", "NAME")]).find("the end.")
