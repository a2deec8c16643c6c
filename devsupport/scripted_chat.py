"""A loopback OpenAI-compatible chat endpoint whose replies a test scripts: ``reply(messages)``
gives the text of each answer. For tools where only the conversation matters (the evaluation's
judge, ``cogenesis synth``); it records every request it got. It has no /completions (a
404, as a chat-only provider answers)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[list[dict[str, Any]]], str]


class ScriptedChat:
    """Started at once on 127.0.0.1; ``stop`` ends it (a context manager too)."""

    def __init__(self, reply: Reply) -> None:
        self.requests: list[dict[str, Any]] = []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                scripted.requests.append(body)
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {"error": {"message": "only chat completions here"}})
                    return
                text = reply(body["messages"])
                if body.get("stream"):
                    self._stream(body.get("model", ""), text)
                else:
                    self._send(200, _completion(body.get("model", ""), text))

            def _stream(self, model: str, text: str) -> None:
                """Server-sent events, a word per chunk, as a chat endpoint streams."""
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                words = [w + " " for w in text.split(" ")]
                words[-1] = words[-1][:-1]
                for i, word in enumerate(words):
                    last = i == len(words) - 1
                    chunk = _chunk(model, word, "stop" if last else None)
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedChat:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _chunk(model: str, text: str, finish: str | None) -> dict[str, Any]:
    return {
        "id": "scripted",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}],
    }


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "scripted",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
