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
from cogenesis.core.vault.transfer import (
    _import_conversation,
    _parse_conversation,
    conversation_record,
)
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


def conversation_json(
    conversation: Conversation,
    messages: list[Message],
    generation: dict[str, object] | None = None,
) -> dict[str, Any]:
    """The file's JSON; ``generation``: the conversation's answer settings, if it has any."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "conversation": conversation_record(conversation, messages, generation),
    }


def conversation_snapshot(vault: Vault, conversation_id: int) -> dict[str, Any]:
    """All of one conversation as ``conversation_json`` (an export, or what an undo needs)."""
    return conversation_json(
        vault.conversations.get(conversation_id),
        vault.conversations.messages(conversation_id),
        vault.conversations.generation(conversation_id),
    )


def export_conversation(vault: Vault, conversation_id: int, path: Path) -> None:
    """Write the conversation to ``path``: Markdown for .md, JSON otherwise."""
    if path.suffix.lower() in (".md", ".markdown"):
        conversation = vault.conversations.get(conversation_id)
        text = conversation_markdown(conversation, vault.conversations.messages(conversation_id))
    else:
        snapshot = conversation_snapshot(vault, conversation_id)
        text = json.dumps(snapshot, indent=2, ensure_ascii=False)
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
