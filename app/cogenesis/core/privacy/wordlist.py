"""English word frequencies (``wordfreq``), with its word list read in pieces.

wordfreq reads a list with one ``msgpack.load`` call: for English (321,000 words) that is
45 ms of C code holding the GIL, 70-100 ms on a busy machine, and it runs on first use, in
the answer worker, where it froze the window during the first answer. ``read_in_pieces``
reads the same file one frequency band at a time (at most about 4,000 words, 2 ms), so other
threads run in between; the lists it returns are equal to wordfreq's own.
"""

from __future__ import annotations

import functools
import gzip
from typing import Any


@functools.lru_cache(maxsize=1 << 16)
def zipf_frequency(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English (0 for a word it does not know);
    cached, as wordfreq tokenizes the word again on every call."""
    return float(_wordfreq().zipf_frequency(word, "en"))


def read_in_pieces(filename: str) -> list[list[str]]:
    """wordfreq's ``read_cBpack``: the file's frequency bands, one call per band."""
    import msgpack  # type: ignore[import-untyped]  # (wordfreq depends on it)

    with gzip.open(filename, "rb") as infile:
        unpacker = msgpack.Unpacker(infile, raw=False)
        size = unpacker.read_array_header()
        header = unpacker.unpack()
        if not _is_cb_header(header):
            raise ValueError(f"Unexpected header: {header!r}")
        return [unpacker.unpack() for _ in range(size - 1)]


def _is_cb_header(header: object) -> bool:
    return isinstance(header, dict) and header.get("format") == "cB" and header.get("version") == 1


@functools.cache
def _wordfreq() -> Any:
    import wordfreq

    # wordfreq's get_frequency_list calls the module's read_cBpack when it reads a list.
    wordfreq.read_cBpack = read_in_pieces
    return wordfreq
