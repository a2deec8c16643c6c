"""The sensitive-terms table: one row per term, filtered by text and by status."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from cogenesis.core.privacy.term_list import TermEntry, TermStatus

ENTRY_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Term", "Type", "Status")
STATUS_TEXT: dict[TermStatus, str] = {
    "found": "Private: found in your vault",
    "marked": "Private: marked by you",
    "unmarked": "Not private: un-marked by you",
}
STATUS_COLOUR: dict[TermStatus, str] = {
    "found": "#1b6e3a",
    "marked": "#1b4f9c",
    "unmarked": "#7a7a7a",
}
FILTERS: dict[str, tuple[TermStatus, ...]] = {
    "All terms": ("found", "marked", "unmarked"),
    "Kept private": ("found", "marked"),
    "Found in your vault": ("found",),
    "Marked by you": ("marked",),
    "Un-marked by you": ("unmarked",),
}
_KIND_TEXT = {"custom": "Custom", "NAME": "Name", "PERSON": "Person", "PLACE": "Place"}


def kind_text(kind: str) -> str:
    """``PERSON`` reads "Person", ``EMAIL`` "Email", ``custom`` "Custom"."""
    return _KIND_TEXT.get(kind, kind.replace("_", " ").capitalize())


def entry_row(entry: TermEntry) -> list[QStandardItem]:
    cells = [QStandardItem(entry.term), QStandardItem(kind_text(entry.kind))]
    status = QStandardItem(STATUS_TEXT[entry.status])
    status.setForeground(QBrush(QColor(STATUS_COLOUR[entry.status])))
    cells.append(status)
    for cell in cells:
        cell.setEditable(False)
        cell.setData(entry, ENTRY_ROLE)
    return cells


class TermsModel(QStandardItemModel):
    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        self.setHorizontalHeaderLabels(list(COLUMNS))

    def show_entries(self, entries: list[TermEntry]) -> None:
        self.removeRows(0, self.rowCount())
        for entry in entries:
            self.appendRow(entry_row(entry))


class TermsFilter(QSortFilterProxyModel):
    """Rows whose term contains ``text`` (any case) and whose status is in ``statuses``."""

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.statuses: tuple[TermStatus, ...] = FILTERS["All terms"]
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_filter(self, text: str, statuses: tuple[TermStatus, ...]) -> None:
        self.beginFilterChange()
        self.text = text.strip().casefold()
        self.statuses = statuses
        self.endFilterChange()

    def filterAcceptsRow(  # noqa: N802 (Qt's name)
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, TermEntry):
            return False
        return entry.status in self.statuses and self.text in entry.term.casefold()
