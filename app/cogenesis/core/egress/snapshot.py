"""Everything the "what left this device" panel shows, read in one go (off the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cogenesis.core.egress.ledger import EgressLedger, EgressRecord, EgressTotals
from cogenesis.core.vault.vault import Vault


@dataclass(frozen=True)
class LedgerSnapshot:
    """The newest records (of one conversation, or all), totals per conversation, titles,
    and bytes sent per day from ``since``."""

    conversation_id: int | None
    records: list[EgressRecord]
    totals_by_conversation: dict[int | None, EgressTotals]
    titles: dict[int, str]
    per_day: list[tuple[str, int, int]]

    @property
    def totals(self) -> EgressTotals:
        """The chosen conversation's totals, or everything's."""
        if self.conversation_id is None:
            return sum(self.totals_by_conversation.values(), EgressTotals())
        return self.totals_by_conversation.get(self.conversation_id, EgressTotals())


def read_snapshot(
    vault: Vault, conversation_id: int | None, since: date, limit: int = 500
) -> LedgerSnapshot:
    """Read the ledger of ``vault``; raises VaultLocked when it is (or becomes) locked."""
    ledger = EgressLedger(vault.db)
    return LedgerSnapshot(
        conversation_id,
        ledger.records(conversation_id, limit=limit),
        ledger.totals_by_conversation(),
        {c.id: c.title for c in vault.conversations.all()},
        ledger.per_day(conversation_id, since=since.isoformat()),
    )
