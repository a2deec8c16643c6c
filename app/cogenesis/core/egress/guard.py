"""The guard callback the choke point asks before any byte leaves the device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cogenesis.core.egress.context import EgressContext


@dataclass(frozen=True)
class OutgoingRequest:
    """A request as it would go on the wire (Authorization already redacted)."""

    scheme: str
    host: str
    port: int | None
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class GuardVerdict:
    allowed: bool
    reason: str = ""

    @property
    def label(self) -> str:
        return "allowed" if self.allowed else f"refused: {self.reason}"


Guard = Callable[[OutgoingRequest, EgressContext], GuardVerdict]


def mode_guard(request: OutgoingRequest, context: EgressContext) -> GuardVerdict:
    """The privacy mode's first rule: offline sends nothing at all.

    Content checks (sensitive terms, vault runs) are layered on top by the privacy guard.
    """
    if context.privacy_mode == "offline":
        return GuardVerdict(False, "offline mode: nothing may leave the device")
    return GuardVerdict(True)
