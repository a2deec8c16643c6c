"""The remote side of logit fusion over token ids, for a remote that shares the local model's
vocabulary and reads token-id prompts (vLLM, llama.cpp's server, OpenAI's legacy completions).

The remote then conditions on exactly the ids accepted, with no re-tokenization of a text
prefix, so greedy run verification gives the same answer as per-token fusion. The ids sent
are still only the public prompt and the public version of the accepted answer (and draft):
where the sanitizer changes the text, the rewritten stretch is tokenized again
(``public_ids``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence

from cogenesis.core.collab.public_ids import PublicIds
from cogenesis.core.collab.remote_runs import RemoteSide, TextRuns, stopped_early
from cogenesis.core.collab.runs import RemotePosition
from cogenesis.core.llm import ChatMessage, LocalModel
from cogenesis.core.remote import RemoteToken, TokenIdRemote, TokenRun

# Public text whose tokens are compared, one by one, with the remote's echo of them (ASCII:
# servers spell the pieces of a split character differently).
VOCABULARY_PROBE = "The quick brown fox jumps over the lazy dog: 12,345 items, <b>ok</b> (x_y)\n"
MIN_VOCABULARY_PAIRS = 32  # (id, text) pairs that must all agree when there is no echo
_SHARED: weakref.WeakKeyDictionary[object, dict[str, bool]] = weakref.WeakKeyDictionary()


def shares_vocabulary(remote: TokenIdRemote, local: LocalModel) -> bool:
    """Whether the remote reads the local model's ids as the same text (asked once per remote
    and vocabulary: one short call with the probe text)."""
    known = _SHARED.setdefault(remote, {})
    fingerprint = local.vocabulary_fingerprint()
    if fingerprint not in known:
        ids = local.tokenize(VOCABULARY_PROBE)
        if remote.scores_drafts():  # echo: the remote spells the very ids sent
            known[fingerprint] = remote.echo_pieces(ids) == [local.detokenize([i]) for i in ids]
        else:  # the ids and texts it names in a short continuation, alternatives included
            pairs = [(i, t) for i, t in remote.vocabulary_pairs(ids) if t and t.isascii()]
            same = all(local.detokenize([i]) == t for i, t in pairs)
            known[fingerprint] = len(pairs) >= MIN_VOCABULARY_PAIRS and same
    return known[fingerprint]


class IdRuns(RemoteSide):
    """``RemoteRuns`` over token ids of the local vocabulary."""

    def __init__(
        self,
        remote: TokenIdRemote,
        local: LocalModel,
        messages: Sequence[ChatMessage],
        sanitize: Callable[[str], str],
        top_k: int = 10,
    ) -> None:
        super().__init__(remote, local, sanitize, top_k)
        self._remote = remote
        self._drafts = remote.scores_drafts()  # without echo a draft cannot be scored
        self._lists = _takes_lists(remote)
        self._forces = _forces(remote)
        self.prompt_ids = local.tokenize(remote.render_prompt(messages, ""), special=True)
        self._publics = PublicIds(local, sanitize)

    def run(
        self, answer: Sequence[int], length: int, draft: Sequence[int] = ()
    ) -> list[RemotePosition]:
        prefix = self._public(answer)
        if not self._drafts:
            draft = ()  # plain runs only
        scored = list(draft[: self._sendable(answer, prefix, draft)])
        result = self._count(
            self._remote.continue_ids(
                [*self.prompt_ids, *prefix, *scored],
                max_tokens=length,
                top_k=self._k,
                scored=len(scored),
            )
        )
        return self._kept(answer, prefix, result, length)

    @property
    def takes_branches(self) -> bool:
        """Whether several branches can be continued in one request."""
        return self._lists

    @property
    def takes_forced(self) -> bool:
        """Whether a draft can be scored by holding a completion to it (a grammar)."""
        return self._forces

    def forced(
        self, answer: Sequence[int], draft: Sequence[int], length: int
    ) -> list[RemotePosition]:
        """One request held to ``draft`` (up to its first private term) by a grammar, then
        free for ``length`` tokens: the remote's top-k at every draft position, as echo would
        give, and its own run after it."""
        prefix = self._public(answer)
        held = list(draft[: self._sendable(answer, prefix, draft)])
        asked = len(held) + length
        result = self._count(
            self._remote.force_ids(
                [*self.prompt_ids, *prefix], held, max_tokens=asked, top_k=self._k
            )
        )
        return self._kept(answer, prefix, result, asked)

    def branches(
        self, answer: Sequence[int], drafts: Sequence[Sequence[int]], length: int
    ) -> list[tuple[list[int], list[RemotePosition]]]:
        """Continue ``answer + d`` for each ``d`` of ``drafts`` in one request, up to
        ``length`` tokens each: (``d``, its run) per draft. Each goes as per-token fusion would
        send it if the answer came to read ``answer + d``: its public version (placeholders
        for private terms); drafts with the same public version share one prompt."""
        public = [self._public([*answer, *d]) for d in drafts]
        unique = list(dict.fromkeys(tuple(p) for p in public))
        results = self._remote.continue_id_lists(
            [[*self.prompt_ids, *p] for p in unique], max_tokens=length, top_k=self._k
        )
        self.calls += 1
        self.billed_tokens += sum(r.prompt_tokens + r.completion_tokens for r in results)
        by_prompt = dict(zip(unique, results, strict=True))
        return [
            (list(d), self._kept([*answer, *d], p, by_prompt[tuple(p)], length))
            for d, p in zip(drafts, public, strict=True)
        ]

    def _kept(
        self, answer: Sequence[int], prefix: list[int], result: TokenRun, length: int
    ) -> list[RemotePosition]:
        """The run's positions that per-token fusion would also have asked about, with the
        end the server stopped at (when it did not list it)."""
        positions = self._positions(result)
        whole = len(positions) == len(result.tokens)
        kept = self._as_sent(answer, prefix, [p.token for p in positions])
        positions = positions[:kept]
        ends = self._local.end_ids()
        shown_end = any(p.token in ends for p in positions)
        if whole and kept and not shown_end and stopped_early(result, length):
            positions += self._end_position()  # the server stopped at an end it did not list
        return positions

    def _sendable(self, answer: Sequence[int], prefix: list[int], draft: Sequence[int]) -> int:
        """How much of the draft can go as it is: up to its first private term."""
        if not draft or self._public([*answer, *draft]) == [*prefix, *draft]:
            return len(draft)
        changed = self._first_change(answer, prefix, draft)
        return (changed or len(draft)) - 1

    def _as_sent(self, answer: Sequence[int], prefix: list[int], run: list[int]) -> int:
        """How many run positions per-token fusion would also ask about: position i holds
        when the public ids of ``answer + run[:i]`` are ``prefix + run[:i]``. Past a run token
        that completes a private term, per-token fusion would send a placeholder instead, so
        the run is cut there (the next call sends the placeholder). Once the answer holds a
        placeholder, every position is checked (a rewritten stretch is tokenized afresh)."""
        unchanged = prefix == list(answer)
        if not run or (unchanged and self._public([*answer, *run]) == [*prefix, *run]):
            return len(run)  # nothing private in the answer or the run (checked once)
        return self._first_change(answer, prefix, run) or len(run)

    def _first_change(
        self, answer: Sequence[int], prefix: list[int], tokens: Sequence[int]
    ) -> int | None:
        """The first ``i`` (from 1, below ``len(tokens)``) whose public ids of
        ``answer + tokens[:i]`` are not ``prefix + tokens[:i]``; None if there is none."""
        for i in range(1, len(tokens)):
            if self._public([*answer, *tokens[:i]]) != [*prefix, *tokens[:i]]:
                return i
        return None

    def _public(self, tokens: Sequence[int]) -> list[int]:
        return self.public(tokens)

    def public(self, tokens: Sequence[int]) -> list[int]:
        """The ids the cloud may see for ``tokens``: themselves where sanitizing left the
        text alone, the public text's ids where it did not (``PublicIds``: the walk, the
        drafts and the twin ask for the same prefixes again and again)."""
        return self._publics(tokens)

    def _positions(self, result: TokenRun) -> list[RemotePosition]:
        positions: list[RemotePosition] = []
        for token in result.tokens:
            position = self._position(token)
            if position is None:
                self.unmapped += 1
                break  # nothing to fuse with from here on: the run stops
            positions.append(position)
        return positions

    def _position(self, token: RemoteToken) -> RemotePosition | None:
        if token.token_id is not None:
            return RemotePosition(token.token_id, token.top_ids)
        spelled, top = self._align.spell(token.text), self._align.top(token.top)
        if len(spelled) != 1 or not top:
            return None  # a server that names tokens by text: one token must be one id
        return RemotePosition(spelled[0], tuple(top))


def _forces(remote: TokenIdRemote) -> bool:
    forces = getattr(remote, "forces_drafts", None)
    return bool(forces is not None and forces())


def _takes_lists(remote: TokenIdRemote) -> bool:
    takes = getattr(remote, "takes_prompt_lists", None)
    return bool(takes is not None and takes())


def remote_runs(
    remote: object,
    local: LocalModel,
    messages: Sequence[ChatMessage],
    sanitize: Callable[[str], str],
) -> IdRuns | TextRuns:
    """Token ids where the remote reads them and shares the local vocabulary; text otherwise.
    The vocabulary check, when this answer made it, counts as one of its calls."""
    takes_ids = getattr(remote, "takes_token_ids", None)
    asked = False
    if takes_ids is not None and takes_ids():
        asked = local.vocabulary_fingerprint() not in _SHARED.get(remote, {})
        if shares_vocabulary(remote, local):  # type: ignore[arg-type]
            runs: IdRuns | TextRuns = IdRuns(remote, local, messages, sanitize)  # type: ignore[arg-type]
            runs.calls += asked
            return runs
    runs = TextRuns(remote, local, messages, sanitize=sanitize)  # type: ignore[arg-type]
    runs.calls += asked
    return runs
