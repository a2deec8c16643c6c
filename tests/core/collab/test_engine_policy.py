"""The engine reads the one policy table, with the user's privacy mode, and consent from one
place; long-lived memory is shared between per-request engines."""

from __future__ import annotations

import pytest

from cogenesis.core.collab.engine import AnswerMemory, Engine
from cogenesis.core.collab.events import Done, Failed, PublicPart
from cogenesis.core.llm import CancelToken, ChatMessage
from cogenesis.core.policy import (
    ALLOWED,
    AnswerMode,
    Consents,
    PrivacyMode,
    allowed_modes,
    refusal,
)
from cogenesis.core.vault import Profile, Vault
from tests.core.collab.scripted import ScriptedLocal, ScriptedRemote


def answer(engine: Engine, mode: str) -> list[object]:
    ask = engine.prepare("Write a note for the book club", max_tokens=20)
    return list(engine.run(mode, ask, CancelToken()))


def failure(events: list[object]) -> str:
    (failed,) = [e for e in events if isinstance(e, Failed)]
    return f"{failed.error.message} {failed.error.hint}"


def test_every_privacy_mode_has_a_row_and_cloud_without_context_allows_only_cloud() -> None:
    assert set(ALLOWED) == set(PrivacyMode)
    assert allowed_modes("cloud-no-context") == (AnswerMode.CLOUD,)
    assert allowed_modes("offline") == (AnswerMode.LOCAL,)
    assert allowed_modes("private", remote_configured=False) == (AnswerMode.LOCAL,)
    assert allowed_modes("full-context")[-1] is AnswerMode.FULL
    assert refusal("private", "sketch") is None


@pytest.mark.parametrize(
    ("privacy", "mode"), [("cloud-no-context", "local"), ("offline", "sketch")]
)
def test_the_engine_refuses_what_the_table_forbids_before_any_model_runs(
    vault: Vault, privacy: str, mode: str
) -> None:
    local, remote = ScriptedLocal(), ScriptedRemote()
    events = answer(Engine(vault, local, remote, privacy_mode=privacy), mode)
    assert "not allowed" in failure(events) and "Use one of" in failure(events)
    assert local.generated_prompts == [] and remote.chats == []


def test_an_unknown_mode_or_privacy_mode_says_what_is_valid(vault: Vault) -> None:
    events = answer(Engine(vault, ScriptedLocal(), None, privacy_mode="private"), "turbo")
    assert "'turbo' is not an answer mode" in failure(events) and "sketch" in failure(events)
    with pytest.raises(Exception, match="not a privacy mode"):
        Engine(vault, None, None, privacy_mode="public")


def test_full_context_needs_this_conversations_consent(vault: Vault) -> None:
    consents = Consents()
    remote = ScriptedRemote().enqueue_chat("ok")

    def engine(conversation: int) -> Engine:
        return Engine(
            vault,
            None,
            remote,
            privacy_mode="full-context",
            conversation_id=conversation,
            consents=consents,
        )

    assert "no consent" in failure(answer(engine(3), "full"))
    consents.grant(3)
    assert "no consent" in failure(answer(engine(4), "full"))
    assert isinstance(answer(engine(3), "full")[-1], Done)


def test_consent_given_before_a_conversation_is_saved_moves_to_its_id() -> None:
    consents = Consents()
    consents.grant(None)
    consents.adopt(12)
    assert consents.granted(12) and not consents.granted(None)


def test_engines_made_per_request_share_the_vaults_memory(vault: Vault) -> None:
    vault.notes.add("Book club", "The book club meets on Thursdays.")
    vault.notes.add("Garden", "The garden party is hosted by Lena.")
    memory = AnswerMemory(vault)
    local = ScriptedLocal()
    first = Engine(memory, local, None, privacy_mode="offline", conversation_id=1)
    turn = first.prepare("When does the book club meet?")
    index = memory.index.get()
    second = Engine(memory, local, None, privacy_mode="offline", conversation_id=1)
    history = [ChatMessage("user", turn.instruction), ChatMessage("assistant", "Thursdays.")]
    follow = second.prepare("Who hosts the garden party?", history=history)
    assert memory.index.get() is index  # loaded once, for both requests
    assert [c.label for c in turn.context] == ["note: Book club"]
    # the follow-up keeps the first turn's context first, then what it found anew
    assert [c.label for c in follow.context] == ["note: Book club", "note: Garden"]


def test_a_local_answer_never_loads_the_sensitive_term_index(vault: Vault) -> None:
    vault.notes.add("Club", "Ada Brook chairs the book club.")
    memory = AnswerMemory(vault)
    local = ScriptedLocal().enqueue("Thursday.")
    engine = Engine(memory, local, None, privacy_mode="private")
    ask = engine.prepare("When does the book club meet?", mode="local")
    assert ask.public == "" and list(engine.run("local", ask))[-1].text == "Thursday."  # type: ignore[attr-defined]
    assert memory.index._index is None  # nothing leaves, so nothing was loaded to guard it


def test_a_request_prepared_without_a_public_part_gets_one_when_its_mode_sends(
    vault: Vault,
) -> None:
    vault.profile.set(Profile(name="Ada Brook"))
    remote = ScriptedRemote().enqueue_chat("Hi.")
    engine = Engine(vault, None, remote, privacy_mode="private")
    ask = engine.prepare("Write a toast for Ada Brook", mode="local")
    events = list(engine.run("cloud", ask))
    (public,) = [e for e in events if isinstance(e, PublicPart)]
    assert "Ada" not in public.text and "Ada" not in remote.chats[0][1].content


def test_the_public_version_of_an_answer_prefix_depends_on_the_text_alone(vault: Vault) -> None:
    """Issue 18: fusion methods sanitize answer prefixes in different orders (drafts,
    branches, token by token); one shared label set numbered a new term by what had been
    sanitized before, so the same prefix went out as "[NAME 1]" from one method and
    "[NAME 3]" from another, and greedy answers differed from per-token fusion's."""
    vault.profile.set(Profile(name="Isabel Martinez", location="Miami, Florida"))
    engine = Engine(vault, ScriptedLocal(), ScriptedRemote(), privacy_mode="private")
    instruction = "Write a press release for Isabel Martinez"
    prefix = 'Title: "The Art of Up-and-Complicating", by Isabel Martinez'
    alone = engine.prepare(instruction, max_tokens=20).sanitize(prefix)
    ask = engine.prepare(instruction, max_tokens=20)
    for earlier in ('Title: "Th', 'Title: "The Art of U', 'Title: "The Art of Up-and-Comp'):
        ask.sanitize(earlier)
    assert ask.sanitize(prefix) == alone
    assert "[NAME" in alone and "Isabel" not in alone
