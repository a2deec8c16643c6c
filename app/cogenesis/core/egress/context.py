"""Which conversation and privacy mode an outgoing request belongs to (a context variable).

The strategy that makes a call sets it; the choke point reads it for the guard and ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# Reads token ids as the text they spell (the local model's detokenizer).
TokenText = Callable[[Sequence[int]], str]


@dataclass(frozen=True)
class EgressContext:
    privacy_mode: str = "offline"
    conversation_id: int | None = None
    purpose: str = ""
    # Reads a token-id prompt as text, so that the guard can check it (the local model's
    # detokenizer); a request with token ids and no reader is refused.
    token_text: TokenText | None = None


def probe_context(privacy_mode: str) -> EgressContext:
    """The context of a capability probe: its token ids ([1, 2, 3], and those a grammar holds)
    are not user text, so the guard reads them as numbers, each on its own ("#1 #2 #3": ids
    run together are a long number to the PII detector)."""
    return EgressContext(privacy_mode, None, "probe", token_text=_numbers)


def _numbers(ids: Sequence[int]) -> str:
    return " ".join(f"#{i}" for i in ids)


_CURRENT: ContextVar[EgressContext] = ContextVar("egress_context")
_DEFAULT = EgressContext()  # offline: a call made outside any context sends nothing


def current_context() -> EgressContext:
    return _CURRENT.get(_DEFAULT)


@contextmanager
def egress_context(context: EgressContext) -> Iterator[EgressContext]:
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)
