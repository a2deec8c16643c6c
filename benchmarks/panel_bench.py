"""The "what left this device" panel as the ledger grows: the read on its worker thread
(``read_snapshot``: newest 500 records, totals per conversation, 14 days) and the part that
holds the GUI thread (showing what was read, and drawing the whole panel once)."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from cogenesis.core.egress import EgressContext, EgressLedger, OutgoingRequest, read_snapshot
from cogenesis.core.vault import Vault, VaultFiles, create_vault
from cogenesis.gui.egress_model import table_rows
from cogenesis.gui.egress_panel import LIMIT, EgressPanel
from devsupport.fakes import MemoryKeyStore

SIZES = (100, 1000, 5000)
BODY_CHARS = 2000  # a typical sketch request: system prompt, instruction, parameters
RUNS = 5


def fill(vault: Vault, ledger: EgressLedger, count: int) -> None:
    conversations = [vault.conversations.create(f"Conversation {i}").id for i in range(20)]
    text = "Outline a reply to [PERSON] about the trip. " * (BODY_CHARS // 45)
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": text}]}).encode()
    request = OutgoingRequest("https", "api.example.com", None, "POST", "/v1/chat", {}, body)
    for i in range(count):
        context = EgressContext("private", conversations[i % 20], "sketch")
        record_id = ledger.start(request, context)
        ledger.append(record_id, b"data: [DONE]\n\n")
        ledger.finish(record_id, status=200, headers={}, outcome="complete", duration_ms=1.0)


def median_ms(action: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def measure(vault: Vault) -> tuple[float, float]:
    since = datetime.now(UTC).date() - timedelta(days=13)
    snapshot = read_snapshot(vault, None, since, LIMIT)
    rows = table_rows(snapshot.records, snapshot.titles)
    panel = EgressPanel()
    panel.show()
    panel._show(snapshot, rows)  # the GUI thread's share of a refresh
    panel.table.selectRow(0)
    read = median_ms(lambda: table_rows(read_snapshot(vault, None, since, LIMIT).records, {}))
    shown = median_ms(lambda: (panel._show(snapshot, rows), panel.grab()))
    panel.close()
    panel.deleteLater()
    return read, shown


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the app is created
    app = QApplication.instance() or QApplication([])
    print(f"# egress panel refresh (median of {RUNS}), request bodies of ~{BODY_CHARS} chars")
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            vault = create_vault(VaultFiles(Path(tmp) / "vault"), MemoryKeyStore())
            fill(vault, EgressLedger(vault.db), size)
            read, shown = measure(vault)
            vault.lock()
        print(f"{size:>5} records: read (worker) {read:.1f} ms, shown (GUI thread) {shown:.1f} ms")
    app.processEvents()


if __name__ == "__main__":
    main()
