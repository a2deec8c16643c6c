"""Will a model fit this machine? File size plus KV cache against available memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cogenesis.core.llm.gguf import GgufHeader

Verdict = Literal["fits", "may be slow", "won't fit"]
_OVERHEAD = 300 * 1024 * 1024  # compute buffers and runtime, measured on small models


@dataclass(frozen=True)
class FitHint:
    verdict: Verdict
    needed_bytes: int
    available_bytes: int

    def describe(self) -> str:
        gib = 1024**3
        return (
            f"{self.verdict}: needs about {self.needed_bytes / gib:.1f} GiB, "
            f"{self.available_bytes / gib:.1f} GiB available"
        )


def kv_cache_bytes(header: GgufHeader, context_size: int) -> int:
    """f16 K and V for every layer: 2 * layers * context * kv_heads * head_dim * 2 bytes."""
    layers = int(header.arch_value("block_count", 0) or 0)
    embd = int(header.arch_value("embedding_length", 0) or 0)
    heads = int(header.arch_value("attention.head_count", 1) or 1)
    kv_heads = int(header.arch_value("attention.head_count_kv", heads) or heads)
    head_dim = int(header.arch_value("attention.key_length", embd // max(heads, 1)) or 0)
    return 2 * layers * context_size * kv_heads * head_dim * 2


def estimate_memory(file_size: int, header: GgufHeader, context_size: int) -> int:
    return file_size + kv_cache_bytes(header, context_size) + _OVERHEAD


def fit_hint(needed: int, available: int) -> FitHint:
    """Fits under 70 % of available memory; may be slow (swapping) up to 100 %."""
    if needed <= 0.7 * available:
        verdict: Verdict = "fits"
    elif needed <= available:
        verdict = "may be slow"
    else:
        verdict = "won't fit"
    return FitHint(verdict, needed, available)
