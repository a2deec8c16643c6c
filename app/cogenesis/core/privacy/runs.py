"""The second invariant: no verbatim run of 8 or more words from a vault record leaves.

Words are compared normalised (NFKC, case-folded, punctuation ignored); each run of
``RUN_WORDS`` consecutive words of every record is kept as a 64-bit hash (BLAKE2b, stable
across processes, so the vault can store it), and outgoing text is checked window by window.

So that a stored index need not be searched by every run, each run also has an *anchor*:
the smallest hash of its ``ANCHOR_WORDS``-word pieces. Neighbouring runs mostly share their
anchor, so a record has about a third as many anchors as runs, and a run found in outgoing
text has the same anchor as in the record (it is a function of the run's words alone): the
records holding that anchor are the only ones that can hold the run.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RUN_WORDS = 8
ANCHOR_WORDS = 4
_WORD = re.compile(r"\w+", re.UNICODE)
Window = tuple[int, int]  # (run hash, anchor)


def _words(text: str) -> list[tuple[str, int, int]]:
    if text.isascii():  # NFKC leaves ASCII as it is
        return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    return [
        (unicodedata.normalize("NFKC", m.group()).casefold(), m.start(), m.end())
        for m in _WORD.finditer(text)
    ]


_SEPARATOR = b"\x1f"


def word_hash(words: Sequence[str]) -> int:
    """The hash of a run (or piece) of words as a signed 64-bit integer (what SQLite stores)."""
    return _hash_bytes(_SEPARATOR.join(_encoded(words)))


def windows(words: Sequence[str], n: int = RUN_WORDS, *, anchors: bool = True) -> list[Window]:
    """(hash, anchor) of every run of ``n`` words, in order (anchor 0 without ``anchors``).
    Each word is encoded once (not once per window that holds it)."""
    encoded = _encoded(words)
    join = _SEPARATOR.join
    runs = [_hash_bytes(join(encoded[i : i + n])) for i in range(len(words) - n + 1)]
    if not anchors:
        return [(run, 0) for run in runs]
    span = min(ANCHOR_WORDS, n)
    pieces = [_hash_bytes(join(encoded[i : i + span])) for i in range(len(words) - span + 1)]
    return [(run, min(pieces[i : i + n - span + 1])) for i, run in enumerate(runs)]


def _encoded(words: Sequence[str]) -> list[bytes]:
    return [word.encode("utf-8", "surrogatepass") for word in words]


@functools.lru_cache(maxsize=1 << 16)  # the guard's re-check and each request repeat them
def _hash_bytes(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True)


@dataclass(frozen=True)
class RunSet:
    """The runs of some texts (runs do not cross texts), and their anchors."""

    runs: frozenset[int]
    anchors: frozenset[int]

    @classmethod
    def of(cls, texts: Iterable[str], n: int = RUN_WORDS) -> RunSet:
        found = [w for text in texts for w in windows([w for w, _, _ in _words(text)], n)]
        return cls(frozenset(h for h, _ in found), frozenset(a for _, a in found))


class Runs(ABC):
    """The runs of a vault, asked about the runs of an outgoing text."""

    n = RUN_WORDS
    uses_anchors = True  # whether ``known`` reads the windows' anchors

    @abstractmethod
    def known(self, found: Sequence[Window]) -> set[int]:
        """The hashes of those ``found`` runs that are runs of the vault."""

    def empty(self) -> bool:
        """Whether no run can be known (nothing to hash the text for)."""
        return False

    def find(self, text: str) -> list[tuple[int, int]]:
        """Character spans of ``text`` that repeat a vault run (overlapping windows merged)."""
        if self.empty():
            return []
        words = _words(text)
        found = windows([w for w, _, _ in words], self.n, anchors=self.uses_anchors)
        known = self.known(found) if found else set()
        spans: list[tuple[int, int]] = []
        for i, (value, _) in enumerate(found):
            if value in known:
                start, end = words[i][1], words[i + self.n - 1][2]
                if spans and start <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
        return spans


class RunIndex(Runs):
    """Runs held in memory: of ``texts``, or given as ``hashes``."""

    uses_anchors = False

    def __init__(
        self, texts: Iterable[str] = (), n: int = RUN_WORDS, *, hashes: Iterable[int] = ()
    ) -> None:
        self.n = n
        self._runs = set(RunSet.of(texts, n).runs) | set(hashes)

    def __len__(self) -> int:
        return len(self._runs)

    def empty(self) -> bool:
        return not self._runs

    def known(self, found: Sequence[Window]) -> set[int]:
        return self._runs.intersection(h for h, _ in found)
