"""A request body as a person reads it: the messages or prompt decoded from the JSON, so that
``\\u`` escapes and one-line JSON hide nothing; a token-id prompt as the text its ids spell
(with the local model's detokenizer, when there is one). The exact bytes stay in the ledger."""

from __future__ import annotations

import json
import re
from typing import Any

from cogenesis.core.egress.context import TokenText

_TEXT_FIELDS = ("messages", "prompt", "input")
_TOKEN_REFERENCE = re.compile(r"<\[(\d+)\]>")  # a token id inside a llama.cpp grammar


def token_reference(token_id: int) -> str:
    """How a grammar names one token by id (llama.cpp's GBNF)."""
    return f"<[{token_id}]>"


def without_references(text: str) -> str:
    """``text`` with a grammar's token references left out (read as text, ids are numbers)."""
    return _TOKEN_REFERENCE.sub(" ", text)


def referenced_ids(text: str) -> list[int]:
    """The token ids a grammar names, in order (empty for text that names none)."""
    return [int(found) for found in _TOKEN_REFERENCE.findall(text)]


def readable_body(body: bytes, token_text: TokenText | None = None) -> str:
    """The text the request carries, one part per message; other fields as ``name: value``.
    A prompt of token ids is spelled out with ``token_text``, or listed as numbers."""
    if not body:
        return "(no body)"
    raw = body.decode("utf-8", errors="replace")
    try:
        document = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(document, dict):
        return json.dumps(document, indent=2, ensure_ascii=False)
    lines = [
        f"{name}: {json.dumps(value, ensure_ascii=False)}"
        for name, value in document.items()
        if name not in _TEXT_FIELDS
    ]
    grammar = document.get("grammar")
    held = referenced_ids(grammar) if isinstance(grammar, str) else []
    parts = [
        part
        for name in _TEXT_FIELDS
        if name in document
        for part in _parts(document[name], token_text)
    ]
    if held:
        parts.append(_ids(held, token_text).replace("── prompt:", "── held by the grammar:", 1))
    return "\n\n".join(["\n".join(lines), *parts]).strip()


def is_token_ids(value: Any) -> bool:
    """A non-empty list of integers: a prompt given as token ids."""
    return isinstance(value, list) and len(value) > 0 and all(type(i) is int for i in value)


def _parts(value: Any, token_text: TokenText | None) -> list[str]:
    if isinstance(value, str):
        return [f"── prompt ──\n{value}"]
    if is_token_ids(value):
        return [_ids(value, token_text)]
    if isinstance(value, list):
        return [_ids(v, token_text) if is_token_ids(v) else _message(v) for v in value]
    return [json.dumps(value, indent=2, ensure_ascii=False)]


def _ids(ids: list[int], token_text: TokenText | None) -> str:
    if token_text is None:
        return f"── prompt: {len(ids)} token ids ──\n{' '.join(map(str, ids))}"
    return f"── prompt: {len(ids)} token ids, as the local model reads them ──\n{token_text(ids)}"


def _message(item: Any) -> str:
    if isinstance(item, dict) and "content" in item:
        content = item["content"]
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        return f"── {item.get('role', 'message')} ──\n{text}"
    if isinstance(item, str):
        return f"── prompt ──\n{item}"
    return json.dumps(item, indent=2, ensure_ascii=False)
