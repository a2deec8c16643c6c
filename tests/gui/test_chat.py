"""Chatting with the local model in the window: answers stream from the worker thread.

Each test closes its window itself: pytest-qt holds widgets weakly, and a window collected
before it is closed would destroy its running worker thread (Qt aborts the process then).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame, QStatusBar
from pytestqt.qtbot import QtBot

from cogenesis.core.collab.events import Reading
from cogenesis.core.llm import ModelInfo
from cogenesis.core.paths import AppPaths
from cogenesis.gui.app import build_window
from cogenesis.gui.main_window import MainWindow
from cogenesis.gui.status_line import StatusLine

PASSPHRASE = "violet lantern 77"


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    opened = build_window(AppPaths.default().ensure())
    opened.show()
    opened.max_tokens = 64  # short answers keep the tests quick
    assert opened.vault_actions.try_vault_action(opened.session.create, PASSPHRASE) is None
    yield opened
    opened.close()
    assert not opened.answers.worker_running
    # Collect the closed window now, while no worker thread runs: collecting it during a
    # later test's answer crashed shiboken (garbage collection inside a Qt callback).
    del opened
    gc.collect()


def answer_text(window: MainWindow) -> str:
    return window.chat.toPlainText().rsplit("Assistant", 1)[-1].strip()


def test_send_streams_an_answer_and_keeps_the_conversation(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert window.input.isEnabled()
    qtbot.keyClicks(window.input, "Say hello in five words.")
    window.send_button.click()
    assert window.busy and window.input.toPlainText() == ""
    assert not window.send_button.isEnabled() and window.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not window.busy, timeout=120_000)
    assert "You\nSay hello in five words." in window.chat.toPlainText()
    assert answer_text(window).strip()
    vault = window.session.vault
    assert vault is not None and window.conversation.id is not None
    messages = vault.conversations.messages(window.conversation.id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].content == window.chat.answer  # saved exactly as streamed
    last_line = messages[1].content.strip().splitlines()[-1]
    shown = window.chat.toPlainText()  # rendered as Markdown: the marks are gone, not the words
    assert all(word.strip("#*_`>-") in shown for word in last_line.split())
    assert window.conversations.count() == 1
    assert window.grab().save(str(tmp_path / "chat.png"))


def test_stop_cancels_the_answer(qtbot: QtBot, window: MainWindow) -> None:
    window.max_tokens = 400
    window.input.setPlainText("Write a very long story about the history of the sea.")
    window.send()
    qtbot.waitUntil(lambda: len(answer_text(window)) > 0, timeout=120_000)
    window.stop()
    qtbot.waitUntil(lambda: not window.busy, timeout=60_000)
    assert window.chat.toPlainText().rstrip().endswith("stopped")


def test_nothing_is_sent_while_locked(window: MainWindow) -> None:
    window.session.lock()
    assert not window.input.isEnabled()
    window.input.setPlainText("hello")
    window.send()
    assert not window.busy and window.input.toPlainText() == "hello"


def test_regenerate_replaces_the_last_answer(qtbot: QtBot, window: MainWindow) -> None:
    window.input.setPlainText("Name a colour.")
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=120_000)
    vault = window.session.vault
    assert vault is not None and window.conversation.id is not None
    window.regenerate_button.click()
    assert window.busy
    qtbot.waitUntil(lambda: not window.busy, timeout=120_000)
    messages = vault.conversations.messages(window.conversation.id)
    assert [(m.role, m.content if m.role == "user" else "") for m in messages] == [
        ("user", "Name a colour."),
        ("assistant", ""),
    ]
    assert window.chat.toPlainText().count("Name a colour.") == 1


def test_a_long_context_shows_reading_progress_and_stop_works_while_reading(
    qtbot: QtBot, window: MainWindow
) -> None:
    vault = window.session.vault
    assert vault is not None
    for i in range(6):
        vault.notes.add(f"Harbour log {i}", "The harbour ferry leaves at dawn with crates. " * 40)
    seen: list[Reading] = []

    def on_event(event: object) -> None:
        if isinstance(event, Reading):
            seen.append(event)
            if 0 < event.done < event.total:
                window.stop()  # while the prompt is read, before any answer token

    window.answers.worker.produced.connect(on_event)
    window.input.setPlainText("What does the harbour log say about the ferry?")
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=120_000)
    assert seen[0].total > 1000 and seen[-1].done < seen[-1].total  # stopped while reading
    assert not window.status.reading.isVisible()
    assert window.chat.toPlainText().rstrip().endswith("stopped")
    assert "thread" in window.status.model.text()  # what the local model uses


def test_the_reading_bar_shows_only_for_a_long_prompt(qtbot: QtBot) -> None:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    bar.show()
    status = StatusLine(bar)
    status.show_reading(Reading(128, 2000))
    assert status.reading.isVisible() and status.reading.value() == 128
    status.show_reading(Reading(2000, 2000))
    assert not status.reading.isVisible()
    status.show_reading(Reading(1900, 2000, reused=1900))  # a follow-up: little to read
    assert not status.reading.isVisible()


def _info(path: str, device_note: str = "", fallback: bool = False) -> ModelInfo:
    return ModelInfo(
        name="Smollm2 135M 8k Lc100K Mix1 Ep2",
        path=path,
        architecture="llama",
        parameters=135_000_000,
        quantization="Q4_1",
        vocab_size=49152,
        context_length=8192,
        context_size=4096,
        has_chat_template=True,
        device="CPU",
        device_note=device_note,
        device_fallback=fallback,
        threads=2,
    )


def test_the_status_line_names_the_model_as_its_file_does_and_the_cpu_plainly(
    qtbot: QtBot,
) -> None:
    """Issue 21: "CPU (fallback)" on a computer with no GPU, the model shown by its training
    run's label, and the answer figures running into "Vault unlocked"."""
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusLine(bar)
    no_gpu = "auto: this llama.cpp build has no GPU support (CPU-only build)"
    status.show_model(_info("/m/SmolLM2-135M-Instruct.Q4_1.gguf", no_gpu))
    assert status.model.text() == "SmolLM2 135M Instruct · CPU · 2 threads"
    assert no_gpu in status.model.toolTip()
    status.show_model(_info("/m/qwen2.5-1.5b-instruct-q4_k_m.gguf", "CUDA load failed", True))
    assert status.model.text().startswith("qwen2.5 1.5b instruct · CPU (fallback)")
    status.show_model(_info("/m/model.gguf"))
    assert status.model.text().startswith("Smollm2 135M 8k Lc100K Mix1 Ep2 · CPU")
    status.show_model(_info("/home/u/.ollama/models/blobs/sha256-6a0746a1ec1aef3e7ec53868f2"))
    assert status.model.text().startswith("Smollm2 135M 8k Lc100K Mix1 Ep2 · CPU")  # no digest
    lines = [f for f in bar.findChildren(QFrame) if f.frameShape() == QFrame.Shape.VLine]
    assert len(lines) == 2  # model | answer figures | vault
