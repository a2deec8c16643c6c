"""The ledger's queries over a real vault: per conversation, per day, refused requests."""

from __future__ import annotations

from cogenesis.core.egress import (
    EgressContext,
    EgressLedger,
    EgressTotals,
    GuardVerdict,
    OutgoingRequest,
)
from cogenesis.core.vault import Vault


def request(body: bytes) -> OutgoingRequest:
    return OutgoingRequest("https", "api.example.com", None, "POST", "/v1/chat", {}, body)


def sent(ledger: EgressLedger, body: bytes, conversation: int | None) -> int:
    record_id = ledger.start(request(body), EgressContext("private", conversation, "sketch"))
    ledger.append(record_id, b"ok")
    ledger.finish(record_id, status=200, headers={}, outcome="complete", duration_ms=5.0)
    return record_id


def test_queries_per_conversation_and_day_leave_refused_bytes_out(vault: Vault) -> None:
    ledger = EgressLedger(vault.db)
    first = vault.conversations.create("Trip").id
    second = vault.conversations.create("Letter").id
    sent(ledger, b"x" * 10, first)
    sent(ledger, b"y" * 30, second)
    sent(ledger, b"z" * 5, None)
    verdict = GuardVerdict(False, "it contains 1 x sensitive term")
    ledger.refused(request(b"w" * 100), EgressContext("private", first, "sketch"), verdict)

    assert [r.conversation_id for r in ledger.records(first)] == [first, first]
    assert ledger.records(first)[0].refused and ledger.records(first)[0].verdict == verdict.label
    assert ledger.totals(first).bytes_sent == 10 and ledger.totals(first).refused == 1
    [(day, requests, size)] = ledger.per_day(first)
    assert (requests, size) == (2, 10)  # the refused 100 bytes never left
    assert ledger.per_day()[0][1:] == (4, 45)
    assert day == ledger.records(first)[0].started_at[:10]
    assert ledger.per_conversation() == [(None, 1, 5), (first, 2, 10), (second, 1, 30)]


def test_totals_by_conversation_add_up_and_days_can_start_later(vault: Vault) -> None:
    ledger = EgressLedger(vault.db)
    trip = vault.conversations.create("Trip").id
    old = sent(ledger, b"a" * 7, trip)
    with vault.db.transaction() as conn:  # the ledger stamps 'now': move one back to 2020
        conn.execute(
            "UPDATE egress SET started_at = '2020-01-01T10:00:00+00:00' WHERE id = ?", (old,)
        )
    sent(ledger, b"b" * 11, trip)
    sent(ledger, b"c" * 13, None)
    verdict = GuardVerdict(False, "no")
    ledger.refused(request(b"d" * 17), EgressContext("private", None, "probe"), verdict)

    by_conversation = ledger.totals_by_conversation()
    assert by_conversation[trip] == ledger.totals(trip) == EgressTotals(2, 0, 18, 4)
    assert by_conversation[None] == EgressTotals(2, 1, 13, 2)
    assert sum(by_conversation.values(), EgressTotals()) == ledger.totals()
    assert ledger.per_day(trip)[0][0] == "2020-01-01"
    recent = ledger.per_day(trip, since="2020-01-02")
    assert len(recent) == 1 and recent[0][1:] == (1, 11)


def test_a_token_id_prompt_keeps_how_it_read_when_it_left(vault: Vault) -> None:
    ledger = EgressLedger(vault.db)
    body = b'{"prompt": [72, 105], "max_tokens": 1}'
    reader = EgressContext("private", None, "logit", token_text=lambda ids: bytes(ids).decode())
    with_ids = ledger.get(ledger.start(request(body), reader))
    assert with_ids.request_body == body  # the exact bytes, untouched
    assert with_ids.request_reading is not None and with_ids.text_sent.endswith("\nHi")
    text = ledger.get(ledger.start(request(b'{"prompt": "Hi"}'), reader))
    assert text.request_reading is None and text.text_sent == "── prompt ──\nHi"
    no_reader = ledger.get(ledger.start(request(body), EgressContext("private")))
    assert no_reader.request_reading is None and no_reader.text_sent.endswith("\n72 105")
    forced = b'{"prompt": [72], "grammar": "root ::= <[105]> <[33]> rest"}'
    held = ledger.get(ledger.start(request(forced), reader))
    assert held.text_sent.endswith(
        "── held by the grammar: 2 token ids, as the local model reads them ──\ni!"
    )
