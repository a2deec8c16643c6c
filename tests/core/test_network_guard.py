"""The test session itself refuses connections beyond loopback (and says so)."""

from __future__ import annotations

import socket

import pytest

from tests import conftest


def test_a_public_address_is_refused_and_recorded() -> None:
    before = len(conftest._violations)
    with pytest.raises(ConnectionRefusedError, match="only connect to loopback"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routed
    assert len(conftest._violations) == before + 1
    del conftest._violations[before:]  # this test wanted it; do not fail it afterwards


def test_loopback_is_allowed() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    try:
        socket.create_connection(server.getsockname(), timeout=1).close()
    finally:
        server.close()
