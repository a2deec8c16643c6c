"""No placeholder reaches the user: whatever the cloud returns with the public part's labels
is shown with the real values, in every mode, while what left keeps the labels."""

from __future__ import annotations

import re

import pytest

from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import Done, Event, PublicPart, SketchText, Token
from cogenesis.core.policy import Consents
from cogenesis.core.vault import Profile, Vault
from tests.core.collab.scripted import ScriptedLocal, ScriptedRemote

LABEL = re.compile(r"\[\[?[A-Za-z ]+\d*\]\]?")
REQUEST = "Write a birthday note from Ada Brook to Lena"


@pytest.fixture
def engine_for(vault: Vault):  # type: ignore[no-untyped-def]
    vault.profile.set(Profile(name="Ada Brook", location="Leeds"))

    def make(mode: str, local: ScriptedLocal | None, remote: ScriptedRemote) -> Engine:
        privacy = "full-context" if mode == "full" else "private"
        return Engine(
            vault, local, remote, privacy_mode=privacy, consents=Consents(frozenset({None}))
        )

    return make


def shown(events: list[Event]) -> tuple[str, str]:
    tokens = "".join(e.text for e in events if isinstance(e, Token))
    (done,) = [e for e in events if isinstance(e, Done)]
    return tokens, done.text


def labels_of(engine: Engine) -> tuple[str, str]:
    """The labels the public part gives Ada and Lena."""
    public = engine.public_text(REQUEST)
    by_original = {r.original: r.placeholder for r in public.replacements}
    return by_original["Ada Brook"], by_original["Lena"]


def test_a_cloud_answer_is_shown_with_the_real_names(engine_for) -> None:  # type: ignore[no-untyped-def]
    remote = ScriptedRemote()
    engine = engine_for("cloud", None, remote)
    ada, lena = labels_of(engine)
    remote.enqueue_chat(f"Dear [{lena[1:-1]}", "], love, ", f"[{ada}].")  # split, doubled
    events = list(engine.run("cloud", engine.prepare(REQUEST)))
    tokens, done = shown(events)
    assert tokens == done == "Dear Lena, love, Ada Brook."
    (public,) = [e for e in events if isinstance(e, PublicPart)]
    assert "Ada" not in public.text and ada in public.text  # what left keeps the label
    assert "Ada" not in " ".join(m.content for m in remote.chats[0])


def test_the_outline_is_shown_and_expanded_with_the_real_names(engine_for) -> None:  # type: ignore[no-untyped-def]
    remote = ScriptedRemote()
    local = ScriptedLocal().enqueue("Happy birthday!")
    engine = engine_for("sketch", local, remote)
    ada, lena = labels_of(engine)
    remote.enqueue_chat(f"1. Greet {lena}\n", f"2. Sign as {ada}")
    events = list(engine.run("sketch", engine.prepare(REQUEST)))
    outline = [e.text for e in events if isinstance(e, SketchText)][-1]
    assert outline == "1. Greet Lena\n2. Sign as Ada Brook"
    expanded = local.detokenize(local.generated_prompts[0])
    assert "2. Sign as Ada Brook" in expanded and not LABEL.search(expanded.split("plan")[-1])


def test_fused_tokens_are_shown_with_the_real_names(engine_for) -> None:  # type: ignore[no-untyped-def]
    remote = ScriptedRemote()
    local = ScriptedLocal()
    engine = engine_for("logit", local, remote)
    _, lena = labels_of(engine)
    local.prefers = remote.says = f"Dear {lena}, happy day."
    ask = engine.prepare(REQUEST)
    ask.fusion = type(ask.fusion)()  # the product rule: no baseline model needed
    tokens, done = shown(list(engine.run("logit", ask)))
    assert tokens == done == "Dear Lena, happy day."


@pytest.mark.parametrize("mode", ["local", "full"])
def test_modes_without_a_public_part_show_what_the_model_wrote(engine_for, mode: str) -> None:  # type: ignore[no-untyped-def]
    remote = ScriptedRemote().enqueue_chat("Dear Lena.")
    local = ScriptedLocal().enqueue("Dear Lena.")
    engine = engine_for(mode, local, remote)
    tokens, done = shown(list(engine.run(mode, engine.prepare(REQUEST, mode=mode))))
    assert tokens == done == "Dear Lena." and not LABEL.search(done)
