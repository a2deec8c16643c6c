"""Text normalisation that survives trivial evasion: case, Unicode width and compatibility
forms, and punctuation or whitespace inserted inside a term.

``skeleton(text)`` keeps only letters and digits, NFKC-normalised and case-folded, with a
map back to the original positions, so a match in the skeleton can be located (and
replaced) in the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Skeleton:
    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original text of skeleton char i


def skeleton(text: str) -> Skeleton:
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded.isalnum():
                for plain in _strip_accents(folded):  # may be more than one character
                    chars.append(plain)
                    origin.append(index)
    return Skeleton("".join(chars), tuple(origin))


def term_skeleton(term: str) -> str:
    return skeleton(term).text


def _strip_accents(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in base if not unicodedata.combining(c))
    return kept or char
