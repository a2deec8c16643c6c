from __future__ import annotations

import pytest

from cogenesis.core.privacy.entities import looks_like_code, name_spans, other_script_spans


def names(text: str) -> list[str]:
    return [text[start:end] for start, end in name_spans(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Yesterday Koushik sent the file.", "Koushik"),  # capitalised inside a sentence
        ("Koushik sent the file.", "Koushik"),  # rare word starting a sentence
        ("David insists he is right.", "David"),  # listed given name starting a sentence
        ("Mark came bounding down the stairs.", "Mark"),
        ("AWS infrastructure is used.", "AWS"),  # acronym starting a sentence
        ("a company that buys cars from copart online", "copart"),  # rare word, lower case
        ("my country is belarus", "belarus"),  # listed place, lower case
        ("a deed for an apartment in new york", "new york"),  # multi-word place
        ("ask leia about it", "leia"),  # listed given name English rarely uses
        ("We met Twink's parents.", "Twink"),  # possessive left outside
        ('rows = [("Jane", "Doe")]', "Jane"),  # names in code are still names
        ("var w = new PassportWindow();", "PassportWindow"),  # the program's own class
        ("tell her that dubai has no postal codes", "dubai"),  # a large city, lower case
        ("the final where liverpool played", "liverpool"),
        ("the list from sekar and zoho", "sekar"),  # lower case, rarer than zipf 2.0
        ("请发邮件给koushik", "koushik"),  # glued to another script, still a word
    ],
)
def test_names_are_found(text: str, name: str) -> None:
    assert name in names(text), names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Rewrite this paragraph to sound friendlier.",
        "Please mark the date and grant access to the health team.",
        "Happy New Year to All of You.",  # the most common words, even capitalised
        "document.getElementById(x).appendChild(randint(1, 2));",  # library names in code
        "Translate this into English by Monday.",
        "it ran in 3333ms with 1.2GB and a 12x zoom",  # tails of tokens: "ms", "GB", "x"
        "please proofread this cover letter",  # uncommon (zipf 2.6), but English
    ],
)
def test_ordinary_words_are_not_names(text: str) -> None:
    assert names(text) == []


def test_other_scripts_are_withheld_with_glued_words() -> None:
    text = "Please send 邮件给koushik today"
    assert [text[s:e] for s, e in other_script_spans(text)] == ["邮件给koushik"]
    assert other_script_spans("Café déjà vu, naïve São Paulo") == []


def test_code_is_told_from_prose() -> None:
    assert looks_like_code("if (x) { y = f(z); } else { return [a, b]; }")
    assert not looks_like_code("I live in Bristol (near the river) and work from home.")
