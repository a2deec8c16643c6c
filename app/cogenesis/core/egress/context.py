"""Which conversation and privacy mode an outgoing request belongs to (a context variable).

The strategy that makes a call sets it; the choke point reads it for the guard and ledger.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class EgressContext:
    privacy_mode: str = "offline"
    conversation_id: int | None = None
    purpose: str = ""


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
