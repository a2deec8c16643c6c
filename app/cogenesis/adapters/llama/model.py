"""LlamaLocalModel: the LocalModel protocol over llama-cpp-python.

llama-cpp-python's ``Llama`` loads the model and context; decoding, the KV cache and
sampling are driven through its low-level API (see ``Evaluator``), so generation, next-token
distributions and run scoring share one cache and run at llama.cpp's own speed.
Not thread-safe: one worker thread should own an instance.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import cast

import llama_cpp
from llama_cpp import Llama, _internals
from llama_cpp.llama_chat_format import Jinja2ChatFormatter
from llama_cpp.llama_types import ChatCompletionRequestMessage

from cogenesis.adapters.llama import logbridge
from cogenesis.adapters.llama.device import DevicePlan, plan_device
from cogenesis.adapters.llama.evaluator import ContextOverflow, DecodeClock, Evaluator
from cogenesis.adapters.llama.load import ThreadGovernor
from cogenesis.adapters.llama.pairing import PairTiming, decode_pair
from cogenesis.adapters.llama.sampling import build_sampler, sample
from cogenesis.adapters.llama.vocab import TextStream, Vocabulary
from cogenesis.core.llm import (
    CancelToken,
    ChatMessage,
    GenerationChunk,
    GenerationParams,
    ModelInfo,
    ReadProgress,
    StopMatcher,
    TokenDistribution,
)
from cogenesis.core.llm.gguf import GgufHeader, ModelFileError, read_header
from cogenesis.core.llm.threads import ThreadBudget, Threads, physical_cores, plan_threads

log = logging.getLogger(__name__)
_FTYPES = {
    getattr(llama_cpp, n): n.removeprefix("LLAMA_FTYPE_MOSTLY_")
    for n in dir(llama_cpp)
    if n.startswith("LLAMA_FTYPE_MOSTLY_")
}
_FTYPES[0] = "F32"

__all__ = ["ContextOverflow", "LlamaLocalModel"]
READ_CHUNK = 128  # prompt tokens per decode while reading: progress and Stop between pieces


class LlamaLocalModel:
    """A GGUF model on this device."""

    def __init__(
        self,
        path: Path,
        *,
        context_size: int = 4096,
        device: str = "auto",
        threads: ThreadBudget | int = 0,
        batch_size: int = 512,
        batch_invariant: bool = False,
    ) -> None:
        """``threads``: the app's thread budget (``plan_threads``), or a fixed count (0: the
        budget of this machine with nothing else of the app running).
        ``batch_invariant``: llama.cpp computes one token at a time inside each batch, so a
        position's logits do not depend on how decodes split the text (without it they differ
        by up to 0.7 logits here, which flips near-ties between batched run scoring and
        token-by-token decoding); prompts then evaluate about 3x slower."""
        header = read_header(path)  # refuses missing, foreign and truncated files
        logbridge.install()
        if not isinstance(threads, ThreadBudget):
            threads = plan_threads(physical_cores(), generation=threads, batch=threads)
        self._budget = threads
        trained = int(header.arch_value("context_length", 0) or 0)
        n_ctx = min(context_size, trained) if trained else context_size
        ubatch = 1 if batch_invariant else batch_size
        self._llm, self._plan = _load(
            path, n_ctx, (batch_size, ubatch), threads.local, plan_device(device)
        )
        self._lock = threading.RLock()
        n_vocab = self._llm.n_vocab()
        self.vocab = Vocabulary(self._llm._model.vocab, n_vocab)
        # llama.cpp clamps the batch to the context size; a bigger batch would abort.
        n_batch = int(llama_cpp.llama_n_batch(self._llm._ctx.ctx))
        self._ctx: _internals.LlamaContext = self._llm._ctx
        self._governor = self._govern(self._ctx)
        self._eval = Evaluator(self._ctx, n_vocab, self._llm.n_ctx(), n_batch, self._governor.check)
        self._twins: list[LlamaLocalModel] = []
        self._parent: LlamaLocalModel | None = None
        self._paired: LlamaLocalModel | None = None  # the twin on this context's sequence 1
        self.pair_timing = PairTiming()
        self._template = self._llm.metadata.get("tokenizer.chat_template")
        self._end_ids: frozenset[int] | None = None
        self._info = self._make_info(path, header)

    # -- description -------------------------------------------------------------------

    @property
    def info(self) -> ModelInfo:
        return self._info

    def vocabulary_fingerprint(self) -> str:
        return self.vocab.fingerprint()

    # -- text <-> tokens ---------------------------------------------------------------

    def tokenize(self, text: str, *, special: bool = False, add_bos: bool = False) -> list[int]:
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=special))

    def detokenize(self, tokens: Sequence[int]) -> str:
        return b"".join(self.vocab.piece(t) for t in tokens).decode("utf-8", errors="replace")

    def piece_id(self, piece: str) -> int | None:
        return self.vocab.piece_ids().get(piece)

    def end_ids(self) -> frozenset[int]:
        if self._end_ids is None:
            self._end_ids = self.vocab.end_ids()
        return self._end_ids

    def format_chat(self, messages: Sequence[ChatMessage]) -> list[int]:
        """The GGUF's own chat template; a plain transcript for base models without one."""
        turns = [{"role": m.role, "content": m.content} for m in messages]
        if self._template:
            model = self._llm._model
            formatter = Jinja2ChatFormatter(
                self._template,
                eos_token=model.token_get_text(model.token_eos()),
                bos_token=model.token_get_text(model.token_bos()),
            )
            # The template reads role and content only, which is all each turn has.
            prompt = formatter(messages=cast("list[ChatCompletionRequestMessage]", turns)).prompt
            return self.tokenize(prompt, special=True)
        transcript = "".join(f"{t['role'].capitalize()}: {t['content']}\n\n" for t in turns)
        return self.tokenize(transcript + "Assistant:", add_bos=True)

    # -- inference ---------------------------------------------------------------------

    def next_token_distribution(
        self, prefix: Sequence[int], top_k: int | None = None
    ) -> TokenDistribution:
        """Log-probabilities of the token after ``prefix`` (decodes only what is not cached)."""
        _require_prefix(prefix)
        with self._lock:
            self._eval.ensure(prefix, [len(prefix) - 1])
            return TokenDistribution.from_logits(self._eval.logits(len(prefix) - 1), top_k)

    def score_run(self, prefix: Sequence[int], run: Sequence[int]) -> list[TokenDistribution]:
        """One batched decode of ``run`` after ``prefix``: ``len(run) + 1`` distributions."""
        _require_prefix(prefix)
        tokens = [*prefix, *run]
        positions = list(range(len(prefix) - 1, len(tokens)))
        with self._lock:
            self._eval.ensure(tokens, positions)
            return [TokenDistribution.from_logits(self._eval.logits(p)) for p in positions]

    def read(
        self, prompt: Sequence[int], cancel: CancelToken | None = None
    ) -> Iterator[ReadProgress]:
        """Read ``prompt`` into the cache, ``READ_CHUNK`` tokens at a time; what the cache
        already holds (the previous turn of a conversation) is kept."""
        _require_prefix(prompt)
        cancel = cancel or CancelToken()
        with self._lock:
            for done, reused in self._eval.read(prompt, READ_CHUNK):
                yield ReadProgress(done, len(prompt), reused)
                if cancel.cancelled:
                    return

    def generate(
        self, prompt: Sequence[int], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[GenerationChunk]:
        """Stream the answer token by token; checks ``cancel`` between tokens."""
        _require_prefix(prompt)
        with self._lock:
            yield from self._generate(list(prompt), params, cancel or CancelToken())

    def _generate(
        self, tokens: list[int], params: GenerationParams, cancel: CancelToken
    ) -> Iterator[GenerationChunk]:
        if len(tokens) >= self._eval.n_ctx:
            self._eval.ensure(tokens, [])  # raises ContextOverflow with the figures
        self._eval.ensure(tokens, [len(tokens) - 1])
        sampler = build_sampler(params)
        stops, text = StopMatcher(params.stop), TextStream()
        try:
            for _ in range(params.max_tokens):
                if cancel.cancelled:
                    yield GenerationChunk(
                        stops.feed(text.flush()) + stops.flush(), None, "cancelled"
                    )
                    return
                token = sample(sampler, self._ctx, self._eval.output_row(len(tokens) - 1))
                if self.vocab.is_end(token):
                    yield GenerationChunk(stops.feed(text.flush()) + stops.flush(), token, "eos")
                    return
                shown = stops.feed(text.feed(self.vocab.piece(token)))
                if stops.stopped:
                    yield GenerationChunk(shown, token, "stop")
                    return
                tokens.append(token)
                if len(tokens) >= self._eval.n_ctx:
                    break
                yield GenerationChunk(shown, token)
                self._eval.append(token)
            yield GenerationChunk(stops.feed(text.flush()) + stops.flush(), None, "length")
        finally:
            sampler.close()

    def twin(self) -> LlamaLocalModel:
        """A second reader of the same weights with a KV cache of its own: it reads another
        prompt side by side (the public side of logit fusion) without evicting this model's
        cache, and costs no second copy of the weights (on a GPU either). The first twin is
        the second sequence of this model's context (made anew for two, which drops what it
        had cached), so that ``next_pair`` and ``score_pair`` decode both in one batch; a
        model whose memory cannot drop a sequence's tail (recurrent ones), or a further twin,
        gets a context of its own. ``close`` of this model closes its twins too."""
        with self._lock:
            if self._paired is None and self._parent is None and self._can_pair():
                self._paired = self._make_twin(*self._pair_context())
                return self._paired
            params = self._llm.context_params
            ctx = _internals.LlamaContext(model=self._llm._model, params=params, verbose=False)
            return self._make_twin(ctx, 0, DecodeClock())

    def pairs_with(self, other: object) -> bool:
        """Whether ``other`` is the twin on this model's context (``next_pair`` batches it)."""
        return other is not None and other is self._paired

    def next_pair(
        self, prefix: Sequence[int], twin: LlamaLocalModel, twin_prefix: Sequence[int]
    ) -> tuple[TokenDistribution, TokenDistribution]:
        """``next_token_distribution`` of this model after ``prefix`` and of ``twin`` after
        ``twin_prefix``, decoded in one batch when that costs less (``PairTiming``)."""
        _require_prefix(prefix)
        _require_prefix(twin_prefix)
        if not self.pairs_with(twin):
            return self.next_token_distribution(prefix), twin.next_token_distribution(twin_prefix)
        last, twin_last = len(prefix) - 1, len(twin_prefix) - 1
        with self._lock:
            decode_pair(
                self.pair_timing, self._eval, prefix, [last], twin._eval, twin_prefix, [twin_last]
            )
            return (
                TokenDistribution.from_logits(self._eval.logits(last)),
                TokenDistribution.from_logits(twin._eval.logits(twin_last)),
            )

    def score_pair(
        self,
        prefix: Sequence[int],
        run: Sequence[int],
        twin: LlamaLocalModel,
        twin_prefix: Sequence[int],
        twin_run: Sequence[int],
    ) -> tuple[list[TokenDistribution], list[TokenDistribution]]:
        """``score_run`` of this model and of ``twin``, in one batch where it fits."""
        _require_prefix(prefix)
        _require_prefix(twin_prefix)
        if not self.pairs_with(twin):
            return self.score_run(prefix, run), twin.score_run(twin_prefix, twin_run)
        tokens, twin_tokens = [*prefix, *run], [*twin_prefix, *twin_run]
        want = list(range(len(prefix) - 1, len(tokens)))
        twin_want = list(range(len(twin_prefix) - 1, len(twin_tokens)))
        with self._lock:
            first, second = self._eval, twin._eval
            start, twin_start = first.start(tokens, want), second.start(twin_tokens, twin_want)
            first.decode_with(tokens, start, want, second, twin_tokens, twin_start, twin_want)
            return (
                [TokenDistribution.from_logits(first.logits(p)) for p in want],
                [TokenDistribution.from_logits(second.logits(p)) for p in twin_want],
            )

    def _can_pair(self) -> bool:
        model = self._llm._model.model
        return not (
            llama_cpp.llama_model_is_recurrent(model) or llama_cpp.llama_model_is_hybrid(model)
        )

    def _pair_context(self) -> tuple[_internals.LlamaContext, int, DecodeClock]:
        """This model's context made anew with room for two sequences of its size, each in a
        buffer of its own (a shared buffer changes a sequence's numbers with what the other
        holds: up to 0.5 logits measured); this model moves to sequence 0 of it. Returns it,
        the twin's sequence and the clock the two share."""
        params = type(self._llm.context_params).from_buffer_copy(self._llm.context_params)
        params.n_seq_max, params.kv_unified = 2, False
        params.n_ctx = 2 * self._eval.n_ctx
        ctx = _internals.LlamaContext(model=self._llm._model, params=params, verbose=False)
        clock = DecodeClock()
        old_ctx, old_eval = self._ctx, self._eval
        self._ctx, self._governor = ctx, self._govern(ctx)
        self._eval = Evaluator(
            ctx,
            old_eval.n_vocab,
            old_eval.n_ctx,
            old_eval.n_batch,
            self._governor.check,
            clock=clock,
        )
        old_eval.close()
        old_ctx.close()  # its KV cache is not needed any more
        return ctx, 1, clock

    def _make_twin(
        self, ctx: _internals.LlamaContext, seq: int, clock: DecodeClock
    ) -> LlamaLocalModel:
        twin = copy.copy(self)
        twin._ctx = ctx
        shared = ctx is self._ctx
        twin._governor = self._governor if shared else self._govern(ctx)
        twin._eval = Evaluator(
            ctx,
            self._eval.n_vocab,
            self._eval.n_ctx,
            self._eval.n_batch,
            twin._governor.check,
            seq=seq,
            clock=clock,
        )
        twin._lock = self._lock if shared else threading.RLock()
        twin._twins, twin._parent, twin._paired = [], self, None
        self._twins.append(twin)
        return twin

    @property
    def budget(self) -> ThreadBudget:
        return self._budget

    @property
    def threads(self) -> Threads:
        """The threads this model's context uses now (fewer while other programs are busy)."""
        return self._governor.current

    def use_threads(self, budget: ThreadBudget) -> None:
        """Follow another budget from the next decode on (the demo endpoint started or
        stopped, or the user changed the threads)."""
        with self._lock:
            self._budget = budget
            for model in (self, *self._twins):
                model._budget = budget
                if model is self or model._governor is not self._governor:
                    model._governor.retarget(budget.local, budget.cores, adaptive=budget.adaptive)

    def _govern(self, ctx: _internals.LlamaContext) -> ThreadGovernor:
        budget = self._budget
        return ThreadGovernor(ctx.ctx, budget.local, budget.cores, adaptive=budget.adaptive)

    def forget(self) -> None:
        """Empty this model's cache (its sequence only): the next prompt is read from the
        start. llama.cpp's numbers depend a little on how a prompt is split into batches, so
        runs that must repeat each other start from the same cache."""
        with self._lock:
            self._eval.reset()

    def close(self) -> None:
        """Free the model now (its ``__del__`` at interpreter exit can print a traceback)."""
        with self._lock:
            for twin in list(self._twins):
                twin.close()
            if self._parent is not None and self._ctx is self._parent._ctx:
                self._eval.reset()  # the parent's context keeps going without this sequence
            self._eval.close()
            if self._parent is None:
                self._ctx.close()  # the paired context, when there is one
                self._llm.close()
            else:
                if self._ctx is not self._parent._ctx:
                    self._ctx.close()
                else:
                    self._parent._paired = None
                if self in self._parent._twins:
                    self._parent._twins.remove(self)

    def __enter__(self) -> LlamaLocalModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers -----------------------------------------------------------------------

    def _make_info(self, path: Path, header: GgufHeader) -> ModelInfo:
        model = self._llm._model
        return ModelInfo(
            name=str(header.get("general.name") or path.stem),
            path=str(path),
            architecture=header.architecture,
            parameters=int(model.n_params()),
            quantization=_FTYPES.get(int(header.get("general.file_type", -1)), "unknown"),
            vocab_size=self.vocab.size,
            context_length=int(model.n_ctx_train()),
            context_size=self._eval.n_ctx,
            has_chat_template=bool(self._template),
            device=self._plan.device,
            device_note=self._plan.note,
            device_fallback=self._plan.fallback,
            threads=self._budget.local.generation,
            batch_threads=self._budget.local.batch,
            threads_note=self._budget.describe(),
            gpu_layers=self._plan.gpu_layers,
        )


def _load(
    path: Path, n_ctx: int, n_batch: tuple[int, int], threads: Threads, plan: DevicePlan
) -> tuple[Llama, DevicePlan]:
    """``n_batch``: the logical and the physical batch size."""
    try:
        return _llama(path, n_ctx, n_batch, threads, plan.gpu_layers), plan
    except (ValueError, RuntimeError) as exc:
        if plan.gpu_layers == 0:
            raise ModelFileError(
                f"llama.cpp could not load {path.name} ({exc}).",
                "The file may be damaged or made for a newer llama.cpp; choose another model.",
            ) from exc
        log.warning("GPU load failed, retrying on the CPU: %s", exc)
        note = f"{plan.device} load failed ({exc}); using the CPU"
        fallback = DevicePlan("CPU", 0, note, fallback=True)
        return _load(path, n_ctx, n_batch, threads, fallback)


def _llama(
    path: Path, n_ctx: int, n_batch: tuple[int, int], threads: Threads, gpu_layers: int
) -> Llama:
    return Llama(
        model_path=str(path),
        n_ctx=n_ctx,
        n_batch=n_batch[0],
        n_ubatch=n_batch[1],
        n_threads=threads.generation,
        n_threads_batch=threads.batch,
        n_gpu_layers=gpu_layers,
        verbose=False,
    )


def _require_prefix(tokens: Sequence[int]) -> None:
    if not tokens:
        raise ValueError("the prefix must hold at least one token (e.g. BOS)")
