"""Everything that leaves the device: the guard that may refuse it, the ledger that records it."""

from cogenesis.core.egress.body import readable_body
from cogenesis.core.egress.context import (
    EgressContext,
    current_context,
    egress_context,
    probe_context,
)
from cogenesis.core.egress.guard import Guard, GuardVerdict, OutgoingRequest, mode_guard
from cogenesis.core.egress.ledger import EgressLedger, EgressRecord, EgressTotals
from cogenesis.core.egress.snapshot import LedgerSnapshot, read_snapshot
from cogenesis.core.egress.summary import daily_series, format_bytes

__all__ = [
    "EgressContext",
    "EgressLedger",
    "EgressRecord",
    "EgressTotals",
    "Guard",
    "GuardVerdict",
    "LedgerSnapshot",
    "OutgoingRequest",
    "current_context",
    "daily_series",
    "egress_context",
    "format_bytes",
    "mode_guard",
    "probe_context",
    "read_snapshot",
    "readable_body",
]
