"""One conversation exported as Markdown or JSON, and JSON imported back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cogenesis.core.errors import ImportFormatError
from cogenesis.core.vault import Vault, VaultFiles, create_vault
from cogenesis.core.vault.conversation_file import export_conversation, import_conversation
from devsupport.fakes import MemoryKeyStore


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    with create_vault(VaultFiles(tmp_path / "vault"), MemoryKeyStore()) as opened:
        yield opened


def _conversation(vault: Vault) -> int:
    conv = vault.conversations.create("Trip to Lyon", "private")
    vault.conversations.add_message(conv.id, "user", "Plan **two** days.")
    vault.conversations.add_message(conv.id, "assistant", "1. Old town\n2. Food market")
    return conv.id


def test_markdown_has_the_title_speakers_and_text(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "trip.md"
    export_conversation(vault, _conversation(vault), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Trip to Lyon\n")
    assert "## You · " in text and "## Assistant · " in text
    assert "Plan **two** days." in text and "1. Old town\n2. Food market" in text


def test_json_round_trip_keeps_every_message(vault: Vault, tmp_path: Path) -> None:
    source = _conversation(vault)
    path = tmp_path / "trip.json"
    export_conversation(vault, source, path)
    imported = import_conversation(vault, path)
    assert imported.id != source and imported.title == "Trip to Lyon"
    assert imported.privacy_mode == "private"
    original = vault.conversations.messages(source)
    copied = vault.conversations.messages(imported.id)
    assert [(m.role, m.content, m.created_at) for m in copied] == [
        (m.role, m.content, m.created_at) for m in original
    ]


def test_answer_settings_travel_with_the_conversation(vault: Vault, tmp_path: Path) -> None:
    """Issue 21: the per-conversation answer settings were left out of the export."""
    source = _conversation(vault)
    settings = {"max_tokens": 120, "temperature": 0.2, "persona": "Answer as a coach."}
    vault.conversations.set_generation(source, settings)
    path = tmp_path / "trip.json"
    export_conversation(vault, source, path)
    assert json.loads(path.read_text(encoding="utf-8"))["conversation"]["generation"] == settings
    imported = import_conversation(vault, path)
    assert vault.conversations.generation(imported.id) == settings
    plain = _conversation(vault)
    export_conversation(vault, plain, path)
    assert "generation" not in json.loads(path.read_text(encoding="utf-8"))["conversation"]
    assert vault.conversations.generation(import_conversation(vault, path).id) == {}


def _with_generation(generation: object) -> str:
    conversation = {"messages": [], "generation": generation}
    return json.dumps(
        {"format": "cogenesis-conversation", "version": 1, "conversation": conversation}
    )


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("not json", "the file"),
        (json.dumps({"format": "something-else"}), "format"),
        (json.dumps({"format": "cogenesis-conversation", "version": 9}), "version"),
        (
            json.dumps(
                {
                    "format": "cogenesis-conversation",
                    "version": 1,
                    "conversation": {"messages": [{"role": "robot", "content": "x"}]},
                }
            ),
            "conversation.messages[0].role",
        ),
        (_with_generation({"max_tokens": 9000}), "conversation.generation"),
        (_with_generation({"max_tokens": "many"}), "conversation.generation.max_tokens"),
        (_with_generation({"temperature": True}), "conversation.generation.temperature"),
        (_with_generation({"colour": "red"}), "conversation.generation"),
        (_with_generation(["x"]), "conversation.generation"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_added(
    vault: Vault, tmp_path: Path, content: str, field: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        import_conversation(vault, path)
    assert caught.value.field == field
    assert vault.conversations.all() == []
