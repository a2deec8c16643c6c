"""Each fault on the loopback path gives a typed error with a next step; nothing is lost."""

from __future__ import annotations

import pytest

from cogenesis.adapters.remote.server_process import free_loopback_port
from cogenesis.core.egress import EgressContext, EgressLedger
from cogenesis.core.errors import (
    RemoteAuthError,
    RemoteError,
    RemoteModelNotFound,
    RemoteProtocolError,
    RemoteRateLimited,
    RemoteServerError,
    RemoteTimeout,
    RemoteUnavailable,
)
from cogenesis.core.llm import ChatMessage
from devsupport.fault_proxy import FaultProxy
from tests.adapters.remote.conftest import RemoteFactory

STORY = [ChatMessage("user", "Write a long story about a lighthouse keeper.")]


@pytest.mark.parametrize(
    ("fault", "error", "hint"),
    [
        ("status:401", RemoteAuthError, "Check the key"),
        ("status:403", RemoteAuthError, "Check the key"),
        ("status:404", RemoteModelNotFound, "model name"),
        ("status:429:0", RemoteRateLimited, "Wait 0 s"),
        ("status:500", RemoteServerError, "later"),
        ("status:503", RemoteServerError, "later"),
        ("reset", RemoteUnavailable, "server is running"),
        ("no-logprobs", RemoteProtocolError, "logprobs"),
        ("short-logprobs", RemoteProtocolError, "top-k"),
    ],
)
def test_faults_become_typed_errors(
    proxy: FaultProxy,
    make_remote: RemoteFactory,
    private_mode: EgressContext,
    fault: str,
    error: type[RemoteError],
    hint: str,
) -> None:
    proxy.fault = fault
    remote = make_remote(proxy.base_url, attempts=2)
    with pytest.raises(error) as info:
        remote.continue_run(STORY, "Once", max_tokens=3, top_k=5)
    assert hint in info.value.hint


def test_retryable_errors_are_retried_then_succeed(
    proxy: FaultProxy,
    make_remote: RemoteFactory,
    ledger: EgressLedger,
    private_mode: EgressContext,
) -> None:
    proxy.fault, proxy.fault_count = "status:429:0", 1
    run = make_remote(proxy.base_url, attempts=3).continue_run(STORY, "Once", max_tokens=2, top_k=3)
    assert len(run.tokens) == 2
    assert [r.status for r in reversed(ledger.records())] == [429, 200]  # both recorded


def test_auth_errors_are_not_retried(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    proxy.fault = "status:401"
    with pytest.raises(RemoteAuthError):
        make_remote(proxy.base_url, attempts=3).continue_run(STORY, "", max_tokens=1, top_k=2)
    assert len(proxy.received) == 1


def test_rate_limit_wait_follows_retry_after(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    proxy.fault = "status:429:7"
    remote = make_remote(proxy.base_url, attempts=2)
    waits: list[float] = []
    remote._sleep = waits.append
    with pytest.raises(RemoteRateLimited) as info:
        remote.continue_run(STORY, "", max_tokens=1, top_k=2)
    assert info.value.retry_after == 7 and waits == [7]


def test_a_stream_cut_in_the_middle_keeps_what_arrived(
    proxy: FaultProxy,
    make_remote: RemoteFactory,
    ledger: EgressLedger,
    private_mode: EgressContext,
) -> None:
    proxy.fault = "cut:1500"
    received: list[str] = []
    with pytest.raises(RemoteProtocolError) as info:
        for delta in make_remote(proxy.base_url).stream_chat(STORY, max_tokens=100):
            received.append(delta.text)
    assert received and info.value.partial == "".join(received)
    assert "kept" in info.value.hint
    record = ledger.records()[0]
    assert record.outcome == "failed" and 0 < record.response_size <= 1500


def test_malformed_sse(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    proxy.fault = "malformed"
    with pytest.raises(RemoteProtocolError, match=r"could not be read|broke off"):
        list(make_remote(proxy.base_url).stream_chat(STORY))


def test_timeout(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    proxy.fault = "stall:3"
    with pytest.raises((RemoteTimeout, RemoteUnavailable)):
        make_remote(proxy.base_url, timeout=0.5, attempts=1).continue_run(
            STORY, "", max_tokens=1, top_k=2
        )


def test_connection_refused(
    make_remote: RemoteFactory, ledger: EgressLedger, private_mode: EgressContext
) -> None:
    closed = f"http://127.0.0.1:{free_loopback_port()}/v1"
    with pytest.raises(RemoteUnavailable, match="Cannot reach") as info:
        make_remote(closed, attempts=2).continue_run(STORY, "", max_tokens=1, top_k=2)
    assert "base URL" in info.value.hint
    assert [r.outcome for r in ledger.records()] == ["failed", "failed"]


def test_a_stall_mid_answer_is_given_up_once(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    """Issue 18: a silent endpoint costs the stall time once, not a read timeout per retry."""
    proxy.fault = "stall:3"
    remote = make_remote(proxy.base_url, stall=0.5, attempts=3)
    with pytest.raises(RemoteTimeout, match=r"sent nothing for 0\.5 s") as info:
        remote.continue_run(STORY, "Once", max_tokens=1, top_k=2)
    assert "remote_stall_seconds" in info.value.hint
    assert len(proxy.received) == 1  # not retried


def test_a_rate_limit_wait_longer_than_the_stall_time_is_not_waited(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    proxy.fault = "status:429:7"
    remote = make_remote(proxy.base_url, stall=2.0, attempts=3)
    waits: list[float] = []
    remote._sleep = waits.append
    with pytest.raises(RemoteRateLimited):
        remote.continue_run(STORY, "", max_tokens=1, top_k=2)
    assert waits == [] and len(proxy.received) == 1


LONG = [ChatMessage("user", "Summarise these notes. " + "The tide came in at dawn. " * 180)]


def test_a_long_prompt_earns_time_to_be_read_and_a_real_stall_is_still_caught(
    proxy: FaultProxy, make_remote: RemoteFactory, private_mode: EgressContext
) -> None:
    """Issue 18: a CPU server reading a long prompt is silent longer than the stall time
    before its first token; that call was given up as a stall (here: after 0.5 s)."""
    remote = make_remote(proxy.base_url, stall=0.5, attempts=1)
    proxy.fault, proxy.fault_count = "delay:2", 1  # reading ~1,500 new tokens takes 2 s
    run = remote.continue_run(LONG, "The", max_tokens=2, top_k=3)
    assert len(run.tokens) == 2
    proxy.fault, proxy.fault_count = "delay:2", 1  # the same prompt, a token longer: cached
    with pytest.raises(RemoteTimeout, match=r"sent nothing for 0\.5 s\. "):
        remote.continue_run(LONG, "The tide", max_tokens=2, top_k=3)
    proxy.fault, proxy.fault_count = "stall:3", 1  # a short new prompt earns nothing either
    with pytest.raises(RemoteTimeout, match=r"sent nothing for 0\.5 s\. "):
        remote.continue_run(STORY, "", max_tokens=1, top_k=2)
