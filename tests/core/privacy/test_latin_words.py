"""Names in any Latin-script language: words are whole by Unicode's letters, not ASCII's."""

from __future__ import annotations

import pytest

from cogenesis.core.privacy import SensitiveIndex, TermMatcher, make_public
from cogenesis.core.privacy.runs import RunIndex

EMPTY = SensitiveIndex((), TermMatcher([]), RunIndex())


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Văn An sent the report", "Trần Thị Hương wrote", "Đặng Quốc Bảo called"],
)
def test_no_vietnamese_word_is_cut_in_half(text: str) -> None:
    public = make_public(text, EMPTY)
    words = set(text.split())
    for replacement in public.replacements:
        assert set(replacement.original.split()) <= words  # whole words only
    assert "[NAME 1]ễn" not in public.text and "ễn" not in public.text.replace("Nguyễn", "")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ünal Yılmaz and I will come", "Ünal Yılmaz"),
        ("Please thank Łukasz Nowak for the flowers", "Łukasz Nowak"),
        ("Please call Ms.Xiu tomorrow", "Xiu"),
        ("Dear Dr.Kapur, thank you", "Kapur"),
    ],
)
def test_names_with_accented_capitals_or_a_glued_title_are_found(text: str, name: str) -> None:
    public = make_public(text, EMPTY)
    assert name not in public.text, public.text
