""" "What left this device": every egress record of the vault's ledger, the exact text sent,
a filter by conversation and charts of bytes sent per day and per conversation.

The ledger is read off the GUI thread (``read_snapshot``), so a long ledger never stalls
the window; the GUI thread only shows what was read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cogenesis.core.egress import (
    LedgerSnapshot,
    daily_series,
    format_bytes,
    read_snapshot,
)
from cogenesis.core.errors import CogenesisError, VaultLocked
from cogenesis.core.vault import Vault
from cogenesis.gui.background import BackgroundCall
from cogenesis.gui.bar_chart import BarChart
from cogenesis.gui.egress_detail import EgressDetail
from cogenesis.gui.egress_model import EgressTableModel, table_rows
from cogenesis.gui.egress_text import by_id, conversation_label, day_label, summary_text

LIMIT = 500  # newest records listed; totals and charts count every record
CHART_DAYS = 14
CHART_CONVERSATIONS = 6
_WIDEST = (  # typical widest cell of each column but the last
    "2026-12-31 23:59:59",
    "api.openai.com",
    "POST /v1/chat/completions",
    "999.9 kB",
    "cloud-no-context",
    "model download",
    "A conversation title",
)
_LOCKED = "The vault is locked.\nUnlock it to see what left this device."
Rows = list[tuple[str, ...]]


class EgressPanel(QWidget):
    """Call ``set_vault(vault | None)`` when the vault opens or locks, ``refresh()`` after
    each answer; ``refreshed`` is emitted once what was read is shown. ``today`` fixes the
    chart's last day (tests); by default the UTC date."""

    refreshed = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("What left this device")
        self._vault: Vault | None = None
        self._today = today
        self._snapshot: LedgerSnapshot | None = None
        self._read = BackgroundCall(self)
        self._read.succeeded.connect(self._read_done)
        self._read.failed.connect(self._read_failed)
        self._read_vault: Vault | None = None  # the vault the read under way reads
        self._read_again = False
        self.model = EgressTableModel()
        self.pages = QStackedWidget()
        self.locked_label = QLabel(_LOCKED, alignment=Qt.AlignmentFlag.AlignCenter)
        self.locked_label.setAccessibleName("Vault locked")
        self.pages.addWidget(self.locked_label)
        self.pages.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def _build_content(self) -> QWidget:
        self.conversation_filter = QComboBox()
        self.conversation_filter.setAccessibleName("Filter by conversation")
        self.conversation_filter.setMinimumContentsLength(14)
        self.conversation_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.conversation_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAccessibleName("Refresh the list")
        self.refresh_button.clicked.connect(self.refresh)
        filter_label = QLabel("&Conversation:")  # the dock's title names the panel
        filter_label.setBuddy(self.conversation_filter)
        header = QHBoxLayout()
        header.addWidget(filter_label)
        header.addWidget(self.conversation_filter, 1)
        header.addWidget(self.refresh_button)
        self.summary = QLabel("Reading the ledger…")
        self.summary.setAccessibleName("Totals")
        self.summary.setWordWrap(True)
        self.day_chart = BarChart(
            f"Bytes sent per day (last {CHART_DAYS} days, UTC)",
            format_value=format_bytes,
            empty_text="Nothing sent in these days",
        )
        self.conversation_chart = BarChart(
            "Bytes sent per conversation",
            horizontal=True,
            format_value=format_bytes,
            empty_text="Nothing sent yet",
        )
        charts = QHBoxLayout()
        charts.addWidget(self.day_chart, 3)
        charts.addWidget(self.conversation_chart, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_table())
        self.detail = EgressDetail()
        splitter.addWidget(self.detail)
        splitter.setSizes([260, 300])
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addLayout(charts)
        layout.addWidget(splitter, 1)
        return content

    def _build_table(self) -> QTableView:
        self.table = QTableView()
        self.table.setAccessibleName("Requests that left this device")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, sample in enumerate(_WIDEST):  # measuring every row would stall refreshes
            width = self.table.fontMetrics().horizontalAdvance(sample)
            header.resizeSection(column, width + 20)
        self.table.selectionModel().currentRowChanged.connect(self._show_row)
        return self.table

    @property
    def vault(self) -> Vault | None:
        return self._vault

    @property
    def busy(self) -> bool:
        """Whether a read of the ledger is under way."""
        return self._read.running

    def set_vault(self, vault: Vault | None) -> None:
        """The unlocked vault whose ledger to show; None (or a locked vault) shows "locked"."""
        self._vault = vault
        self.refresh()

    def refresh(self) -> None:
        """Read the ledger again (off the GUI thread), keeping the filter and the selection."""
        vault = self._vault
        if vault is None or vault.is_locked:
            self._show_locked()
            return
        if self._read.running:
            self._read_again = True  # once the current read is in, read once more
            return
        today = self._today or datetime.now(UTC).date()
        since = today - timedelta(days=CHART_DAYS - 1)
        conversation = self.selected_conversation()
        self._read_vault = vault
        self._read.start(lambda: _read(vault, conversation, since))

    def _read_done(self, result: tuple[LedgerSnapshot, Rows]) -> None:
        if not self._read_is_stale():
            self._show(*result)
            self._read_ended()

    def _read_failed(self, error: CogenesisError) -> None:
        if self._read_is_stale():
            return
        if isinstance(error, VaultLocked):
            self._show_locked()
        else:  # shown where the totals go
            self.summary.setText(f"Cannot read the ledger: {error}")
        self._read_ended()

    def _read_is_stale(self) -> bool:
        """A read for a vault no longer shown, or locked meanwhile: refreshed instead."""
        vault = self._read_vault
        if vault is self._vault and vault is not None and not vault.is_locked:
            return False
        self.refresh()
        return True

    def _read_ended(self) -> None:
        if self._read_again:
            self._read_again = False
            self.refresh()
        else:
            self.refreshed.emit()

    def _show_locked(self) -> None:
        self._snapshot = None
        self.model.set_records([], {})
        self.detail.clear()
        self.pages.setCurrentWidget(self.locked_label)
        self.refreshed.emit()

    def selected_conversation(self) -> int | None:
        value = self.conversation_filter.currentData()
        return value if isinstance(value, int) else None

    def _show(self, snapshot: LedgerSnapshot, rows: Rows) -> None:
        self._snapshot = snapshot
        selected = self._selected_id()
        self._fill_filter(snapshot)
        self.model.set_records(snapshot.records, snapshot.titles, rows)
        self.summary.setText(summary_text(snapshot.totals, self.model.rowCount()))
        self._update_charts(snapshot)
        self._select(selected)
        self.pages.setCurrentIndex(1)

    def _fill_filter(self, snapshot: LedgerSnapshot) -> None:
        combo = self.conversation_filter
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All conversations", None)
        for conversation_id, totals in sorted(snapshot.totals_by_conversation.items(), key=by_id):
            if conversation_id is not None:
                title = snapshot.titles.get(conversation_id, f"#{conversation_id}")
                combo.addItem(f"{title} ({totals.requests})", conversation_id)
        chosen = snapshot.conversation_id
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        combo.blockSignals(False)

    def _update_charts(self, snapshot: LedgerSnapshot) -> None:
        today = self._today or datetime.now(UTC).date()
        days = daily_series(snapshot.per_day, today, CHART_DAYS)
        self.day_chart.set_bars(
            [(day_label(day, i == 0), size) for i, (day, size) in enumerate(days)]
        )
        totals = snapshot.totals_by_conversation
        shown = sorted(totals.items(), key=lambda item: -item[1].bytes_sent)[:CHART_CONVERSATIONS]
        bars = [(conversation_label(c, snapshot.titles), t.bytes_sent) for c, t in shown]
        ids = [c for c, _totals in shown]
        chosen = snapshot.conversation_id
        highlight = ids.index(chosen) if chosen is not None and chosen in ids else None
        self.conversation_chart.set_bars(bars, highlight)

    def _selected_id(self) -> int | None:
        row = self.table.currentIndex().row()
        return self.model.records[row].id if 0 <= row < len(self.model.records) else None

    def _select(self, record_id: int | None) -> None:
        row = None if record_id is None else self.model.row_of(record_id)
        if row is None:
            self.detail.clear()
            return
        self.table.selectRow(row)

    def _show_row(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if current.isValid() and current.row() < len(self.model.records):
            self.detail.show_record(self.model.records[current.row()])
        else:
            self.detail.clear()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self._read.cancel()
        self._read_again = False
        super().closeEvent(event)


def _read(vault: Vault, conversation: int | None, since: date) -> tuple[LedgerSnapshot, Rows]:
    """On the worker thread: the snapshot and the table's cells."""
    snapshot = read_snapshot(vault, conversation, since, LIMIT)
    return snapshot, table_rows(snapshot.records, snapshot.titles)
