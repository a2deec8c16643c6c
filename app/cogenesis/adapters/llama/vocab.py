"""Token pieces, incremental UTF-8 decoding and the vocabulary fingerprint."""

from __future__ import annotations

import codecs
import ctypes
import hashlib

import llama_cpp


class Vocabulary:
    def __init__(self, vocab: llama_cpp.llama_vocab_p, n_vocab: int) -> None:
        self._vocab = vocab
        self.size = n_vocab
        self._buffer = ctypes.create_string_buffer(256)
        self._fingerprint: str | None = None
        self._pieces: dict[str, int] | None = None

    def piece(self, token: int, *, special: bool = False) -> bytes:
        """The bytes a token stands for (special tokens as empty unless asked for)."""
        n = llama_cpp.llama_token_to_piece(self._vocab, token, self._buffer, 256, 0, special)
        if n < 0:
            bigger = ctypes.create_string_buffer(-n)
            n = llama_cpp.llama_token_to_piece(self._vocab, token, bigger, -n, 0, special)
            return bigger.raw[:n]
        return self._buffer.raw[:n]

    def piece_ids(self) -> dict[str, int]:
        """Text of each token -> its id (the first id wins for duplicates)."""
        if self._pieces is None:
            self._pieces = {}
            for token in range(self.size):
                text = self.piece(token).decode("utf-8", errors="replace")
                self._pieces.setdefault(text, token)
        return self._pieces

    def end_ids(self) -> frozenset[int]:
        return frozenset(t for t in range(self.size) if self.is_end(t))

    def is_end(self, token: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self._vocab, token))

    def fingerprint(self) -> str:
        """SHA-256 over every token's text and type: equal exactly when ids mean the same."""
        if self._fingerprint is None:
            digest = hashlib.sha256(f"n_vocab={self.size}\n".encode())
            for token in range(self.size):
                digest.update(llama_cpp.llama_vocab_get_text(self._vocab, token) or b"")
                digest.update(b"\x00%d\x00" % llama_cpp.llama_vocab_get_attr(self._vocab, token))
            self._fingerprint = digest.hexdigest()
        return self._fingerprint


class TextStream:
    """Bytes of successive tokens in, complete UTF-8 text out (a character may span tokens)."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def feed(self, data: bytes) -> str:
        return self._decoder.decode(data)

    def flush(self) -> str:
        return self._decoder.decode(b"", final=True)
