"""The left side of a document editor: a search field over a two-line list of documents."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

ID_ROLE = Qt.ItemDataRole.UserRole
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class TwoLineDelegate(QStyledItemDelegate):
    """The item's text in bold, its subtitle (a date and preview, or a match) muted below."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        area = opt.rect.adjusted(8, 5, -8, -5)
        line = opt.fontMetrics.height()
        painter.save()
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(opt.palette.color(role))
        elide = Qt.TextElideMode.ElideRight
        title = painter.fontMetrics().elidedText(opt.text, elide, area.width())
        painter.drawText(QRect(area.x(), area.y(), area.width(), line), 0, title)
        painter.setFont(opt.font)
        if not selected:
            painter.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText))
        subtitle = opt.fontMetrics.elidedText(
            str(index.data(SUBTITLE_ROLE) or ""), elide, area.width()
        )
        painter.drawText(QRect(area.x(), area.y() + line + 2, area.width(), line), 0, subtitle)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        return QSize(200, option.fontMetrics.height() * 2 + 12)


class DocumentList(QWidget):
    """Search field, list and a count; the editor fills it with ``show_items``."""

    def __init__(self, noun: str, plural: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.plural = plural
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {plural}")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {plural}")
        self.list = QListWidget()
        self.list.setAccessibleName(plural.capitalize())
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.count = QLabel()
        self.count.setAccessibleName(f"Number of {plural}")
        self.count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        self.buttons = QHBoxLayout()  # the editor's New and Delete go here
        layout.addLayout(self.buttons)

    def show_items(self, items: list[tuple[int, str, str]], total: int) -> None:
        """Replace the list with ``(id, title, subtitle)`` rows; ``total`` counts all documents."""
        self.list.blockSignals(True)
        self.list.clear()
        for doc_id, title, subtitle in items:
            item = QListWidgetItem(title)
            item.setData(ID_ROLE, doc_id)
            item.setData(SUBTITLE_ROLE, subtitle)
            item.setToolTip(subtitle)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.count.setText(self._count_text(len(items), total))

    def select(self, doc_id: int | None) -> None:
        """Select ``doc_id``'s row (none if it is not listed), without emitting signals."""
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == doc_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def ids(self) -> list[int]:
        return [int(self.list.item(r).data(ID_ROLE)) for r in range(self.list.count())]

    def _count_text(self, shown: int, total: int) -> str:
        if total == 0:
            return f"No {self.plural} yet: write one on the right and save it."
        documents = f"1 {self.noun}" if total == 1 else f"{total} {self.plural}"
        if self.search.text().strip():
            return f"{shown} {'match' if shown == 1 else 'matches'} in {documents}"
        return documents
