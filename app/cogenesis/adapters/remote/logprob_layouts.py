"""Completion log-probabilities in the two layouts servers send.

- The legacy OpenAI layout (OpenAI, vLLM, llama-cpp-python): ``logprobs.tokens``,
  ``logprobs.token_logprobs`` and ``logprobs.top_logprobs`` (one ``{text: logprob}`` per
  position).
- The chat layout inside a completion (llama.cpp's ``llama-server``): ``logprobs.content``, a
  list of ``{id, token, logprob, top_logprobs: [{id, token, logprob}]}``; it names token ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Position:
    """One position: its token, log-probability and alternatives (with ids where given)."""

    text: str
    logprob: float
    top: dict[str, float]
    token_id: int | None = None
    top_ids: tuple[tuple[int, float], ...] = ()


def positions(logprobs: Any) -> list[Position] | None:
    """The positions of a completion choice's ``logprobs``, in either layout; None when it
    holds none."""
    if logprobs is None:
        return None
    content = _field(logprobs, "content")
    if content:
        return [_content_position(item) for item in content]
    tokens, top = _field(logprobs, "tokens"), _field(logprobs, "top_logprobs")
    if tokens is None or top is None:
        return None
    values = _field(logprobs, "token_logprobs") or []
    return [
        Position(text, float(lp) if lp is not None else float("-inf"), dict(alternatives or {}))
        for text, lp, alternatives in zip(tokens, values, top, strict=False)
    ]


def top_count(logprobs: Any) -> int:
    """How many alternatives the first position has (0: none)."""
    found = positions(logprobs)
    return len(found[0].top) if found else 0


def id_pairs(logprobs: Any) -> list[tuple[int, str]]:
    """(id, text) of every token the chat layout names, chosen and alternatives."""
    pairs = []
    content = _field(logprobs, "content") if logprobs is not None else None
    for item in content or []:
        for named in (item, *(_field(item, "top_logprobs") or [])):
            token_id, text = _field(named, "id"), _field(named, "token")
            if token_id is not None and text is not None:
                pairs.append((int(token_id), str(text)))
    return pairs


def _content_position(item: Any) -> Position:
    top = _field(item, "top_logprobs") or []
    ranked = [(str(_field(t, "token")), float(_field(t, "logprob"))) for t in top]
    ids = tuple(
        (int(_field(t, "id")), float(_field(t, "logprob")))
        for t in top
        if _field(t, "id") is not None
    )
    token_id = _field(item, "id")
    return Position(
        str(_field(item, "token")),
        float(_field(item, "logprob")),
        dict(ranked),
        int(token_id) if token_id is not None else None,
        ids if len(ids) == len(top) else (),
    )


def _field(item: Any, name: str) -> Any:
    """A field of a parsed model or of a plain dict (the SDK keeps unknown fields as dicts)."""
    if isinstance(item, dict):
        return item.get(name)
    return getattr(item, name, None)
