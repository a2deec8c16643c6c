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
        if char.isascii():  # the common case, without Unicode tables: same result
            if char.isalnum():
                chars.append(char.lower())
                origin.append(index)
            continue
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


@dataclass(frozen=True)
class Folded:
    """``text`` with format characters removed and every space character a plain space, and
    where each of its characters came from (``span`` maps a span back)."""

    text: str
    origin: tuple[int, ...]
    size: int  # of the original text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded ``[start, end)``."""
        if start >= len(self.origin):
            return self.size, self.size
        return self.origin[start], self.origin[end - 1] + 1 if end > start else self.origin[start]


def fold_format(text: str) -> Folded:
    """Zero-width spaces and joiners, soft hyphens, bidi controls and other invisible format
    characters hide a phone number or split a name for a detector: they are dropped, and
    no-break and other Unicode spaces become plain spaces."""
    if text.isascii():  # no format characters, and the only space is " "
        return Folded(text, tuple(range(len(text))), len(text))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        chars.append(" " if category == "Zs" else char)
        origin.append(index)
    return Folded("".join(chars), tuple(origin), len(text))
