"""Drafts for run verification: a local guess of the fused continuation.

The remote's top-k is unknown until it is asked, so the draft fuses the local model's
distribution (private prompt) with a stand-in for the remote: a local model reading only the
public prompt, the same text the remote reads. Where the stand-in predicts the remote well,
one remote call verifies many tokens, disagreements included. A wrong guess costs nothing but
local time: the walk checks every draft token against the remote's real top-k.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from cogenesis.core.collab.baseline import PublicBaseline
from cogenesis.core.collab.fusion import FusionConfig, choose, fuse
from cogenesis.core.collab.noise import SampleNoise
from cogenesis.core.llm import LocalScorer
from cogenesis.core.llm.distribution import FloatArray, TokenDistribution
from cogenesis.core.llm.pairs import next_both


class DraftView(Protocol):
    """What branch points and draft odds read of a draft."""

    @property
    def tokens(self) -> list[int]: ...

    def guess(self, j: int) -> int:
        """The twin's own choice at position ``j``."""

    def twin_probability(self, j: int) -> float:
        """The twin's probability of the draft's token at ``j``."""


@dataclass
class ScoredDraft:
    """A draft with what drafting computed on the way: at each position ``j`` (the text after
    the answer and ``tokens[:j]``), the private model's log-probabilities and the public
    twin's. The twin's are the shift rule's baseline there; both are reused by the walk."""

    tokens: list[int] = field(default_factory=list)
    private: list[FloatArray] = field(default_factory=list)
    public: list[FloatArray] = field(default_factory=list)

    def after(self, taken: int) -> ScoredDraft:
        """What is left of the draft once the answer has taken its first ``taken`` tokens."""
        return ScoredDraft(self.tokens[taken:], self.private[taken:], self.public[taken:])

    def guess(self, j: int) -> int:
        """The twin's greedy token at position ``j``: its guess of the remote's choice."""
        return int(np.argmax(self.public[j]))

    def twin_probability(self, j: int) -> float:
        """How likely the twin thinks the draft's own token at ``j`` is."""
        return float(np.exp(self.public[j][self.tokens[j]]))


class TwinDrafter:
    """Greedy fusion of ``private`` (on ``prompt``) with ``twin`` (on ``public_prompt``)."""

    def __init__(
        self,
        private: LocalScorer,
        prompt: Sequence[int],
        twin: LocalScorer,
        public_prompt: Sequence[int],
        end_ids: frozenset[int],
        config: FusionConfig,
        top_k: int = 10,
        public: Callable[[Sequence[int]], list[int]] | None = None,
        noise: SampleNoise | None = None,
    ) -> None:
        """``public``: the answer as the remote reads it (placeholders for private terms), so
        that the stand-in reads what the remote reads; the answer itself without it.
        ``noise``: a sampled answer's, so that the draft is sampled as the walk will be
        (greedy without it)."""
        self._private, self._prompt = private, list(prompt)
        self._twin, self._public = twin, list(public_prompt)
        self._end_ids = end_ids
        self._config = config
        self._k = top_k
        self._public_answer = public or list
        self._noise = noise
        self.drafted = 0

    def draft(self, answer: Sequence[int], length: int) -> list[int]:
        """Up to ``length`` guessed tokens after ``answer``; stops before an end token."""
        return self.scored_draft(answer, length).tokens

    def gives_baseline(self, baseline: PublicBaseline) -> bool:
        """Whether the twin's numbers here are ``baseline``'s (same model, same prompt)."""
        return baseline.reads(self._twin, self._public)

    def scored_draft(
        self,
        answer: Sequence[int],
        length: int,
        keep_going: Callable[[ScoredDraft], bool] | None = None,
        start: ScoredDraft | None = None,
    ) -> ScoredDraft:
        """Up to ``length`` guessed tokens after ``answer`` with both models' log-probabilities
        at each position (one more than the tokens where drafting stopped at an end token);
        ``keep_going`` may stop it earlier (asked after each token). ``start``: a draft
        already made after ``answer`` (``ScoredDraft.after``), its numbers reused."""
        draft = ScoredDraft()
        if start is not None:
            keep = min(len(start.tokens), length)
            draft = ScoredDraft(
                start.tokens[:keep], start.private[: keep + 1], start.public[: keep + 1]
            )
        while len(draft.tokens) < length:
            if draft.tokens and keep_going is not None and not keep_going(draft):
                break
            j = len(draft.tokens)
            if j == len(draft.private):  # not computed yet
                written = [*answer, *draft.tokens]
                # the twin reads what the remote would: the public version of the answer so far
                local, guess = self._dists(written, self._public_answer(written))
                draft.private.append(local)
                draft.public.append(guess)
            token = self._choose(draft.private[j], draft.public[j], [*answer, *draft.tokens])
            if token in self._end_ids:
                break
            draft.tokens.append(token)
        self.drafted += len(draft.tokens)
        return draft

    def one_more(self, answer: Sequence[int], draft: ScoredDraft) -> Callable[[], None]:
        """The job of adding to ``draft`` both models' numbers at the position after its last
        token (what the walk reads first when the answer takes the whole draft), to run while
        the remote is asked; the public version of the text is read here, in the caller's
        thread. Nothing to do where drafting stopped at an end token."""
        if len(draft.private) > len(draft.tokens):
            return lambda: None
        written = [*answer, *draft.tokens]
        seen = self._public_answer(written)

        def job() -> None:
            local, guess = self._dists(written, seen)
            draft.private.append(local)
            draft.public.append(guess)

        return job

    def _dists(self, answer: list[int], seen: list[int]) -> tuple[FloatArray, FloatArray]:
        return next_both(
            self._private, [*self._prompt, *answer], self._twin, [*self._public, *seen]
        )

    def _choose(self, local: FloatArray, guess: FloatArray, history: list[int]) -> int:
        top = TokenDistribution(guess).top(self._k)
        fused = fuse(local, top, self._config, baseline=guess)  # the stand-in reads public text
        return choose(fused, local, top, self._end_ids, self._config, self._noise, history)
