"""How one conversation looks in the list: its title, and under it when and how it was
answered ("Nov 18 · Sketch, then expand locally"), both cut to the list's width."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from cogenesis.core.vault import Conversation
from cogenesis.gui.mode_bar import mode_for

SUBTITLE = Qt.ItemDataRole.UserRole + 1
_PAD = 6
Index = QModelIndex | QPersistentModelIndex


def when(iso: str, now: datetime | None = None) -> str:
    """A record's time as a list shows it: "14:02" today, "Nov 18" this year, else with year."""
    try:
        at = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    now = now or datetime.now().astimezone()
    if at.date() == now.date():
        return at.strftime("%H:%M")
    return f"{at:%b} {at.day}" + ("" if at.year == now.year else f", {at.year}")


def subtitle(conversation: Conversation) -> str:
    mode = mode_for(conversation.privacy_mode).label if conversation.privacy_mode else ""
    return " · ".join(part for part in (when(conversation.updated_at), mode) if part)


class ConversationDelegate(QStyledItemDelegate):
    """Two lines per conversation; editing (F2) edits the title alone."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        metrics = QFontMetrics(option.font)
        return QSize(120, 2 * metrics.height() + 2 * _PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        title, option.text = option.text, ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        box = option.rect.adjusted(_PAD, _PAD // 2, -_PAD, -_PAD // 2)
        top, bottom = QRect(box), QRect(box)
        top.setHeight(box.height() // 2)
        bottom.setTop(top.bottom())
        painter.save()
        painter.setPen(option.palette.color(role))
        self._line(painter, option.font, top, title)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.85))
        if not selected:
            painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        self._line(painter, small, bottom, str(index.data(SUBTITLE) or ""))
        painter.restore()

    @staticmethod
    def _line(painter: QPainter, font: QFont, box: QRect, text: str) -> None:
        painter.setFont(font)
        elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, box.width())
        painter.drawText(
            box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
        )
