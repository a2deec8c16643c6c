"""A loopback completions server that reads token-id prompts the way vLLM does, for tests
and benchmarks.

vLLM needs a GPU and llama.cpp's own server is not in the llama-cpp-python wheel, so the
tests speak vLLM's side of the protocol here, over the real starter model: ``prompt`` as a
list of token ids (or text), ``echo``, ``logprobs`` with top-k, and vLLM's
``return_tokens_as_token_ids`` ("token_id:N" in place of token texts). It decodes one token at
a time (batch size 1), so a position's log-probabilities do not depend on how requests split
the text: the remote conditions on the same ids and gives the same numbers, which is what
greedy identity of run verification and per-token fusion needs.

Run: python id_server.py MODEL PORT (standalone: it needs llama_cpp and numpy only).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import llama_cpp
import numpy as np


class Model:
    def __init__(self, path: str) -> None:
        self.llm = llama_cpp.Llama(
            path,
            n_ctx=2048,
            n_batch=1,
            n_ubatch=1,
            logits_all=True,
            verbose=False,
            n_threads=2,
        )
        self.lock = threading.Lock()
        self.eos = self.llm.token_eos()

    def tokens(self, prompt: Any) -> list[int]:
        if isinstance(prompt, list) and all(isinstance(t, int) for t in prompt):
            return list(prompt)
        if isinstance(prompt, list):
            prompt = prompt[0]
        return self.llm.tokenize(str(prompt).encode(), add_bos=False, special=True)

    def evaluate(self, tokens: list[int]) -> None:
        """Decode ``tokens``, reusing the cached prefix (one token per decode)."""
        cached = self.llm.input_ids[: self.llm.n_tokens].tolist()
        common = 0
        while common < min(len(cached), len(tokens) - 1) and cached[common] == tokens[common]:
            common += 1
        self.llm.n_tokens = common
        self.llm.eval(tokens[common:])

    def logprobs(self, position: int) -> np.ndarray:
        row = np.asarray(self.llm.scores[position], dtype=np.float64)
        row = row - row.max()
        return row - np.log(np.exp(row).sum())

    def piece(self, token: int) -> str:
        return self.llm.detokenize([token]).decode("utf-8", errors="replace")


def complete(model: Model, body: dict[str, Any]) -> dict[str, Any]:
    prompt = model.tokens(body.get("prompt", ""))
    k = int(body.get("logprobs") or 0)
    as_ids = bool(body.get("return_tokens_as_token_ids"))
    name = (lambda t: f"token_id:{t}") if as_ids else model.piece
    entries: list[tuple[int, float | None, dict[str, float] | None]] = []
    with model.lock:
        model.evaluate(prompt)
        if body.get("echo"):
            entries.append((prompt[0], None, None))
            for i in range(1, len(prompt)):
                lp = model.logprobs(i - 1)
                entries.append((prompt[i], float(lp[prompt[i]]), _top(lp, k, name)))
        generated, finish = [], "length"
        for _ in range(int(body.get("max_tokens") or 16)):
            lp = model.logprobs(model.llm.n_tokens - 1)
            token = int(np.argmax(lp))
            entries.append((token, float(lp[token]), _top(lp, k, name)))
            generated.append(token)
            if token == model.eos:
                finish = "stop"
                break
            model.llm.eval([token])
    shown = [*(prompt if body.get("echo") else []), *(t for t in generated if t != model.eos)]
    text = model.llm.detokenize(shown).decode(errors="replace")
    logprobs = {
        "tokens": [name(t) for t, _, _ in entries],
        "token_logprobs": [lp for _, lp, _ in entries],
        "top_logprobs": [top for _, _, top in entries],
        "text_offset": list(range(len(entries))),
    }
    return {
        "id": f"cmpl-{time.monotonic_ns()}",
        "object": "text_completion",
        "created": int(time.time()),
        "model": body.get("model", "ids"),
        "choices": [
            {
                "index": 0,
                "text": text,
                "logprobs": logprobs if k else None,
                "finish_reason": finish,
            }
        ],
        "usage": {
            "prompt_tokens": len(prompt),
            "completion_tokens": len(generated),
            "total_tokens": len(prompt) + len(generated),
        },
    }


def _top(lp: np.ndarray, k: int, name: Any) -> dict[str, float]:
    if k <= 0:
        return {}
    ids = np.argpartition(-lp, k)[:k]
    return {name(int(i)): float(lp[i]) for i in ids}


def serve(path: str, port: int) -> None:
    model = Model(path)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": "ids", "object": "model"}]})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if not self.path.endswith("/completions"):
                self._send(404, {"error": {"message": "not found"}})
            elif "messages" in body:  # the tests need completions only
                self._send(400, {"error": {"message": "this test server has no chat"}})
            else:
                self._send(200, complete(model, body))

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
