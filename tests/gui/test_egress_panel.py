"""The "what left this device" panel over a real vault and ledger."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cogenesis.core.egress import EgressContext, EgressLedger, OutgoingRequest
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.vault import Profile, Vault
from cogenesis.gui.egress_model import COLUMNS, VERDICT_COLUMN
from cogenesis.gui.egress_panel import EgressPanel
from cogenesis.gui.highlight import marker_format
from cogenesis.gui.theme import apply_theme
from tests.gui.a11y import unnamed_controls
from tests.gui.screenshots import save_screenshot

TODAY = datetime.now(UTC).date()
HEADERS = {"authorization": "[redacted]", "content-type": "application/json"}


def chat_request(text: str, path: str = "/v1/chat/completions") -> OutgoingRequest:
    body = {
        "model": "gpt-4o-mini",
        "stream": True,
        "messages": [
            {"role": "system", "content": "Write a short outline of the answer."},
            {"role": "user", "content": text},
        ],
    }
    return OutgoingRequest(
        "https", "api.openai.com", None, "POST", path, HEADERS, json.dumps(body).encode()
    )


def send(
    ledger: EgressLedger, request: OutgoingRequest, context: EgressContext, reply: bytes
) -> int:
    """What the choke point writes for a request that went out and was answered."""
    record_id = ledger.start(request, context)
    ledger.append(record_id, reply)
    ledger.finish(
        record_id,
        status=200,
        headers={"content-type": "text/event-stream"},
        outcome="complete",
        duration_ms=840.0,
    )
    return record_id


def move_to_day(vault: Vault, record_id: int, day: date) -> None:
    """Back-date a record so the chart has several days (the ledger stamps 'now')."""
    with vault.db.transaction() as conn:
        conn.execute(
            "UPDATE egress SET started_at = ? WHERE id = ?",
            (f"{day.isoformat()}T09:30:00+00:00", record_id),
        )


@pytest.fixture
def filled(vault: Vault) -> dict[str, int]:
    """Two conversations with sketch and logit traffic, a probe, and one refused request."""
    vault.profile.set(Profile(name="Maren Okafor", location="Lyon"))
    ledger = EgressLedger(vault.db)
    trip = vault.conversations.create("Weekend trip", "private").id
    letter = vault.conversations.create("Letter to the landlord", "private").id
    sketch = EgressContext("private", trip, "sketch")
    first = send(
        ledger,
        chat_request("Plan a weekend in [PLACE] for [PERSON] and two kids."),
        sketch,
        b'data: {"x": 1}\n\ndata: [DONE]\n\n',
    )
    move_to_day(vault, first, TODAY - timedelta(days=3))
    second = send(
        ledger,
        chat_request("Outline a polite letter asking [PERSON] to fix the heating."),
        EgressContext("private", letter, "sketch"),
        b"data: [DONE]\n\n",
    )
    move_to_day(vault, second, TODAY - timedelta(days=1))
    probe = OutgoingRequest("https", "api.openai.com", None, "GET", "/v1/models", HEADERS, b"")
    send(ledger, probe, EgressContext("private", None, "probe"), b'{"data": []}')
    guard = PrivacyGuard(IndexCache(vault).get)
    leaking = chat_request("Remind Maren Okafor about the dentist in Lyon.")
    context = EgressContext("private", trip, "logit")
    verdict = guard(leaking, context)
    assert not verdict.allowed
    refused = ledger.refused(leaking, context, verdict)
    return {"trip": trip, "letter": letter, "refused": refused, "first": first}


def make_panel(qtbot: QtBot, vault: Vault | None) -> EgressPanel:
    panel = EgressPanel(today=TODAY)
    qtbot.addWidget(panel)
    panel.set_vault(vault)
    panel.resize(1100, 760)
    panel.show()
    settle(qtbot, panel)
    return panel


def settle(qtbot: QtBot, panel: EgressPanel) -> None:
    """Wait until the panel shows what its worker read."""
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)


def cell(panel: EgressPanel, row: int, column: str) -> str:
    return str(panel.model.index(row, COLUMNS.index(column)).data())


def select(panel: EgressPanel, record_id: int) -> None:
    row = panel.model.row_of(record_id)
    assert row is not None
    panel.table.setCurrentIndex(panel.model.index(row, 0))


def test_locked_vault_shows_locked_and_unlock_shows_the_ledger(qtbot: QtBot, vault: Vault) -> None:
    panel = make_panel(qtbot, None)
    assert panel.pages.currentWidget() is panel.locked_label
    panel.set_vault(vault)
    settle(qtbot, panel)
    assert panel.pages.currentIndex() == 1
    assert panel.summary.text() == "Nothing has left this device yet."
    vault.lock()
    panel.refresh()
    settle(qtbot, panel)
    assert panel.pages.currentWidget() is panel.locked_label
    assert panel.model.rowCount() == 0
    panel.close()


def test_every_record_is_listed_newest_first_with_its_verdict(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    assert panel.model.rowCount() == 4
    assert [r.id for r in panel.model.records] == sorted(
        (r.id for r in panel.model.records), reverse=True
    )
    assert cell(panel, 0, "Verdict") == "refused" and cell(panel, 0, "Sent") == "0 B"
    assert cell(panel, 0, "Conversation") == "Weekend trip"
    assert cell(panel, 0, "Destination") == "api.openai.com"
    assert cell(panel, 0, "Endpoint") == "POST /v1/chat/completions"
    assert cell(panel, 0, "Mode") == "private" and cell(panel, 0, "Purpose") == "logit"
    reason = panel.model.index(0, VERDICT_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert "sensitive term" in reason
    assert cell(panel, 1, "Conversation") == "—" and cell(panel, 1, "Purpose") == "probe"
    assert cell(panel, 1, "Verdict") == "allowed"
    assert panel.summary.text().startswith("4 requests · 1 refused ·")
    panel.close()


def test_selecting_shows_the_exact_text_with_placeholders_highlighted(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    select(panel, filled["first"])
    text = panel.detail.text_sent.toPlainText()
    assert "── user ──\nPlan a weekend in [PLACE] for [PERSON] and two kids." in text
    assert "Allowed" in panel.detail.banner.text()
    record = panel.model.records[panel.model.row_of(filled["first"]) or 0]
    assert panel.detail.exact_bytes.toPlainText().encode() == record.request_body
    block = panel.detail.text_sent.document().findBlock(text.index("[PLACE]"))
    start = text.index("[PLACE]") - block.position()
    spans = {(f.start, f.length) for f in block.layout().formats()}
    assert (start, len("[PLACE]")) in spans
    assert "authorization: [redacted]" in panel.detail.headers.toPlainText()

    select(panel, filled["refused"])
    assert (
        "Refused" in panel.detail.banner.text() and "Nothing was sent" in panel.detail.banner.text()
    )
    assert "Maren Okafor" in panel.detail.text_sent.toPlainText()  # what was held back
    assert "nothing was sent" in panel.detail.response.toPlainText()
    panel.close()


def test_filter_by_conversation_and_charts(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    day_values = [value for _label, value in panel.day_chart.bars]
    assert len(day_values) == 14 and day_values[-4] > 0 and day_values[-2] > 0
    combo = panel.conversation_filter
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All conversations",
        "Weekend trip (2)",
        "Letter to the landlord (1)",
    ]
    combo.setCurrentIndex(combo.findData(filled["trip"]))
    settle(qtbot, panel)
    assert {cell(panel, row, "Conversation") for row in range(panel.model.rowCount())} == {
        "Weekend trip"
    }
    assert panel.model.rowCount() == 2
    trip_days = [value for _label, value in panel.day_chart.bars]
    assert trip_days[-4] == day_values[-4] and trip_days[-2] == 0  # the letter was on day -1
    highlighted = panel.conversation_chart.bars[panel.conversation_chart.highlight or 0]
    assert highlighted[0] == "Weekend trip"
    assert panel.summary.text().startswith("2 requests · 1 refused")
    panel.close()


def test_refresh_shows_new_records_and_keeps_filter_and_selection(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    panel.conversation_filter.setCurrentIndex(panel.conversation_filter.findData(filled["trip"]))
    settle(qtbot, panel)
    select(panel, filled["first"])
    ledger = EgressLedger(vault.db)
    send(
        ledger,
        chat_request("Pack for [PLACE]"),
        EgressContext("private", filled["trip"], "sketch"),
        b"ok",
    )
    panel.refresh()
    settle(qtbot, panel)
    assert panel.model.rowCount() == 3
    assert panel.selected_conversation() == filled["trip"]
    assert panel.model.records[panel.table.currentIndex().row()].id == filled["first"]
    assert "Plan a weekend" in panel.detail.text_sent.toPlainText()
    panel.close()


def test_keyboard_moves_through_the_records(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    assert "Refused" in panel.detail.banner.text()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert "/v1/models" in panel.detail.headers.toPlainText()
    panel.close()


def test_screenshot(qtbot: QtBot, vault: Vault, filled: dict[str, int], tmp_path: Path) -> None:
    panel = make_panel(qtbot, vault)
    select(panel, filled["first"])
    for target in save_screenshot(panel, tmp_path, "egress_panel.png"):
        assert target.stat().st_size > 10_000
    panel.close()


def test_dark_theme_recolours_the_markers(
    qtbot: QtBot, vault: Vault, filled: dict[str, int], tmp_path: Path, qapp: QApplication
) -> None:
    panel = make_panel(qtbot, vault)
    select(panel, filled["first"])
    document = panel.detail.text_sent.document()

    def placeholder_background() -> str:
        text = document.toPlainText()
        block = document.findBlock(text.index("[PLACE]"))
        formats = block.layout().formats()
        return formats[0].format.background().color().name()

    light = placeholder_background()
    apply_theme(qapp, "dark")
    try:
        qtbot.waitUntil(lambda: placeholder_background() != light, timeout=2000)
        assert (
            placeholder_background()
            == marker_format("placeholder", True).background().color().name()
        )
        save_screenshot(panel, tmp_path, "egress_panel_dark.png")
    finally:
        apply_theme(qapp, "system")
    panel.close()


def test_a_vault_locked_behind_the_panels_back_shows_locked(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    vault.lock()  # e.g. auto-lock, before the main window calls set_vault(None)
    panel.conversation_filter.setCurrentIndex(1)
    settle(qtbot, panel)
    assert panel.pages.currentWidget() is panel.locked_label
    panel.refresh()
    settle(qtbot, panel)
    assert panel.pages.currentWidget() is panel.locked_label and panel.model.rowCount() == 0
    panel.close()


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    assert unnamed_controls(panel) == []
    panel.close()


def test_refresh_during_a_read_reads_once_more(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    panel.refresh()
    assert panel.busy
    send(
        EgressLedger(vault.db),
        chat_request("One more"),
        EgressContext("private", None, "sketch"),
        b"ok",
    )
    panel.refresh()  # while the first read may still run: its result must not be the last
    settle(qtbot, panel)
    assert panel.model.rowCount() == 5
    panel.close()


def test_a_vault_locked_during_a_read_shows_locked(
    qtbot: QtBot, vault: Vault, filled: dict[str, int]
) -> None:
    panel = make_panel(qtbot, vault)
    panel.refresh()
    vault.lock()
    settle(qtbot, panel)
    assert panel.pages.currentWidget() is panel.locked_label
    panel.close()


def test_a_logit_request_is_explained_in_plain_words() -> None:
    """Issue 21: logit details showed raw <|im_start|>, logprobs: 10, max_tokens: 3."""
    import json

    from cogenesis.gui.egress_text import request_explanation

    body = {"prompt": "<|im_start|>user\nWrite a toast<|im_end|>", "logprobs": 10, "max_tokens": 3}
    text = request_explanation(json.dumps(body).encode())
    assert "10 most likely next words" in text and "up to 3 tokens" in text
    assert "turn markers" in text
    chat = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 200}
    assert request_explanation(json.dumps(chat).encode()) == ""  # plain requests need none
    assert request_explanation(b"not json") == ""
