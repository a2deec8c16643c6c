"""Drafts for run verification: a local guess of the fused continuation.

The remote's top-k is unknown until it is asked, so the draft fuses the local model's
distribution (private prompt) with a stand-in for the remote: a local model reading only the
public prompt, the same text the remote reads. Where the stand-in predicts the remote well,
one remote call verifies many tokens, disagreements included. A wrong guess costs nothing but
local time: the walk checks every draft token against the remote's real top-k.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from cogenesis.core.collab.fusion import FusionConfig, TopK, choose, fuse
from cogenesis.core.llm import LocalScorer
from cogenesis.core.llm.distribution import FloatArray


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
    ) -> None:
        """``public``: the answer as the remote reads it (placeholders for private terms), so
        that the stand-in reads what the remote reads; the answer itself without it."""
        self._private, self._prompt = private, list(prompt)
        self._twin, self._public = twin, list(public_prompt)
        self._end_ids = end_ids
        self._config = config
        self._k = top_k
        self._public_answer = public or list
        self.drafted = 0

    def draft(self, answer: Sequence[int], length: int) -> list[int]:
        """Up to ``length`` guessed tokens after ``answer``; stops before an end token."""
        tokens: list[int] = []
        seen = self._public_answer(answer)  # once per draft: the draft itself is guessed text
        for _ in range(length):
            token = self._next([*answer, *tokens], [*seen, *tokens])
            if token in self._end_ids:
                break
            tokens.append(token)
        self.drafted += len(tokens)
        return tokens

    def _next(self, answer: list[int], seen: list[int]) -> int:
        local = self._private.next_token_distribution([*self._prompt, *answer]).logprobs
        guess = self._twin.next_token_distribution([*self._public, *seen]).logprobs
        top = _top_k(guess, self._k)
        fused = fuse(local, top, self._config, baseline=guess)  # the stand-in reads public text
        return choose(fused, local, top, self._end_ids, self._config, history=answer)


def _top_k(logprobs: FloatArray, k: int) -> TopK:
    ids = np.argsort(-logprobs)[:k]
    return [(int(i), float(logprobs[i])) for i in ids]
