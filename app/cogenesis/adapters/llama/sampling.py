"""llama.cpp's native sampler chain (top-k, top-p, temperature, seeded draw, or greedy)."""

from __future__ import annotations

import secrets

import llama_cpp
from llama_cpp import _internals

from cogenesis.core.llm import GenerationParams


def build_sampler(params: GenerationParams) -> _internals.LlamaSampler:
    sampler = _internals.LlamaSampler()
    if params.temperature <= 0:
        sampler.add_greedy()
        return sampler
    if params.top_k > 0:
        sampler.add_top_k(params.top_k)
    if 0 < params.top_p < 1:
        sampler.add_top_p(params.top_p, 1)
    sampler.add_temp(params.temperature)
    sampler.add_dist(params.seed if params.seed is not None else secrets.randbits(31))
    return sampler


def sample(sampler: _internals.LlamaSampler, ctx: _internals.LlamaContext, row: int) -> int:
    """Draw the next token from the logits in ``row`` of the last decode."""
    return int(llama_cpp.llama_sampler_sample(sampler.sampler, ctx.ctx, row))
