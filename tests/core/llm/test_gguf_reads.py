"""A GGUF header is read in large pieces: a read per value let the GIL go and come back for
every token of a vocabulary, and a waiting thread (the window's) kept losing the race."""

from __future__ import annotations

import io
import struct

import pytest

from cogenesis.core.llm import gguf


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def _with_vocabulary(size: int) -> bytes:
    header = b"GGUF" + struct.pack("<IQQ", 3, 0, 3)
    header += _string("general.architecture") + struct.pack("<I", 8) + _string("llama")
    tokens = b"".join(_string(f"token{i}") for i in range(size))
    header += _string("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, size) + tokens
    scores = struct.pack(f"<{size}f", *range(size))
    header += _string("tokenizer.ggml.scores") + struct.pack("<IIQ", 9, 6, size) + scores
    return header


class CountingFile(io.BytesIO):
    reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        return super().read(size)


def test_a_vocabulary_is_read_in_a_few_pieces() -> None:
    data = _with_vocabulary(50_000)
    f = CountingFile(data)
    header = gguf._parse(gguf._Reader(f))
    assert header.metadata["tokenizer.ggml.tokens"] == 50_000
    assert header.metadata["tokenizer.ggml.scores"] == 50_000
    assert f.reads <= len(data) // gguf._Reader.PIECE + 2


def test_a_header_cut_inside_the_vocabulary_is_refused() -> None:
    data = _with_vocabulary(1_000)
    with pytest.raises(ValueError, match="ends inside the header"):
        gguf._parse(gguf._Reader(io.BytesIO(data[:-5])))
