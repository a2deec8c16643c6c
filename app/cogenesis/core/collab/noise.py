"""The randomness of a sampled fused answer, fixed per position.

Sampling adds Gumbel noise to the fused scores and takes the largest (the Gumbel-max trick: a
draw from their softmax). The noise at answer position ``p`` depends only on the answer's seed
and ``p``, so a position gets the same token from the same distribution whichever method asks
(per-token fusion, runs, branches): with a seed, a sampled answer is as reproducible as a
greedy one. And a draft sampled with the same noise, from a distribution close to the fused
one, is the walk's own sample nearly wherever the twin predicts the remote well: sampled
answers cost about as few remote calls as greedy ones (independent draws for the draft and
the walk agree far less often).
"""

from __future__ import annotations

import secrets
from collections import OrderedDict

import numpy as np
import numpy.typing as npt

KEPT = 8  # positions whose noise is kept (the draft and the walk ask for the same ones)


class SampleNoise:
    def __init__(self, seed: int | None = None) -> None:
        """``seed``: the answer's (a new one when None)."""
        self.seed = seed if seed is not None else secrets.randbits(63)
        self._kept: OrderedDict[tuple[int, int], npt.NDArray[np.float64]] = OrderedDict()

    def gumbel(self, position: int, size: int) -> npt.NDArray[np.float64]:
        """Standard Gumbel noise for every token at answer position ``position``."""
        key = (position, size)
        found = self._kept.get(key)
        if found is None:
            uniform = np.random.default_rng([self.seed, position]).random(size)
            with np.errstate(divide="ignore"):
                found = -np.log(-np.log(uniform))
            self._kept[key] = found
            if len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return found
