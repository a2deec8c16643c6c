"""Every request passes the guard and is recorded byte for byte; refused ones never leave."""

from __future__ import annotations

import json

import pytest

from cogenesis.core.egress import (
    EgressContext,
    EgressLedger,
    GuardVerdict,
    OutgoingRequest,
    egress_context,
)
from cogenesis.core.errors import PrivacyViolation
from cogenesis.core.llm import ChatMessage
from cogenesis.core.vault import Vault
from devsupport.fault_proxy import FaultProxy
from tests.adapters.remote.conftest import RemoteFactory

HELLO = [ChatMessage("user", "Say hello in three words.")]


def test_ledger_holds_exactly_what_the_server_received(
    proxy: FaultProxy, make_remote: RemoteFactory, ledger: EgressLedger, private_mode: EgressContext
) -> None:
    remote = make_remote(proxy.base_url)
    text = "".join(d.text for d in remote.stream_chat(HELLO, max_tokens=8))
    remote.continue_run(HELLO, "Hello", max_tokens=3, top_k=3)
    records = list(reversed(ledger.records()))
    assert [r.path for r in records] == [p for p, _, _ in proxy.received]
    for record, (_path, body, headers) in zip(records, proxy.received, strict=True):
        assert record.request_body == body  # the exact bytes, not a re-serialisation
        assert record.outcome == "complete" and record.status == 200
        assert record.privacy_mode == "private" and record.purpose == "test"
        assert {k.lower(): v for k, v in headers.items()}[
            "authorization"
        ] == "Bearer sk-test-SECRET-123"
        assert record.request_headers["authorization"] == "[redacted]"  # …but is never kept
        sent = [k.lower() for k in headers]
        assert not [k for k in sent if k.startswith("x-stainless")]  # OS, CPU, Python: not sent
        assert sorted(k.lower() for k in record.request_headers) == sorted(sent)
    streamed = records[0].response_body or b""
    assert b"data: [DONE]" in streamed and records[0].response_size == len(streamed)
    events = [
        json.loads(line[6:])
        for line in streamed.decode().splitlines()
        if line.startswith("data: {")
    ]
    replayed = "".join(
        e["choices"][0]["delta"].get("content") or "" for e in events if e["choices"]
    )
    assert text and replayed == text  # the ledger's response is the stream the user saw


def test_refused_request_never_reaches_the_server(
    proxy: FaultProxy, make_remote: RemoteFactory, ledger: EgressLedger
) -> None:
    def refuse_secrets(request: OutgoingRequest, context: EgressContext) -> GuardVerdict:
        if b"Zanzibar" in request.body:
            return GuardVerdict(False, "the body names a sensitive term")
        return GuardVerdict(True)

    remote = make_remote(proxy.base_url, guard=refuse_secrets)
    with egress_context(EgressContext("private", None, "test")):
        with pytest.raises(PrivacyViolation, match="sensitive term") as info:
            list(remote.stream_chat([ChatMessage("user", "My villa in Zanzibar")]))
        assert "Nothing was sent" in info.value.hint
    assert proxy.received == []
    [record] = ledger.records()
    assert record.refused and record.verdict == "refused: the body names a sensitive term"
    assert b"Zanzibar" in record.request_body  # the user can see what was stopped
    assert ledger.totals().bytes_sent == 0 and ledger.totals().refused == 1


def test_offline_mode_sends_nothing(
    proxy: FaultProxy, make_remote: RemoteFactory, ledger: EgressLedger
) -> None:
    remote = make_remote(proxy.base_url)
    with (
        egress_context(EgressContext("offline", None, "test")),
        pytest.raises(PrivacyViolation, match="offline"),
    ):
        remote.continue_run(HELLO, "", max_tokens=1, top_k=2)
    assert proxy.received == []
    assert ledger.records()[0].refused


def test_a_stream_closed_early_is_recorded_as_cancelled(
    proxy: FaultProxy, make_remote: RemoteFactory, ledger: EgressLedger, private_mode: EgressContext
) -> None:
    stream = make_remote(proxy.base_url).stream_chat(
        [ChatMessage("user", "Write a long story about dragons.")], max_tokens=200
    )
    next(stream)
    stream.close()
    record = ledger.records()[0]
    assert record.outcome == "cancelled"
    assert record.response_size == len(record.response_body or b"") > 0


def test_queries_per_conversation_and_day(
    proxy: FaultProxy, make_remote: RemoteFactory, ledger: EgressLedger, vault: Vault
) -> None:
    conversation = vault.conversations.create("chat")
    remote = make_remote(proxy.base_url)
    with egress_context(EgressContext("private", conversation.id, "sketch")):
        remote.continue_run(HELLO, "", max_tokens=1, top_k=2)
    with egress_context(EgressContext("private", None, "probe")):
        remote.continue_run(HELLO, "", max_tokens=1, top_k=2)
    assert [r.conversation_id for r in ledger.records(conversation.id)] == [conversation.id]
    totals = ledger.totals()
    assert totals.requests == 2 and totals.bytes_sent == sum(len(b) for _, b, _ in proxy.received)
    [(day, requests, sent)] = ledger.per_day()
    assert requests == 2 and sent == totals.bytes_sent and len(day) == 10
    assert {c for c, _, _ in ledger.per_conversation()} == {None, conversation.id}
