"""Grammars in llama.cpp's GBNF that hold a completion to given token ids, then let it go on.

``<[id]>`` names one token of the model's vocabulary (llama.cpp's grammar syntax), so the
completion takes exactly those ids, not another spelling of the same text."""

from __future__ import annotations

from collections.abc import Sequence

from cogenesis.core.egress.body import token_reference


def held_to(ids: Sequence[int]) -> str:
    """A grammar whose completions start with exactly ``ids``; anything may follow, an end
    included."""
    held = " ".join(token_reference(i) for i in ids) or '""'
    return f"root ::= {held} rest\nrest ::= [^\\x00]*"
