"""A proxy on loopback in front of a test server: keeps what it receives, injects faults."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FaultProxy:
    """Forwards to ``upstream`` and keeps every request body it received.

    ``fault`` (set by a test) changes the next answers: "status:CODE[:RETRY_AFTER]",
    "cut:BYTES" (stream cut mid-chunk), "reset" (TCP reset), "malformed" (bad SSE),
    "stall:SECONDS" (silent, then closed), "delay:SECONDS" (silent, then answered),
    "no-logprobs", "short-logprobs". ``fault_count`` limits how many
    requests get the fault (None: all).
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.fault: str | None = None
        self.fault_count: int | None = None
        self.received: list[tuple[str, bytes, dict[str, str]]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                proxy._handle(self, b"")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                proxy._handle(self, body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _take_fault(self) -> str | None:
        if self.fault is None:
            return None
        if self.fault_count is not None:
            if self.fault_count <= 0:
                return None
            self.fault_count -= 1
        return self.fault

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        self.received.append((handler.path, body, dict(handler.headers)))
        fault = self._take_fault()
        kind, _, arg = (fault or "").partition(":")
        if kind == "status":
            code, _, after = arg.partition(":")
            payload = json.dumps({"error": {"message": f"injected {code}"}}).encode()
            handler.send_response(int(code))
            if after:
                handler.send_header("Retry-After", after)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        if kind == "reset":
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.connection.close()
            handler.close_connection = True
            return
        if kind == "stall":
            time.sleep(float(arg))
            handler.close_connection = True
            return
        if kind == "delay":  # a slow server: silent for a while, then the real answer
            time.sleep(float(arg))
        if kind == "malformed":
            self._send_chunked(
                handler,
                200,
                {"Content-Type": "text/event-stream"},
                [b'data: {"id": "x", "choices": [{"delta": \n\n', b"data: [DONE]\n\n"],
            )
            return
        status, headers, pieces = self._forward(handler, body)
        if kind in ("no-logprobs", "short-logprobs"):
            pieces = [self._edit_logprobs(b"".join(pieces), kind)]
        self._send_chunked(
            handler, status, headers, pieces, cut=int(arg) if kind == "cut" else None
        )

    def _forward(
        self, handler: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, dict[str, str], list[bytes]]:
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=120)
        headers = {k: v for k, v in handler.headers.items() if k.lower() != "host"}
        try:
            upstream.request(handler.command, handler.path, body=body or None, headers=headers)
            # The response holds its own reference to the socket: close it too, or the socket
            # stays open until garbage collection (a ResourceWarning in some later test).
            with upstream.getresponse() as response:
                pieces = []
                while chunk := response.read1(65536):
                    pieces.append(chunk)
                kept = {
                    k: v
                    for k, v in response.getheaders()
                    if k.lower() not in ("transfer-encoding", "content-length", "connection")
                }
                return response.status, kept, pieces
        finally:
            upstream.close()

    @staticmethod
    def _edit_logprobs(raw: bytes, kind: str) -> bytes:
        doc: dict[str, Any] = json.loads(raw)
        for choice in doc.get("choices", []):
            if kind == "no-logprobs":
                choice["logprobs"] = None
            elif choice.get("logprobs"):
                choice["logprobs"]["top_logprobs"] = [
                    dict(list(top.items())[:1]) for top in choice["logprobs"]["top_logprobs"]
                ]
        return json.dumps(doc).encode()

    @staticmethod
    def _send_chunked(
        handler: BaseHTTPRequestHandler,
        status: int,
        headers: dict[str, str],
        pieces: list[bytes],
        cut: int | None = None,
    ) -> None:
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        sent = 0
        for piece in pieces:
            if cut is not None and sent + len(piece) > cut:
                part = piece[: cut - sent]
                handler.wfile.write(b"%x\r\n" % len(piece) + part)  # a chunk that never ends
                handler.wfile.flush()
                handler.close_connection = True
                return
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            handler.wfile.flush()
            sent += len(piece)
        handler.wfile.write(b"0\r\n\r\n")
