"""The KV cache of one llama.cpp context, and batched decoding with chosen logits.

``tokens`` mirrors what sequence 0 of the cache holds. A request names the token list it
needs and the positions whose logits it wants (the logits at position p are the model's
prediction for token p + 1). Only the part after the longest common prefix with the cache is
decoded, in one batch where possible; logits left by the previous decode are reused when they
are still valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import llama_cpp
import numpy as np
import numpy.typing as npt
from llama_cpp import _internals

from cogenesis.core.errors import CogenesisError


class ContextOverflow(CogenesisError):
    """The prompt (plus what must be generated) does not fit the context window."""


class Evaluator:
    def __init__(
        self,
        ctx: _internals.LlamaContext,
        n_vocab: int,
        n_ctx: int,
        n_batch: int,
        before_decode: Callable[[], object] = lambda: None,
    ) -> None:
        """``before_decode`` runs before every llama_decode (the thread governor's check)."""
        self._ctx = ctx
        self._before_decode = before_decode
        self.n_vocab = n_vocab
        self.n_ctx = n_ctx
        self.n_batch = n_batch
        self._batch = _internals.LlamaBatch(n_tokens=n_batch, embd=0, n_seq_max=1, verbose=False)
        self.tokens: list[int] = []
        self._outputs: dict[int, int] = {}  # position -> row of the last decode's logits
        self.decoded = 0  # tokens evaluated so far (shows how much the cache saved)
        self.closed = False
        # False from the moment llama.cpp's cache changes until ``tokens`` says so: an
        # exception in between (a timeout, an interrupt) leaves the two apart, and the next
        # request starts from an empty cache instead of failing ("inconsistent sequence
        # positions") for ever after.
        self._consistent = True

    def ensure(self, tokens: Sequence[int], want: Sequence[int]) -> None:
        """Make the cache hold ``tokens`` with logits available at every position in ``want``."""
        self._check(tokens)
        common = _common_prefix(self.tokens, tokens)
        stale = any(p >= common or p not in self._outputs for p in want)
        if common == len(tokens) and not stale:
            if common < len(self.tokens):
                self._truncate(common)  # the logits buffer survives: outputs stay valid
            return
        # A decode overwrites every logits row, so each wanted position is decoded again.
        start = min([common, *want])
        if start < len(self.tokens):
            start = self._truncate(start)
        self._decode(tokens, start, want)

    def read(self, tokens: Sequence[int], chunk: int) -> Iterator[tuple[int, int]]:
        """Decode ``tokens`` in pieces of at most ``chunk``, with the logits of the last
        position; yields (tokens in the cache, of them reused) before the first piece and after
        each. Stopping the iteration between pieces leaves a consistent cache."""
        self._check(tokens)
        reused = _common_prefix(self.tokens, tokens)
        if reused == len(tokens):  # the logits at the end must be decoded again
            reused -= len(tokens) - 1 not in self._outputs
        if reused < len(self.tokens):
            reused = self._truncate(reused)
        yield reused, reused
        last = len(tokens) - 1
        for begin in range(reused, len(tokens), max(1, min(chunk, self.n_batch))):
            end = min(len(tokens), begin + chunk, begin + self.n_batch)
            self._decode_chunk(tokens, begin, end, [last] if end == len(tokens) else [])
            yield end, reused

    def append(self, token: int) -> None:
        """Decode one more token after the cache (the generation loop's fast path)."""
        self._recover()
        if len(self.tokens) >= self.n_ctx:
            raise ContextOverflow(
                f"The context of {self.n_ctx:,} tokens is full.",
                "Start a new conversation or raise the context size.",
            )
        self._decode_chunk([token], 0, 1, [0], offset=len(self.tokens))

    def _check(self, tokens: Sequence[int]) -> None:
        if self.closed:  # llama.cpp would read freed memory
            raise RuntimeError("the model was closed; load it again to use it")
        self._recover()
        if len(tokens) > self.n_ctx:
            raise ContextOverflow(
                f"The prompt needs {len(tokens):,} tokens; the context holds {self.n_ctx:,}.",
                "Shorten the conversation or the context, or load the model with a larger "
                "context size.",
            )

    def logits(self, position: int) -> npt.NDArray[np.float32]:
        """A copy of the logits at ``position`` (must have been in ``want``)."""
        row = self._outputs[position]
        pointer = llama_cpp.llama_get_logits_ith(self._ctx.ctx, row)
        return np.ctypeslib.as_array(pointer, shape=(self.n_vocab,)).copy()

    def output_row(self, position: int) -> int:
        return self._outputs[position]

    def reset(self) -> None:
        self._ctx.kv_cache_clear()
        self.tokens.clear()
        self._outputs.clear()
        self._consistent = True

    def _recover(self) -> None:
        """An earlier step was interrupted between llama.cpp and ``tokens``: start afresh."""
        if not self._consistent:
            self.reset()

    def close(self) -> None:
        self.closed = True
        self._batch.close()

    def _truncate(self, keep: int) -> int:
        self._consistent = False
        if not self._ctx.kv_cache_seq_rm(0, keep, -1):
            self._ctx.kv_cache_clear()  # caches that cannot drop a tail (recurrent models)
            keep = 0
        del self.tokens[keep:]
        self._outputs = {p: r for p, r in self._outputs.items() if p < keep}
        self._consistent = True
        return keep

    def _decode(self, tokens: Sequence[int], start: int, want: Sequence[int]) -> None:
        wanted = sorted({p for p in want if p >= start})
        end = len(tokens)
        last_start = max(start, end - self.n_batch)
        if wanted and wanted[0] < last_start:
            raise CogenesisError(
                f"Cannot score {end - wanted[0]} positions in one batch of {self.n_batch}.",
                "Score shorter runs.",
            )
        starts = [*range(start, last_start, self.n_batch), last_start]
        for begin, stop in zip(starts, [*starts[1:], end], strict=True):
            self._decode_chunk(tokens, begin, stop, wanted)

    def _decode_chunk(
        self, tokens: Sequence[int], begin: int, end: int, wanted: list[int], offset: int = 0
    ) -> None:
        """Decode ``tokens[begin:end]``, which sit at cache positions ``offset + index``."""
        batch = self._batch.batch
        rows: dict[int, int] = {}
        for i, index in enumerate(range(begin, end)):
            batch.token[i] = tokens[index]
            batch.pos[i] = offset + index
            batch.seq_id[i][0] = 0
            batch.n_seq_id[i] = 1
            want_row = index in wanted
            batch.logits[i] = want_row
            if want_row:
                rows[offset + index] = i
        batch.n_tokens = end - begin
        self._before_decode()
        self._consistent = False
        code = llama_cpp.llama_decode(self._ctx.ctx, batch)
        if code != 0:
            self._consistent = True
            self._truncate(offset + begin)
            raise CogenesisError(
                f"llama.cpp could not evaluate the prompt (llama_decode returned {code}).",
                "The context may be full: start a new conversation or raise the context size.",
            )
        self.tokens[offset + begin :] = list(tokens[begin:end])
        self.decoded += end - begin
        self._outputs = rows  # a decode overwrites every earlier row
        self._consistent = True


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i
