"""The local model reading only what the remote reads: the baseline of the "shift" fusion rule.

The shift rule adds to the remote's distribution what the private context changes in the
local model's: ``remote + shift * (local with context - local without)``. The difference is
the context's effect as the small model sees it; the remote keeps its own fluency and
knowledge. When both sides are the same model the remote and the baseline cancel and the rule
gives the local model with context, so fusion cannot do worse than the local model alone there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cogenesis.core.llm import LocalScorer
from cogenesis.core.llm.distribution import FloatArray
from cogenesis.core.llm.pairs import next_both, runs_both


class PublicBaseline:
    """``scorer`` (a model with the local vocabulary) on the public prompt and the public
    version of the answer (``public``: placeholders for private terms; the answer itself
    without it)."""

    def __init__(
        self,
        scorer: LocalScorer,
        public_prompt: Sequence[int],
        public: Callable[[Sequence[int]], list[int]] | None = None,
    ) -> None:
        self._scorer = scorer
        self._prompt = list(public_prompt)
        self._public = public or list

    def reads(self, scorer: LocalScorer, public_prompt: Sequence[int]) -> bool:
        """Whether ``scorer`` on ``public_prompt`` gives this baseline's numbers (it is the
        same model on the same prompt)."""
        return scorer is self._scorer and list(public_prompt) == self._prompt

    def next(self, answer: Sequence[int]) -> FloatArray:
        """The baseline's log-probabilities of the token after ``answer``."""
        return self._scorer.next_token_distribution(self._prefix(answer)).logprobs

    def next_with(
        self, local: LocalScorer, prefix: Sequence[int], answer: Sequence[int]
    ) -> tuple[FloatArray, FloatArray]:
        """``local`` after ``prefix`` and the baseline after ``answer``, side by side (one
        batch where ``local`` pairs with the baseline's model)."""
        return next_both(local, prefix, self._scorer, self._prefix(answer))

    def score_run(self, answer: Sequence[int], run: Sequence[int]) -> list[FloatArray]:
        """The baseline at every position of ``run`` after ``answer`` (``len(run) + 1``)."""
        return [d.logprobs for d in self._scorer.score_run(self._prefix(answer), run)]

    def score_with(
        self, local: LocalScorer, prefix: Sequence[int], answer: Sequence[int], run: Sequence[int]
    ) -> tuple[list[FloatArray], list[FloatArray]]:
        """``local.score_run(prefix, run)`` and ``score_run(answer, run)`` side by side."""
        return runs_both(local, prefix, run, self._scorer, self._prefix(answer), run)

    def _prefix(self, answer: Sequence[int]) -> list[int]:
        return [*self._prompt, *self._public(answer)]
