"""Next-token distributions as log-probabilities over a vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # numpy is imported on first use: the window's modules import this one
    import numpy as np
    import numpy.typing as npt

FloatArray: TypeAlias = "npt.NDArray[np.float32]"


def log_softmax(logits: npt.NDArray[np.floating], axis: int = -1) -> FloatArray:
    """Numerically stable log-softmax, computed in float64 and returned as float32."""
    import numpy as np

    values = np.asarray(logits, dtype=np.float64)
    shifted = values - values.max(axis=axis, keepdims=True)
    result: FloatArray = (shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))).astype(
        np.float32
    )
    return result


@dataclass(frozen=True)
class TokenDistribution:
    """Log-probabilities of the next token: over the whole vocabulary, or its top k.

    ``token_ids`` is None for a full distribution (index = token id); otherwise it lists the
    ids whose log-probabilities ``logprobs`` holds, most likely first.
    """

    logprobs: FloatArray
    token_ids: npt.NDArray[np.int32] | None = None

    @classmethod
    def from_logits(
        cls, logits: npt.NDArray[np.floating], top_k: int | None = None
    ) -> TokenDistribution:
        full = log_softmax(logits)
        return cls(full) if top_k is None else cls.full_to_top_k(full, top_k)

    @classmethod
    def full_to_top_k(cls, full: FloatArray, k: int) -> TokenDistribution:
        import numpy as np

        k = max(1, min(k, full.shape[-1]))
        part = np.argpartition(-full, k - 1)[:k]
        ids: npt.NDArray[np.int32] = part[np.argsort(-full[part], kind="stable")].astype(np.int32)
        return cls(full[ids], ids)

    @property
    def is_full(self) -> bool:
        return self.token_ids is None

    def top(self, k: int) -> list[tuple[int, float]]:
        """The k most likely (token id, log-probability) pairs."""
        if self.token_ids is None:
            reduced = self.full_to_top_k(self.logprobs, k)
            assert reduced.token_ids is not None
            return list(zip(reduced.token_ids.tolist(), reduced.logprobs.tolist(), strict=True))
        return list(zip(self.token_ids[:k].tolist(), self.logprobs[:k].tolist(), strict=True))

    def argmax(self) -> int:
        return self.top(1)[0][0]
