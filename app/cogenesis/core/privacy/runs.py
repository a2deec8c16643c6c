"""The second invariant: no verbatim run of 8 or more words from a vault record leaves.

Words are compared normalised (NFKC, case-folded, punctuation ignored); each run of
``RUN_WORDS`` consecutive words of every record is kept as a hash, and outgoing text is
checked window by window.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

RUN_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[tuple[str, int, int]]:
    return [
        (unicodedata.normalize("NFKC", m.group()).casefold(), m.start(), m.end())
        for m in _WORD.finditer(text)
    ]


class RunIndex:
    def __init__(self, texts: Iterable[str], n: int = RUN_WORDS) -> None:
        self.n = n
        self._runs: set[int] = set()
        for text in texts:
            words = [w for w, _, _ in _words(text)]
            for i in range(len(words) - n + 1):
                self._runs.add(hash(tuple(words[i : i + n])))

    def __len__(self) -> int:
        return len(self._runs)

    def find(self, text: str) -> list[tuple[int, int]]:
        """Character spans of ``text`` that repeat a vault run (overlapping windows merged)."""
        words = _words(text)
        spans: list[tuple[int, int]] = []
        for i in range(len(words) - self.n + 1):
            if hash(tuple(w for w, _, _ in words[i : i + self.n])) in self._runs:
                start, end = words[i][1], words[i + self.n - 1][2]
                if spans and start <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
        return spans
