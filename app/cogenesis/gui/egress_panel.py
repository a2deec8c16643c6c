""" "What left this device": every egress record of the vault's ledger, the exact text sent,
a filter by conversation and charts of bytes sent per day and per conversation."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime

from PySide6.QtCore import QModelIndex, Qt
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

from cogenesis.core.egress import EgressLedger, EgressTotals, daily_series, format_bytes
from cogenesis.core.errors import VaultLocked
from cogenesis.core.vault import Vault
from cogenesis.gui.bar_chart import BarChart
from cogenesis.gui.egress_detail import EgressDetail
from cogenesis.gui.egress_model import EgressTableModel

LIMIT = 500  # newest records listed; totals and charts count every record
CHART_DAYS = 14
CHART_CONVERSATIONS = 6
_LOCKED = "The vault is locked.\nUnlock it to see what left this device."


class EgressPanel(QWidget):
    """Call ``set_vault(vault | None)`` when the vault opens or locks, ``refresh()`` after
    each answer. ``today`` fixes the chart's last day (tests); by default the UTC date."""

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("What left this device")
        self._vault: Vault | None = None
        self._today = today
        self.model = EgressTableModel()
        self.pages = QStackedWidget()
        self.locked_label = QLabel(_LOCKED, alignment=Qt.AlignmentFlag.AlignCenter)
        self.locked_label.setAccessibleName("Vault locked")
        self.pages.addWidget(self.locked_label)
        self.pages.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.refresh()

    def _build_content(self) -> QWidget:
        self.conversation_filter = QComboBox()
        self.conversation_filter.setAccessibleName("Filter by conversation")
        self.conversation_filter.setMinimumContentsLength(22)
        self.conversation_filter.currentIndexChanged.connect(lambda _i: self._reload())
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAccessibleName("Refresh the list")
        self.refresh_button.clicked.connect(self.refresh)
        title = QLabel("<h2 style='margin:0'>What left this device</h2>")
        filter_label = QLabel("&Conversation:")
        filter_label.setBuddy(self.conversation_filter)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(filter_label)
        header.addWidget(self.conversation_filter)
        header.addWidget(self.refresh_button)
        self.summary = QLabel()
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
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_row)
        return self.table

    @property
    def vault(self) -> Vault | None:
        return self._vault

    def set_vault(self, vault: Vault | None) -> None:
        """The unlocked vault whose ledger to show; None (or a locked vault) shows "locked"."""
        self._vault = vault
        self.refresh()

    def refresh(self) -> None:
        """Read the ledger again, keeping the filter and the selected record."""
        vault = self._vault
        if vault is not None and not vault.is_locked:
            with contextlib.suppress(VaultLocked):  # it locked meanwhile: _reload says so
                self._fill_filter(EgressLedger(vault.db), self._titles(vault))
        self._reload()

    def _show_locked(self) -> None:
        self.model.set_records([], {})
        self.detail.clear()
        self.pages.setCurrentWidget(self.locked_label)

    def selected_conversation(self) -> int | None:
        value = self.conversation_filter.currentData()
        return value if isinstance(value, int) else None

    def _titles(self, vault: Vault) -> dict[int, str]:
        return {c.id: c.title for c in vault.conversations.all()}

    def _fill_filter(self, ledger: EgressLedger, titles: dict[int, str]) -> None:
        chosen = self.selected_conversation()
        combo = self.conversation_filter
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All conversations", None)
        for conversation_id, requests, _sent in ledger.per_conversation():
            if conversation_id is not None:
                title = titles.get(conversation_id, f"#{conversation_id}")
                combo.addItem(f"{title} ({requests})", conversation_id)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        combo.blockSignals(False)

    def _reload(self) -> None:
        vault = self._vault
        try:
            if vault is None or vault.is_locked:
                raise VaultLocked("The vault is locked.")
            self._read_ledger(vault)
        except VaultLocked:
            self._show_locked()

    def _read_ledger(self, vault: Vault) -> None:
        ledger = EgressLedger(vault.db)
        conversation = self.selected_conversation()
        titles = self._titles(vault)
        selected = self._selected_id()
        self.model.set_records(ledger.records(conversation, limit=LIMIT), titles)
        totals = ledger.totals(conversation)
        self.summary.setText(_summary_text(totals, self.model.rowCount()))
        self._update_charts(ledger, titles, conversation)
        self._select(selected)
        self.pages.setCurrentIndex(1)

    def _update_charts(
        self, ledger: EgressLedger, titles: dict[int, str], conversation: int | None
    ) -> None:
        today = self._today or datetime.now(UTC).date()
        days = daily_series(ledger.per_day(conversation), today, CHART_DAYS)
        self.day_chart.set_bars(
            [(_day_label(day, i == 0), size) for i, (day, size) in enumerate(days)]
        )
        rows = sorted(ledger.per_conversation(), key=lambda row: -row[2])[:CHART_CONVERSATIONS]
        bars = [(_conversation_label(c, titles), sent) for c, _requests, sent in rows]
        ids = [c for c, _requests, _sent in rows]
        chosen = conversation is not None and conversation in ids
        highlight = ids.index(conversation) if chosen else None
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
        self._show_row(self.model.index(row, 0))

    def _show_row(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if current.isValid() and current.row() < len(self.model.records):
            self.detail.show_record(self.model.records[current.row()])
        else:
            self.detail.clear()


def _summary_text(totals: EgressTotals, shown: int) -> str:
    if not totals.requests:
        return "Nothing has left this device yet."
    text = (
        f"{totals.requests} request{'s' if totals.requests != 1 else ''} · "
        f"{totals.refused} refused · {format_bytes(totals.bytes_sent)} sent · "
        f"{format_bytes(totals.bytes_received)} received"
    )
    if shown < totals.requests:
        text += f" · showing the newest {shown}"
    return text


def _day_label(day: date, first: bool) -> str:
    return f"{day:%b} {day.day}" if first or day.day == 1 else str(day.day)


def _conversation_label(conversation_id: int | None, titles: dict[int, str]) -> str:
    if conversation_id is None:
        return "No conversation"
    return titles.get(conversation_id, f"#{conversation_id}")
