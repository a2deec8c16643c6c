"""One conversation as a file: Markdown to read or share, JSON to move between vaults.

The JSON is the same shape as a conversation in the full vault export, wrapped in
``{"format": "cogenesis-conversation", "version": 1, "conversation": {...}}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cogenesis.core.errors import ImportFormatError
from cogenesis.core.vault.records import Conversation, Message
from cogenesis.core.vault.transfer import _import_conversation, _parse_conversation, message_json
from cogenesis.core.vault.vault import Vault

FORMAT = "cogenesis-conversation"
VERSION = 1
_SPEAKERS = {"user": "You", "assistant": "Assistant", "system": "System"}


def conversation_markdown(conversation: Conversation, messages: list[Message]) -> str:
    """A readable transcript: a title, then each message under its speaker and time."""
    lines = [f"# {conversation.title}", ""]
    if conversation.privacy_mode:
        lines += [f"*Privacy mode: {conversation.privacy_mode}*", ""]
    for m in messages:
        lines += [f"## {_SPEAKERS.get(m.role, m.role)} · {m.created_at}", "", m.content.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def conversation_json(conversation: Conversation, messages: list[Message]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "conversation": {
            "title": conversation.title,
            "privacy_mode": conversation.privacy_mode,
            "created_at": conversation.created_at,
            "updated_at": conversation.updated_at,
            "messages": [message_json(m) for m in messages],
        },
    }


def export_conversation(vault: Vault, conversation_id: int, path: Path) -> None:
    """Write the conversation to ``path``: Markdown for .md, JSON otherwise."""
    conversation = vault.conversations.get(conversation_id)
    messages = vault.conversations.messages(conversation_id)
    if path.suffix.lower() in (".md", ".markdown"):
        text = conversation_markdown(conversation, messages)
    else:
        text = json.dumps(conversation_json(conversation, messages), indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")


def import_conversation(vault: Vault, path: Path) -> Conversation:
    """Add the conversation in a JSON file to the vault (all of it, or nothing)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError("the file", f"could not be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError("the file", f"is not JSON (line {exc.lineno}: {exc.msg})") from exc
    return restore_conversation(vault, raw)


def restore_conversation(vault: Vault, raw: Any) -> Conversation:
    """Add a conversation from its ``conversation_json`` form (an import, or an undo)."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ImportFormatError("format", f"must be {FORMAT!r} (export a conversation as JSON)")
    if raw.get("version") != VERSION:
        raise ImportFormatError("version", f"must be {VERSION}; this file is newer than the app")
    parsed = _parse_conversation(raw.get("conversation"), "conversation.")
    with vault.db.transaction():
        return _import_conversation(vault, parsed)
