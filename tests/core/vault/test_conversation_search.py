"""Finding conversations, titles made from the first message, and an answer's outline kept."""

from __future__ import annotations

import pytest

from cogenesis.core.vault import Vault
from cogenesis.core.vault.conversation_file import conversation_json, restore_conversation
from cogenesis.core.vault.titles import conversation_title


def _titles(found: list) -> list[str]:  # type: ignore[type-arg]
    return [c.title for c in found]


def test_search_finds_titles_and_message_words_as_typed(vault: Vault) -> None:
    lyon = vault.conversations.create("Trip to Lyon")
    vault.conversations.add_message(lyon.id, "user", "Plan two days with a food market.")
    speech = vault.conversations.create("Wedding speech")
    vault.conversations.add_message(speech.id, "assistant", "Dear friends and family")
    assert _titles(vault.conversations.matching("lyon")) == ["Trip to Lyon"]
    assert _titles(vault.conversations.matching("mark")) == ["Trip to Lyon"]  # a word's start
    assert _titles(vault.conversations.matching("friends family")) == ["Wedding speech"]
    assert _titles(vault.conversations.matching("ding sp")) == ["Wedding speech"]  # in a title
    assert vault.conversations.matching("nothing like it") == []
    assert len(vault.conversations.matching("  ")) == 2  # no words: every conversation


def test_search_treats_quotes_and_operators_as_text(vault: Vault) -> None:
    vault.conversations.create('Say "NOT" AND mean it')
    assert len(vault.conversations.matching('"NOT" AND')) == 1


@pytest.mark.parametrize(
    ("message", "title"),
    [
        (
            "Write a short speech for my sister's wedding. Keep it warm.",
            ("Write a short speech for my sister's wedding."),
        ),
        ("# Plan\n\nthe trip", "Plan"),
        ("   ", "New conversation"),
        (
            "Draft an email to the landlord about the broken heating in the flat since Monday",
            "Draft an email to the landlord about the broken…",
        ),
    ],
)
def test_titles_are_the_first_sentence_cut_at_a_word(message: str, title: str) -> None:
    assert conversation_title(message) == title
    assert len(conversation_title(message)) <= 48


def test_an_answers_outline_is_kept_and_survives_export_and_undo(vault: Vault) -> None:
    conv = vault.conversations.create("Trip")
    vault.conversations.add_message(conv.id, "user", "Plan it")
    vault.conversations.add_message(conv.id, "assistant", "Day 1…", meta={"outline": "1. Go"})
    messages = vault.conversations.messages(conv.id)
    assert [m.meta for m in messages] == [{}, {"outline": "1. Go"}]
    raw = conversation_json(vault.conversations.get(conv.id), messages)
    restored = restore_conversation(vault, raw)
    assert vault.conversations.messages(restored.id)[1].meta == {"outline": "1. Go"}
