"""A small bar chart drawn with QPainter: vertical bars (days) or horizontal rows (names)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

Bar = tuple[str, int]  # label, value
_MARGIN = 10
_TITLE_GAP = 8


class BarChart(QWidget):
    """Bars with a title; hovering a bar shows its label and value; ``highlight`` (an index)
    draws one bar in the accent colour and the rest muted."""

    def __init__(
        self,
        title: str,
        *,
        horizontal: bool = False,
        format_value: Callable[[int], str] = str,
        empty_text: str = "No data",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.format_value = format_value
        self.empty_text = empty_text
        self.bars: list[Bar] = []
        self.highlight: int | None = None
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(130)

    def set_bars(self, bars: list[Bar], highlight: int | None = None) -> None:
        self.bars = list(bars)
        self.highlight = highlight
        described = "; ".join(f"{label}: {self.format_value(v)}" for label, v in self.bars if v)
        self.setAccessibleDescription(described or self.empty_text)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(320, 150)

    def bar_rects(self) -> list[QRect]:
        """Where each bar is drawn (also used for tooltips)."""
        area = self._plot_area()
        if not self.bars:
            return []
        peak = max(max(v for _, v in self.bars), 1)
        return self._rows(area, peak) if self.horizontal else self._columns(area, peak)

    def _plot_area(self) -> QRect:
        title_height = self._title_font().pointSize() * 2 + _TITLE_GAP
        return self.rect().adjusted(_MARGIN, _MARGIN + title_height, -_MARGIN, -_MARGIN)

    def _columns(self, area: QRect, peak: int) -> list[QRect]:
        label_height = self.fontMetrics().height() + 4
        value_height = self.fontMetrics().height()
        slot = area.width() / len(self.bars)
        usable = area.height() - label_height - value_height
        rects = []
        for index, (_label, value) in enumerate(self.bars):
            height = max(int(usable * value / peak), 2 if value else 0)
            left = area.left() + int(index * slot + slot * 0.18)
            width = max(int(slot * 0.64), 2)
            rects.append(QRect(left, area.bottom() - label_height - height, width, height))
        return rects

    def _rows(self, area: QRect, peak: int) -> list[QRect]:
        row = min(area.height() / max(len(self.bars), 1), self.fontMetrics().height() * 1.9)
        label_width, value_width = int(area.width() * 0.38), self._value_width()
        usable = area.width() - label_width - value_width - 12
        rects = []
        for index, (_label, value) in enumerate(self.bars):
            top = area.top() + int(index * row + row * 0.2)
            width = max(int(usable * value / peak), 2 if value else 0)
            rects.append(QRect(area.left() + label_width + 6, top, width, int(row * 0.6)))
        return rects

    def _value_width(self) -> int:
        texts = [self.format_value(value) for _label, value in self.bars] or ["0"]
        return max(self.fontMetrics().horizontalAdvance(text) for text in texts)

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.setFont(self._title_font())
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        title_rect = self.rect().adjusted(_MARGIN, _MARGIN - 2, -_MARGIN, 0)
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.title
        )
        painter.setFont(self.font())
        if not any(value for _label, value in self.bars):
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self._plot_area(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        for index, rect in enumerate(self.bar_rects()):
            self._draw_bar(painter, index, rect)
        painter.end()

    def _bar_colour(self, index: int) -> QColor:
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        if self.highlight is None or index == self.highlight:
            return accent
        muted = QColor(accent)
        muted.setAlphaF(0.35)
        return muted

    def _draw_bar(self, painter: QPainter, index: int, rect: QRect) -> None:
        label, value = self.bars[index]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._bar_colour(index))
        painter.drawRoundedRect(QRectF(rect), 2, 2)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        metrics = self.fontMetrics()
        if self.horizontal:
            area = self._plot_area()
            label_rect = QRect(
                area.left(), rect.top() - 4, rect.left() - area.left() - 8, rect.height() + 8
            )
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_rect.width())
            painter.drawText(
                label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided
            )
            value_rect = QRect(
                rect.right() + 6, rect.top() - 4, self._value_width() + 4, rect.height() + 8
            )
            painter.drawText(value_rect, Qt.AlignmentFlag.AlignVCenter, self.format_value(value))
            return
        text = self.format_value(value)
        if value and metrics.horizontalAdvance(text) <= rect.width() / 0.64:
            above = QRect(
                rect.center().x() - 40, rect.top() - metrics.height() - 1, 80, metrics.height()
            )
            painter.drawText(
                above, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text
            )
        slot = self.label_rects().get(index)
        if slot is not None:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(slot, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)

    def label_rects(self) -> dict[int, QRect]:
        """Where each shown label of a column chart goes: every k-th one, k as small as keeps
        them apart ("Nov 18" and "19" overlapped under narrow bars), the last always shown."""
        rects, metrics = self.bar_rects(), self.fontMetrics()
        if self.horizontal or not rects:
            return {}
        pitch = max(1, rects[1].center().x() - rects[0].center().x()) if len(rects) > 1 else 1
        widest = max(metrics.horizontalAdvance(label) for label, _value in self.bars) + 8
        stride = max(1, -(-widest // pitch))
        last = len(rects) - 1
        shown = range(last, -1, -stride)
        return {
            i: QRect(
                rects[i].center().x() - widest // 2, rects[i].bottom() + 3, widest, metrics.height()
            )
            for i in shown
        }

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tooltip(event.pos(), event.globalPos())
            return True
        return super().event(event)

    def _show_tooltip(self, pos: QPoint, global_pos: QPoint) -> None:
        for (label, value), rect in zip(self.bars, self.bar_rects(), strict=True):
            hit = rect.adjusted(-3, -200 if not self.horizontal else -3, 3, 3)
            if hit.contains(pos):
                QToolTip.showText(global_pos, f"{label}: {self.format_value(value)}", self)
                return
        QToolTip.hideText()
