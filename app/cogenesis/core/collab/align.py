"""Remote tokens in the local vocabulary, by their decoded text.

Same-family models share pieces, so a remote token's text is one local token. Other pairs
(different vocabularies) are aligned by text: a remote token becomes the local tokens that
spell it, and each top-k alternative counts for the first local token of its text (several
alternatives that start with the same local token add up).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cogenesis.core.collab.fusion import TopK
from cogenesis.core.llm import LocalModel


class TextAligner:
    def __init__(self, local: LocalModel) -> None:
        self._local = local
        self._cache: dict[str, tuple[int, ...]] = {}
        self.split = 0  # remote tokens that took several local tokens

    def ids(self, text: str) -> tuple[int, ...]:
        """The local tokens that spell ``text``. An empty text (servers show special tokens,
        such as the end of the answer, as "") maps to the first local token without text."""
        cached = self._cache.get(text)
        if cached is None:
            piece = self._local.piece_id(text)
            cached = (piece,) if piece is not None else tuple(self._local.tokenize(text))
            self._cache[text] = cached
        return cached

    def top(self, alternatives: Sequence[tuple[str, float]]) -> TopK:
        """Top-k over local first tokens; probabilities that land on one token add up."""
        mass: dict[int, float] = {}
        for text, logprob in alternatives:
            ids = self.ids(text)
            if ids:
                mass[ids[0]] = mass.get(ids[0], 0.0) + math.exp(logprob)
        return [(token, math.log(p)) for token, p in mass.items() if p > 0]

    def spell(self, text: str) -> tuple[int, ...]:
        ids = self.ids(text)
        if len(ids) > 1:
            self.split += 1
        return ids
