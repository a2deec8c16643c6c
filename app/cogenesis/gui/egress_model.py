"""The egress ledger as a Qt table model: one row per request, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from cogenesis.core.egress import EgressRecord, format_bytes

COLUMNS = ("Time", "Destination", "Endpoint", "Sent", "Mode", "Purpose", "Conversation", "Verdict")
SENT_COLUMN = COLUMNS.index("Sent")
VERDICT_COLUMN = COLUMNS.index("Verdict")
_REFUSED_TEXT = QColor("#c62828")
_REFUSED_BACKGROUND = QColor(198, 40, 40, 28)
AnyIndex = QModelIndex | QPersistentModelIndex


def local_time(iso: str) -> str:
    """A ledger timestamp (UTC) in the user's time zone, to the second."""
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def verdict_text(record: EgressRecord) -> str:
    """``refused``, ``allowed``, or ``allowed (failed)`` and the like when it did not complete."""
    if record.refused:
        return "refused"
    if record.outcome in ("complete", "sending"):
        return "allowed"
    return f"allowed ({record.outcome})"


def table_rows(records: list[EgressRecord], titles: dict[int, str]) -> list[tuple[str, ...]]:
    """The cells of each record, as the table shows them (pure: any thread may call it)."""
    return [_row_cells(record, titles) for record in records]


def _row_cells(record: EgressRecord, titles: dict[int, str]) -> tuple[str, ...]:
    sent = "0 B" if record.refused else format_bytes(len(record.request_body))
    conversation = (
        titles.get(record.conversation_id, f"#{record.conversation_id}")
        if record.conversation_id is not None
        else "—"
    )
    return (
        local_time(record.started_at),
        record.host,
        f"{record.method} {record.path}",
        sent,
        record.privacy_mode,
        record.purpose or "—",
        conversation,
        verdict_text(record),
    )


class EgressTableModel(QAbstractTableModel):
    """Rows of EgressRecord; ``titles`` names conversations by id."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[EgressRecord] = []
        self.titles: dict[int, str] = {}
        self._cells: list[tuple[str, ...]] = []

    def set_records(
        self,
        records: list[EgressRecord],
        titles: dict[int, str],
        rows: list[tuple[str, ...]] | None = None,
    ) -> None:
        """Show ``records``; ``rows`` are their cells from ``table_rows`` when already made
        (on a worker thread), else they are made here."""
        self.beginResetModel()
        self.records, self.titles = list(records), dict(titles)
        self._cells = rows if rows is not None else table_rows(self.records, self.titles)
        self.endResetModel()

    def row_of(self, record_id: int) -> int | None:
        return next((row for row, r in enumerate(self.records) if r.id == record_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt)
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == SENT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._style(record, index.column(), role)

    def _tooltip(self, row: int, column: int) -> str:
        record = self.records[row]
        if column == VERDICT_COLUMN and record.refused:
            return f"Refused by the privacy guard: {record.verdict.removeprefix('refused: ')}"
        if column == SENT_COLUMN and record.refused:
            return f"Nothing left: {format_bytes(len(record.request_body))} were held back"
        if column == 0:
            return f"{record.started_at} (UTC)"
        return self._cells[row][column]

    def _style(self, record: EgressRecord, column: int, role: int) -> Any:
        if not record.refused:
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == VERDICT_COLUMN:
            return _REFUSED_TEXT
        if role == Qt.ItemDataRole.BackgroundRole:
            return _REFUSED_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and column == VERDICT_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        return None
