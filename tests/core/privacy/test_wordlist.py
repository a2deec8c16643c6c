"""wordfreq's English list, read one frequency band at a time, is the list wordfreq reads."""

from __future__ import annotations

import gzip
from pathlib import Path

import msgpack
import pytest
import wordfreq

from cogenesis.core.privacy.wordlist import read_in_pieces, zipf_frequency

ENGLISH = str(wordfreq.DATA_PATH / "large_en.msgpack.gz")


def test_the_bands_equal_those_of_one_whole_read() -> None:
    with gzip.open(ENGLISH, "rb") as infile:
        whole = msgpack.load(infile, raw=False)  # what wordfreq's own read_cBpack does
    assert read_in_pieces(ENGLISH) == whole[1:]


def test_wordfreq_reads_its_lists_through_it() -> None:
    assert zipf_frequency("the") > 7
    assert wordfreq.read_cBpack is read_in_pieces
    assert zipf_frequency("Harrison".casefold()) == wordfreq.zipf_frequency("harrison", "en")


def test_wordfreq_reads_a_list_by_the_function_it_replaces(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []

    def spy(filename: str) -> list[list[str]]:
        read.append(filename)
        return read_in_pieces(filename)

    monkeypatch.setattr(wordfreq, "read_cBpack", spy)
    wordfreq.get_frequency_list.cache_clear()
    try:
        wordfreq.get_frequency_list("en")
    finally:
        wordfreq.get_frequency_list.cache_clear()
    assert read == [ENGLISH]


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.msgpack.gz"
    with gzip.open(path, "wb") as out:
        out.write(msgpack.packb([{"format": "other", "version": 1}, ["word"]]))
    with pytest.raises(ValueError, match="Unexpected header"):
        read_in_pieces(str(path))
