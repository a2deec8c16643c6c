"""Finding known sensitive terms in text, however they are cased, spaced or punctuated.

A term matches where its skeleton occurs in the text's skeleton, starting and ending on a
word boundary of the original text; an English possessive or plural ending ("'s", "s",
"es") may follow. "Maria Lopez" is found in "MARIA-LOPEZ", "maria\\nlopez", "M.a.r.i.a Lopez's"
and "https://maria-lopez.example"; it is not found in "Mariana Lopezzi".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cogenesis.core.privacy.normalize import skeleton, term_skeleton

MIN_SKELETON = 3  # shorter automatic terms ("Al", "NY") would match inside ordinary words
_SUFFIX = re.compile(r"(?:'s|’s|'|’|es|s)?")


@dataclass(frozen=True)
class TermHit:
    start: int
    end: int  # exclusive, in the original text
    term: str
    kind: str


class TermMatcher:
    """Holds the terms of one vault; ``find`` returns non-overlapping hits, longest first."""

    def __init__(self, terms: Iterable[tuple[str, str]], *, min_length: int = MIN_SKELETON) -> None:
        self._terms = _longest_first(((term_skeleton(t), t, k) for t, k in terms), min_length)

    @classmethod
    def from_skeletons(
        cls, terms: Iterable[tuple[str, str, str]], *, min_length: int = MIN_SKELETON
    ) -> TermMatcher:
        """From (skeleton, term, kind) triples whose skeletons are known (a stored index)."""
        matcher = cls.__new__(cls)
        matcher._terms = _longest_first(terms, min_length)
        return matcher

    def __len__(self) -> int:
        return len(self._terms)

    def find(self, text: str) -> list[TermHit]:
        if not self._terms:
            return []
        skel = skeleton(text)
        taken: list[tuple[int, int]] = []
        hits: list[TermHit] = []
        for key, (term, kind) in self._terms:
            start = skel.text.find(key)
            while start >= 0:
                hit = self._locate(text, skel.origin, start, len(key))
                if hit and not any(hit[0] < e and s < hit[1] for s, e in taken):
                    taken.append(hit)
                    hits.append(TermHit(hit[0], hit[1], term, kind))
                start = skel.text.find(key, start + 1)
        return sorted(hits, key=lambda h: h.start)

    @staticmethod
    def _locate(
        text: str, origin: tuple[int, ...], start: int, length: int
    ) -> tuple[int, int] | None:
        begin = origin[start]
        end = origin[start + length - 1] + 1
        if begin > 0 and _in_word(text[begin - 1]):
            return None
        suffix = _SUFFIX.match(text, end)
        after = suffix.end() if suffix else end
        if after < len(text) and _in_word(text[after]):
            if end < len(text) and _in_word(text[end]):
                return None
            after = end
        return begin, after


def _longest_first(
    terms: Iterable[tuple[str, str, str]], min_length: int
) -> list[tuple[str, tuple[str, str]]]:
    """The first term of each skeleton, longest skeletons first (ties: in the given order)."""
    best: dict[str, tuple[str, str]] = {}
    for key, term, kind in terms:
        if len(key) >= min_length and key not in best:
            best[key] = (term, kind)
    return sorted(best.items(), key=lambda item: -len(item[0]))


def _in_word(char: str) -> bool:
    """Whether ``char`` continues a word: "im_end" is one word, not "im" + "end". Scripts
    written without spaces between words (Han, kana, Thai…) and Hangul, whose particles
    attach to a name ("김민준이"), have no such boundary: a term is found inside a run."""
    if char == "_":
        return True
    return char.isalnum() and not any(low <= ord(char) <= high for low, high in _UNSPACED)


_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x9FFF),  # CJK ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions
)
