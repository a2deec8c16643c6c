"""The egress choke point: an httpx transport that asks the guard, then records everything.

It is given to the openai client in the one place that builds it (``client.py``). For each
request it (0) drops the headers that describe this computer (the SDK's ``x-stainless-*``:
OS, CPU architecture, Python version); (1) asks the guard whether the body may leave,
raising PrivacyViolation and sending nothing if not; (2) records in the ledger the exact body
bytes, headers with secrets redacted, and the response as it streams in, with how it ended.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import cast

import httpx2

from cogenesis.core.egress import EgressLedger, Guard, OutgoingRequest, current_context
from cogenesis.core.errors import PrivacyViolation

_SECRET_HEADERS = {"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie"}
_FLUSH_BYTES = 64 * 1024
REDACTED = "[redacted]"
_SSE_DONE = b"data: [DONE]"
# The openai SDK describes the computer in these (OS, CPU architecture, Python version).
_FINGERPRINT = "x-stainless-"


def redact(headers: httpx2.Headers) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}


class RecordingTransport(httpx2.BaseTransport):
    def __init__(
        self,
        inner: httpx2.BaseTransport,
        guard: Guard,
        ledger: EgressLedger,
        *,
        store_responses: bool = True,
    ) -> None:
        self._inner = inner
        self._guard = guard
        self._ledger = ledger
        self._store = store_responses

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        for name in [k for k in request.headers if k.lower().startswith(_FINGERPRINT)]:
            del request.headers[name]  # the provider needs none of them
        outgoing = OutgoingRequest(
            scheme=request.url.scheme,
            host=request.url.host,
            port=request.url.port,
            method=request.method,
            path=request.url.raw_path.decode("ascii", errors="replace"),
            headers=redact(request.headers),
            body=request.read(),
        )
        context = current_context()
        verdict = self._guard(outgoing, context)
        if not verdict.allowed:
            self._ledger.refused(outgoing, context, verdict)
            raise PrivacyViolation(
                f"The privacy guard stopped a request to {outgoing.host}: {verdict.reason}.",
                "Nothing was sent. Change the privacy mode, or the text, to send it.",
            )
        record_id = self._ledger.start(outgoing, context, store_response=self._store)
        started = time.perf_counter()
        try:
            response = self._inner.handle_request(request)
        except BaseException:
            self._ledger.finish(
                record_id,
                status=None,
                headers={},
                outcome="failed",
                duration_ms=(time.perf_counter() - started) * 1000,
            )
            raise
        stream = _RecordingStream(
            cast(httpx2.SyncByteStream, response.stream),  # a sync transport's body is sync
            self._ledger,
            record_id,
            started,
            response.status_code,
            redact(response.headers),
        )
        return httpx2.Response(
            response.status_code,
            headers=response.headers,
            stream=stream,
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()


class _RecordingStream(httpx2.SyncByteStream):
    """Passes the body through, appending it to the ledger as it arrives."""

    def __init__(
        self,
        inner: httpx2.SyncByteStream,
        ledger: EgressLedger,
        record_id: int,
        started: float,
        status: int,
        headers: dict[str, str],
    ) -> None:
        self._inner = inner
        self._ledger = ledger
        self._id = record_id
        self._started = started
        self._status = status
        self._headers = headers
        self._buffer = bytearray()
        self._outcome = "cancelled"  # closed before the end unless the loop completes
        self._finished = False
        self._tail = b""

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._inner:
                self._buffer += chunk
                self._tail = (self._tail + chunk)[-64:]
                if len(self._buffer) >= _FLUSH_BYTES:
                    self._flush()
                yield chunk
        except GeneratorExit:
            raise
        except BaseException:
            self._outcome = "failed"
            raise
        self._outcome = "complete"

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            self._finish()

    def _flush(self) -> None:
        self._ledger.append(self._id, bytes(self._buffer))
        self._buffer.clear()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        if self._outcome == "cancelled" and _SSE_DONE in self._tail:
            self._outcome = "complete"  # SSE clients stop reading after the final event
        self._flush()
        self._ledger.finish(
            self._id,
            status=self._status,
            headers=self._headers,
            outcome=self._outcome,
            duration_ms=(time.perf_counter() - self._started) * 1000,
        )
