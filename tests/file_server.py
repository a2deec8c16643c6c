"""A real HTTP file server on 127.0.0.1 for download tests: Range requests, ETags, cuts."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FileServer:
    """Serves one file with Range support; can cut connections after a number of bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.cut_after: list[int] = []  # one entry per request to cut, consumed in order
        self.ranges: list[str | None] = []
        self.honour_range = True
        self.etag: str | None = None
        self.pace = 0.0  # seconds to wait after each 64 KiB written (a slow connection)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                header = self.headers.get("Range")
                server.ranges.append(header)
                start = int(header.split("=")[1].split("-")[0]) if header else 0
                if not server.honour_range:
                    start = 0
                if start >= len(server.data):
                    self.send_response(416)
                    self.end_headers()
                    return
                body = server.data[start:]
                self.send_response(206 if start else 200)
                if start:
                    self.send_header(
                        "Content-Range", f"bytes {start}-{len(server.data) - 1}/{len(server.data)}"
                    )
                self.send_header("Content-Length", str(len(body)))
                if server.etag:
                    self.send_header("ETag", f'"{server.etag}"')
                self.end_headers()
                limit = server.cut_after.pop(0) if server.cut_after else len(body)
                try:
                    for offset in range(0, limit, 1 << 16):
                        self.wfile.write(body[offset : min(offset + (1 << 16), limit)])
                        self.wfile.flush()
                        time.sleep(server.pace)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped reading
                    self.close_connection = True
                    return
                if limit < len(body):
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/files/tiny.gguf"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
