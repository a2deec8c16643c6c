"""One read of everything the egress panel shows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cogenesis.core.egress import EgressContext, EgressLedger, EgressTotals, read_snapshot
from cogenesis.core.errors import VaultLocked
from cogenesis.core.vault import Vault
from tests.core.egress.test_ledger import request, sent


def today() -> date:
    """The day in UTC now (taken when it is needed: a suite can run across midnight)."""
    return datetime.now(UTC).date()


def test_snapshot_of_all_and_of_one_conversation(vault: Vault) -> None:
    ledger = EgressLedger(vault.db)
    trip = vault.conversations.create("Trip").id
    sent(ledger, b"a" * 10, trip)
    sent(ledger, b"b" * 20, None)
    TODAY = today()  # noqa: N806  (the day the records were written)
    everything = read_snapshot(vault, None, TODAY - timedelta(days=13))
    assert len(everything.records) == 2 and everything.titles == {trip: "Trip"}
    assert everything.totals == EgressTotals(2, 0, 30, 4) == ledger.totals()
    assert everything.per_day == [(TODAY.isoformat(), 2, 30)]
    one = read_snapshot(vault, trip, TODAY, limit=1)
    assert [r.conversation_id for r in one.records] == [trip]
    assert one.totals == EgressTotals(1, 0, 10, 2) and one.per_day == [(TODAY.isoformat(), 1, 10)]
    assert read_snapshot(vault, None, TODAY + timedelta(days=1)).per_day == []


def test_a_locked_vault_cannot_be_read(vault: Vault) -> None:
    EgressLedger(vault.db).start(request(b"x"), EgressContext("private", None, "probe"))
    vault.lock()
    with pytest.raises(VaultLocked):
        read_snapshot(vault, None, today())
