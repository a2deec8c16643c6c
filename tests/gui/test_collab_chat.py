"""The window end to end with a remote model: llama-cpp-python's server on loopback.

Each test closes its window itself (a collected window would destroy its running thread).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cogenesis.adapters.remote import DemoServer
from cogenesis.core.egress import EgressLedger
from cogenesis.core.paths import AppPaths
from cogenesis.core.policy import ALLOWED, PrivacyMode
from cogenesis.core.settings import Settings, save_settings
from cogenesis.core.vault import Profile
from cogenesis.gui.app import build_window
from cogenesis.gui.main_window import MainWindow
from devsupport.servers import SERVER_CAPABILITIES, LlamaServer
from tests.gui.screenshots import save_screenshot

PASSPHRASE = "violet lantern 77"
PRIVATE_NAME = "Ingrid Halvorsen"


@pytest.fixture
def window(qtbot: QtBot, llama_server: LlamaServer) -> Iterator[MainWindow]:
    paths = AppPaths.default().ensure()
    settings = Settings(
        privacy_mode="private",
        preview_policy="never",
        remote_base_url=llama_server.base_url,
        remote_model="starter",
        remote_capabilities=asdict(SERVER_CAPABILITIES),
    )
    save_settings(settings, paths.settings_file)
    opened = build_window(paths)
    opened.show()
    opened.max_tokens = 64  # short answers keep the tests quick
    assert opened.vault_actions.try_vault_action(opened.session.create, PASSPHRASE) is None
    vault = opened.session.vault
    assert vault is not None
    vault.profile.set(Profile(name=PRIVATE_NAME, location="Tromsø", occupation="Ferry pilot"))
    yield opened
    opened.close()
    # Collect the closed window now, while no worker thread runs: collecting it during a
    # later test's answer crashed shiboken (garbage collection inside a Qt callback).
    del opened
    gc.collect()


def ledger_of(window: MainWindow) -> EgressLedger:
    assert window.session.vault is not None
    return EgressLedger(window.session.vault.db)


def test_sketch_mode_shows_the_outline_streams_and_records_egress(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert window.mode_bar.mode.strategy == "sketch"  # the default once a remote is set
    assert "Private collaboration" in window.mode_bar.badge.text()
    tokens: list[str] = []
    window.answers.worker.produced.connect(lambda e: tokens.append(type(e).__name__))
    window.input.setPlainText(f"Write two lines to {PRIVATE_NAME} about sailing on Sunday.")
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=180_000)
    assert window.outline.isVisible() and window.outline.text().strip()
    assert tokens.count("Token") > 1  # streamed, not delivered at once
    assert window.chat.answer.strip()
    records = ledger_of(window).records()
    assert records and all(r.outcome == "complete" for r in records)
    surname = PRIVATE_NAME.split()[1].lower()
    assert all(surname not in r.request_body.decode().lower() for r in records)
    assert "remote calls 1" in window.status.answer.text()
    assert window.status.answer.isVisibleTo(window)
    window.show_egress()
    qtbot.waitUntil(lambda: window.egress.model.rowCount() == len(records), timeout=10_000)
    window.egress.table.selectRow(0)
    save_screenshot(window, tmp_path, "main_window_sketch.png")
    save_screenshot(window.egress, tmp_path, "egress_panel_after_sketch.png")


def test_preview_shows_the_public_part_and_sends_the_edited_text(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.apply_settings(replace(window.settings, preview_policy="always"))
    seen: list[str] = []

    def edit(_policy: str, public: object, original: str, _parent: object) -> str:
        seen.append(public.text)  # type: ignore[attr-defined]
        return "Write two lines about sailing on Sunday, please."

    monkeypatch.setattr("cogenesis.gui.answer_controller.confirm_public_text", edit)
    window.input.setPlainText(f"Write two lines to {PRIVATE_NAME} about sailing on Sunday.")
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=180_000)
    assert seen and PRIVATE_NAME not in seen[0] and "[" in seen[0]  # a placeholder
    bodies = [r.request_body.decode() for r in ledger_of(window).records()]
    assert any("sailing on Sunday, please." in body for body in bodies)


def test_cancelling_the_preview_sends_nothing_and_keeps_the_message(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "cogenesis.gui.answer_controller.confirm_public_text", lambda *_a, **_k: None
    )
    message = f"Invite {PRIVATE_NAME} to dinner."
    window.input.setPlainText(message)
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=60_000)
    assert window.input.toPlainText() == message
    assert ledger_of(window).records() == []
    vault = window.session.vault
    assert vault is not None and vault.conversations.all() == []


def test_offline_makes_no_request(qtbot: QtBot, window: MainWindow) -> None:
    window.apply_settings(replace(window.settings, privacy_mode="offline"))
    assert [window.mode_bar.combo.itemText(i) for i in range(window.mode_bar.combo.count())] == [
        "Local only"
    ]
    window.input.setPlainText("Say hello.")
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=120_000)
    assert window.chat.answer.strip()
    assert ledger_of(window).records() == []


def test_cloud_without_context_offers_only_what_the_policy_table_allows(
    window: MainWindow,
) -> None:
    window.apply_settings(replace(window.settings, privacy_mode="cloud-no-context"))
    offered = [window.mode_bar.combo.itemText(i) for i in range(window.mode_bar.combo.count())]
    assert offered == ["Cloud without context"]  # as cogenesis ask and the engine allow
    assert [m.strategy for m in window.mode_bar._modes] == list(
        ALLOWED[PrivacyMode.CLOUD_NO_CONTEXT]
    )


def _choose_full_context(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, *, answer: int
) -> None:
    """Full-context privacy mode, then the full mode chosen; the consent question gets
    ``answer`` (a QMessageBox button)."""
    window.apply_settings(replace(window.settings, privacy_mode="full-context"))
    monkeypatch.setattr("cogenesis.gui.mode_bar.QMessageBox.warning", lambda *_a, **_k: answer)
    full = [m.strategy for m in window.mode_bar._modes].index("full")
    window.mode_bar.combo.setCurrentIndex(full)
    window.mode_bar._chosen(full)


def test_full_context_asks_first_and_a_refusal_sends_nothing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _choose_full_context(window, monkeypatch, answer=0x00010000)  # No
    assert window.mode_bar.mode.strategy == "local"  # refused: back to local only
    assert ledger_of(window).records() == []


def test_the_demo_endpoint_makes_logit_fusion_work_out_of_the_box(qtbot: QtBot) -> None:
    window = build_window(AppPaths.default().ensure())
    window.show()
    window.max_tokens = 24
    try:
        demo = _chat_through_the_demo_endpoint(qtbot, window)
    finally:
        window.close()
    assert not demo.running  # stopped with the window
    del window
    gc.collect()


def _chat_through_the_demo_endpoint(qtbot: QtBot, window: MainWindow) -> DemoServer:
    assert window.vault_actions.try_vault_action(window.session.create, PASSPHRASE) is None
    window.apply_settings(replace(window.settings, privacy_mode="private", remote_provider="demo"))
    qtbot.waitUntil(window.modes.remote_ready, timeout=180_000)
    demo = window.demo_endpoint.server
    assert demo is not None and demo.base_url.startswith("http://127.0.0.1:")
    assert "Demo endpoint" in window.mode_bar.remote_name
    logit = [m.strategy for m in window.mode_bar._modes].index("logit")
    window.mode_bar.combo.setCurrentIndex(logit)
    window.input.setPlainText("Name three colours.")
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=240_000)
    assert window.chat.answer.strip()
    records = ledger_of(window).records()
    assert records and {r.privacy_mode for r in records} == {"private"}
    assert all(str(demo.port) in r.host for r in records)
    return demo


def test_full_context_after_consent_sends_the_context_and_records_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _choose_full_context(window, monkeypatch, answer=0x00004000)  # Yes
    assert window.mode_bar.mode.strategy == "full" and window.mode_bar.has_consent()
    assert "Full context" in window.mode_bar.badge.text()
    window.input.setPlainText("Where do I work, and as what?")
    window.send()
    qtbot.waitUntil(lambda: not window.busy, timeout=180_000)
    records = ledger_of(window).records()
    assert records and all(r.privacy_mode == "full-context" for r in records)
    assert all(r.outcome == "complete" for r in records)
    assert any("Ferry pilot" in r.request_body.decode() for r in records)  # with consent only
