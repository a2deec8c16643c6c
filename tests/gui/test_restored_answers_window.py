"""Issue 16: no placeholder reaches the window in any mode. The cloud copies the public
part's labels; the chat and the outline panel show the real values."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from dataclasses import asdict, replace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from cogenesis.core.llm.threads import Threads
from cogenesis.core.paths import AppPaths
from cogenesis.core.privacy import build_index, make_public
from cogenesis.core.vault import Profile
from cogenesis.gui.app import build_window
from cogenesis.gui.main_window import MainWindow
from devsupport.servers import SERVER_CAPABILITIES
from tests.core.collab.scripted import ScriptedLocal, ScriptedRemote

PASSPHRASE = "violet lantern 77"
REQUEST = "Write a birthday note from Ada Brook to Lena"
LABEL = re.compile(r"\[\[?[A-Z][A-Za-z ]*\d*\]\]?")


class WindowLocal(ScriptedLocal):
    """The scripted local model where the window's worker builds a LlamaLocalModel."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__()
        self.budget = kwargs.get("threads")
        self.threads = Threads(1, 1)

    def twin(self) -> WindowLocal:
        return self

    def use_threads(self, budget: object) -> None:
        self.budget = budget


class WindowRemote(ScriptedRemote):
    def close(self) -> None:
        pass


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    made: dict[str, Any] = {"local": WindowLocal(), "remote": WindowRemote()}
    monkeypatch.setattr("cogenesis.adapters.llama.LlamaLocalModel", lambda *a, **k: made["local"])
    monkeypatch.setattr(
        "cogenesis.adapters.remote.factory.remote_from_settings", lambda *a: made["remote"]
    )
    return made


@pytest.fixture
def window(qtbot: QtBot, scripted: dict[str, Any]) -> Iterator[MainWindow]:
    opened = build_window(AppPaths.default().ensure())
    opened.show()
    assert opened.vault_actions.try_vault_action(opened.session.create, PASSPHRASE) is None
    assert opened.session.vault is not None
    opened.session.vault.profile.set(Profile(name="Ada Brook", location="Leeds"))
    opened.apply_settings(
        replace(
            opened.settings,
            privacy_mode="private",
            preview_policy="never",
            remote_base_url="http://127.0.0.1:9/v1",  # never reached: the remote is scripted
            remote_model="scripted",
            remote_capabilities=asdict(SERVER_CAPABILITIES),
        )
    )
    yield opened
    opened.close()
    del opened
    gc.collect()


def lena_label(window: MainWindow) -> str:
    assert window.session.vault is not None
    public = make_public(REQUEST, build_index(window.session.vault))
    return {r.original: r.placeholder for r in public.replacements}["Lena"]


def answer(qtbot: QtBot, window: MainWindow, mode: str) -> str:
    strategies = [m.strategy for m in window.mode_bar._modes]
    window.mode_bar.combo.setCurrentIndex(strategies.index(mode))
    window.mode_bar._chosen(strategies.index(mode))
    window.input.setPlainText(REQUEST)
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=60_000)
    return window.chat.toPlainText().rsplit("Assistant", 1)[-1]


def test_a_cloud_answer_shows_the_real_names(
    qtbot: QtBot, window: MainWindow, scripted: dict[str, Any]
) -> None:
    lena = lena_label(window)
    scripted["remote"].enqueue_chat(f"Dear {lena[:2]}", f"{lena[2:]}, happy birthday!")
    shown = answer(qtbot, window, "cloud")
    assert "Dear Lena, happy birthday!" in shown and not LABEL.search(shown)


def test_a_sketch_answer_and_its_outline_show_the_real_names(
    qtbot: QtBot, window: MainWindow, scripted: dict[str, Any]
) -> None:
    lena = lena_label(window)
    scripted["remote"].enqueue_chat(f"1. Greet {lena}\n2. Wish {lena} a good year")
    scripted["local"].enqueue("Dear Lena, a good year to you!")
    shown = answer(qtbot, window, "sketch")
    assert "Dear Lena" in shown and not LABEL.search(shown)
    outline = window.outline.text()  # rendered as a list: the numbers are gone
    assert "Greet Lena" in outline and not LABEL.search(outline)


def test_fused_tokens_show_the_real_names(
    qtbot: QtBot, window: MainWindow, scripted: dict[str, Any]
) -> None:
    window.apply_settings(replace(window.settings, fusion_rule="product"))
    lena = lena_label(window)
    scripted["local"].prefers = scripted["remote"].says = f"Dear {lena}, happy day."
    shown = answer(qtbot, window, "logit")
    assert "Dear Lena, happy day." in shown and not LABEL.search(shown)
