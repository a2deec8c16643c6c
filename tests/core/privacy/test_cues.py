from __future__ import annotations

import pytest

from cogenesis.core.privacy.cues import cue_spans


def found(text: str) -> set[tuple[str, str]]:
    return {(text[start:end], kind) for start, end, kind in cue_spans(text)}


@pytest.mark.parametrize(
    ("text", "span", "kind"),
    [
        ("a toast for my brother harrison and his wife eden", "harrison", "PERSON"),
        ("a toast for my brother harrison and his wife eden", "eden", "PERSON"),
        ("an essay about my best friend named sulaiman", "sulaiman", "PERSON"),
        ("hello, my name is amer, give me a plan", "amer", "PERSON"),
        ("hi i am belal a gp doctor", "belal", "PERSON"),
        ("Write an email to Ms. yoyo, tell her", "Ms. yoyo", "PERSON"),
        ("Dr. Kapur said the scan was clear", "Dr. Kapur", "PERSON"),  # not "said"
        ("as Song et al. [80] reported", "Song et al.", "PERSON"),
        ("Rahul and I checked the apps", "Rahul", "PERSON"),
        ("a shop called tech stop, near", "tech", "PERSON"),
        ("a company located in madera with", "madera", "PLACE"),
        ("I am originally from washington.", "washington", "PLACE"),
        ("child care in hong kong through play", "hong kong", "PLACE"),
        ("why i want to work for rev.", "rev", "ORG"),
        ("what is alamjaad group", "alamjaad", "ORG"),
        ("a plan for a mareda media company", "mareda", "ORG"),
        ("the alamjaad group and the mareda media studio", "mareda", "ORG"),  # the second one
        (("words " * 60) + "then zimvoro labs", "zimvoro", "ORG"),  # far into a long text
        ("Sam owns 20% of ABC Corp. They", "ABC Corp.", "ORG"),
        ("a letter from the university of kelaniya about", "kelaniya", "ORG"),
    ],
)
def test_cues_find_names_in_any_case(text: str, span: str, kind: str) -> None:
    assert (span, kind) in found(text), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "my friend is sick and my manager asked me to cover",
        "I am happy to help, this is a draft",
        "it is called off, named after the river",
        "the best company in town, from the start",
        "a degree: ms in chemical engineering",
        "we met in python class and at home",
        "you and me",
    ],
)
def test_ordinary_words_after_cues_are_not_names(text: str) -> None:
    assert found(text) == set()
