"""One sequence of a llama.cpp context's KV cache, and batched decoding with chosen logits.

``tokens`` mirrors what the sequence (``seq``, 0 unless two share the context) holds. A
request names the token list it needs and the positions whose logits it wants (the logits at
position p are the model's prediction for token p + 1). Only the part after the longest common
prefix with the cache is decoded, in one batch where possible; the wanted logits are copied
out as soon as they are computed, so another sequence's decode in the same context does not
spoil them. ``decode_with`` decodes what two sequences of one context need in a single batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import llama_cpp
import numpy as np
import numpy.typing as npt
from llama_cpp import _internals

from cogenesis.core.errors import CogenesisError


class ContextOverflow(CogenesisError):
    """The prompt (plus what must be generated) does not fit the context window."""


class DecodeClock:
    """Counts a context's decodes: llama.cpp's logits buffer holds only the latest one's rows."""

    def __init__(self) -> None:
        self.count = 0


@dataclass(frozen=True)
class _Span:
    """What one sequence adds to a batch: ``tokens[begin:end]`` and the wanted positions."""

    evaluator: Evaluator
    tokens: Sequence[int]
    begin: int
    end: int
    wanted: Sequence[int]


class Evaluator:
    def __init__(
        self,
        ctx: _internals.LlamaContext,
        n_vocab: int,
        n_ctx: int,
        n_batch: int,
        before_decode: Callable[[], object] = lambda: None,
        *,
        seq: int = 0,
        clock: DecodeClock | None = None,
    ) -> None:
        """``before_decode`` runs before every llama_decode (the thread governor's check);
        ``clock`` is shared by the evaluators of one context."""
        self._ctx = ctx
        self._before_decode = before_decode
        self.n_vocab = n_vocab
        self.n_ctx = n_ctx
        self.n_batch = n_batch
        self.seq = seq
        self.clock = clock or DecodeClock()
        self._batch = _internals.LlamaBatch(n_tokens=n_batch, embd=0, n_seq_max=1, verbose=False)
        self.tokens: list[int] = []
        self._logits: dict[int, npt.NDArray[np.float32]] = {}  # position -> copied logits
        self._rows: dict[int, int] = {}  # position -> row in llama.cpp's buffer
        self._rows_at = -1  # the clock when ``_rows`` was filled
        self.decoded = 0  # tokens evaluated so far (shows how much the cache saved)
        self.closed = False
        # False from the moment llama.cpp's cache changes until ``tokens`` says so: an
        # exception in between (a timeout, an interrupt) leaves the two apart, and the next
        # request starts from an empty cache instead of failing ("inconsistent sequence
        # positions") for ever after.
        self._consistent = True

    def ensure(self, tokens: Sequence[int], want: Sequence[int]) -> None:
        """Make the cache hold ``tokens`` with logits available at every position in ``want``."""
        self.decode_from(tokens, self.start(tokens, want), want)

    def start(self, tokens: Sequence[int], want: Sequence[int]) -> int | None:
        """Where decoding must start for ``ensure(tokens, want)`` (the cache is cut there),
        or None when the cache already holds all of it."""
        self._check(tokens)
        common = _common_prefix(self.tokens, tokens)
        stale = any(p >= common or p not in self._logits for p in want)
        if common == len(tokens) and not stale:
            if common < len(self.tokens):
                self._truncate(common)  # the copied logits before it stay valid
            return None
        # A decode replaces the wanted logits, so each wanted position is decoded again.
        start = min([common, *want])
        if start < len(self.tokens):
            start = self._truncate(start)
        return start

    def decode_from(self, tokens: Sequence[int], start: int | None, want: Sequence[int]) -> None:
        """Decode ``tokens`` from ``start`` (what ``start`` said; None: nothing to do)."""
        if start is not None:
            self._decode(tokens, start, want)

    def decode_with(
        self,
        tokens: Sequence[int],
        start: int | None,
        want: Sequence[int],
        other: Evaluator,
        other_tokens: Sequence[int],
        other_start: int | None,
        other_want: Sequence[int],
    ) -> None:
        """``decode_from`` for this sequence and ``other`` (of the same context), in one batch
        where both need a decode and it fits; one after the other otherwise."""
        if start is None or other_start is None:
            self.decode_from(tokens, start, want)
            other.decode_from(other_tokens, other_start, other_want)
        elif len(tokens) - start + len(other_tokens) - other_start > self.n_batch:
            self._decode(tokens, start, want)
            other._decode(other_tokens, other_start, other_want)
        else:
            self._run(
                [
                    _Span(self, tokens, start, len(tokens), want),
                    _Span(other, other_tokens, other_start, len(other_tokens), other_want),
                ]
            )

    def read(self, tokens: Sequence[int], chunk: int) -> Iterator[tuple[int, int]]:
        """Decode ``tokens`` in pieces of at most ``chunk``, with the logits of the last
        position; yields (tokens in the cache, of them reused) before the first piece and after
        each. Stopping the iteration between pieces leaves a consistent cache."""
        self._check(tokens)
        reused = _common_prefix(self.tokens, tokens)
        if reused == len(tokens):  # the logits at the end must be decoded again
            reused -= len(tokens) - 1 not in self._logits
        if reused < len(self.tokens):
            reused = self._truncate(reused)
        yield reused, reused
        last = len(tokens) - 1
        for begin in range(reused, len(tokens), max(1, min(chunk, self.n_batch))):
            end = min(len(tokens), begin + chunk, begin + self.n_batch)
            self._run([_Span(self, tokens, begin, end, [last] if end == len(tokens) else [])])
            yield end, reused

    def append(self, token: int) -> None:
        """Decode one more token after the cache (the generation loop's fast path)."""
        self._recover()
        if len(self.tokens) >= self.n_ctx:
            raise ContextOverflow(
                f"The context of {self.n_ctx:,} tokens is full.",
                "Start a new conversation or raise the context size.",
            )
        tokens = [*self.tokens, token]
        self._run([_Span(self, tokens, len(tokens) - 1, len(tokens), [len(tokens) - 1])])

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
        """The logits at ``position`` (must have been in ``want``); the caller may keep them."""
        return self._logits[position]

    def output_row(self, position: int) -> int:
        """The row of llama.cpp's logits buffer that holds ``position`` (for its samplers);
        decoded again when another sequence's decode has replaced the buffer since."""
        if self._rows_at != self.clock.count or position not in self._rows:
            tokens = self.tokens[: position + 1]
            self._truncate(position)
            self._decode(tokens, position, [position])
        return self._rows[position]

    def reset(self) -> None:
        if not self._ctx.kv_cache_seq_rm(self.seq, 0, -1):
            self._ctx.kv_cache_clear()
        self.tokens.clear()
        self._logits.clear()
        self._rows.clear()
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
        if not self._ctx.kv_cache_seq_rm(self.seq, keep, -1):
            self._ctx.kv_cache_clear()  # caches that cannot drop a tail (recurrent models)
            keep = 0
        del self.tokens[keep:]
        self._logits = {p: row for p, row in self._logits.items() if p < keep}
        self._rows.clear()
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
            self._run([_Span(self, tokens, begin, stop, wanted)])

    def _run(self, spans: Sequence[_Span]) -> None:
        """One llama_decode of every span (each of its own sequence) in this batch."""
        batch = self._batch.batch
        rows: list[dict[int, int]] = []
        i = 0
        for span in spans:
            found: dict[int, int] = {}
            wanted = set(span.wanted)
            for index in range(span.begin, span.end):
                batch.token[i] = span.tokens[index]
                batch.pos[i] = index
                batch.seq_id[i][0] = span.evaluator.seq
                batch.n_seq_id[i] = 1
                batch.logits[i] = index in wanted
                if index in wanted:
                    found[index] = i
                i += 1
            rows.append(found)
        batch.n_tokens = i
        self._before_decode()
        for span in spans:
            span.evaluator._consistent = False
        code = llama_cpp.llama_decode(self._ctx.ctx, batch)
        self.clock.count += 1
        if code != 0:
            for span in spans:
                span.evaluator._consistent = True
                span.evaluator._truncate(span.begin)
            raise CogenesisError(
                f"llama.cpp could not evaluate the prompt (llama_decode returned {code}).",
                "The context may be full: start a new conversation or raise the context size.",
            )
        for span, found in zip(spans, rows, strict=True):
            span.evaluator._decoded(span, found)

    def _decoded(self, span: _Span, rows: dict[int, int]) -> None:
        """Take in what a decode did to this sequence: its tokens, and its wanted logits."""
        self.tokens[span.begin :] = list(span.tokens[span.begin : span.end])
        self.decoded += span.end - span.begin
        self._logits = {p: self._copy(row) for p, row in rows.items()}
        self._rows, self._rows_at = rows, self.clock.count
        self._consistent = True

    def _copy(self, row: int) -> npt.NDArray[np.float32]:
        pointer = llama_cpp.llama_get_logits_ith(self._ctx.ctx, row)
        return np.ctypeslib.as_array(pointer, shape=(self.n_vocab,)).copy()


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i
