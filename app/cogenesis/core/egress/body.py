"""A request body as a person reads it: the messages or prompt decoded from the JSON, so that
``\\u`` escapes and one-line JSON hide nothing. The exact bytes stay in the ledger."""

from __future__ import annotations

import json
from typing import Any

_TEXT_FIELDS = ("messages", "prompt", "input")


def readable_body(body: bytes) -> str:
    """The text the request carries, one part per message; other fields as ``name: value``."""
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
    parts = [part for name in _TEXT_FIELDS if name in document for part in _parts(document[name])]
    return "\n\n".join(["\n".join(lines), *parts]).strip()


def _parts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [f"── prompt ──\n{value}"]
    if isinstance(value, list):
        return [_message(item) for item in value]
    return [json.dumps(value, indent=2, ensure_ascii=False)]


def _message(item: Any) -> str:
    if isinstance(item, dict) and "content" in item:
        content = item["content"]
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        return f"── {item.get('role', 'message')} ──\n{text}"
    if isinstance(item, str):
        return f"── prompt ──\n{item}"
    return json.dumps(item, indent=2, ensure_ascii=False)
