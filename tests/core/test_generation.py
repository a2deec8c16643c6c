"""Per-conversation answer settings: validated, kept in the vault, the persona local-only."""

from __future__ import annotations

import pytest

from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.prompts import local_messages, outline_messages, public_messages
from cogenesis.core.errors import CogenesisError
from cogenesis.core.generation import Generation
from cogenesis.core.vault import Vault


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"max_tokens": 5}, "16 to 4096"),
        ({"temperature": 3.0}, "0 (always"),
        ({"persona": "x" * 4001}, "4000"),
    ],
)
def test_out_of_range_settings_say_what_to_choose(fields: dict, says: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(CogenesisError) as caught:
        Generation(**fields)
    assert says in str(caught.value)


def test_settings_are_kept_with_the_conversation(vault: Vault) -> None:
    conv = vault.conversations.create("Coach")
    assert vault.conversations.generation(conv.id) == {}
    chosen = Generation(max_tokens=120, temperature=0.2, persona="Answer as a coach.")
    vault.conversations.set_generation(conv.id, chosen.to_dict())
    assert Generation.from_dict(vault.conversations.generation(conv.id)) == chosen
    assert Generation.from_dict({"max_tokens": "lots"}) == Generation()  # unreadable: defaults


def test_the_persona_is_read_by_the_local_model_only() -> None:
    ask = Ask("Plan my week", "Plan my week", lambda t: t, persona="Call me Captain.")
    assert "Call me Captain." in local_messages(ask)[0].content
    sent = [m.content for m in (*public_messages(ask), *outline_messages(ask))]
    assert not any("Captain" in text for text in sent)


def test_the_engine_puts_the_answer_settings_on_the_request(vault: Vault) -> None:
    """The window hands them to ``Engine.prepare`` (they were patched onto the request
    afterwards, and the persona's length did not count against the context budget)."""
    from cogenesis.core.collab.engine import Engine
    from tests.core.collab.scripted import ScriptedLocal

    engine = Engine(vault, ScriptedLocal(), None, privacy_mode="offline")
    ask = engine.prepare("Plan my week", (), 120, mode="local", temperature=0.2, persona="Brief.")
    assert (ask.max_tokens, ask.temperature, ask.persona) == (120, 0.2, "Brief.")
    assert "Brief." in local_messages(ask)[0].content
