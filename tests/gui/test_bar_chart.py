"""The QPainter bar chart: bar sizes follow values, hovering names a bar, empty says so."""

from __future__ import annotations

from PySide6.QtWidgets import QToolTip
from pytestqt.qtbot import QtBot

from cogenesis.core.egress import format_bytes
from cogenesis.gui.bar_chart import BarChart


def make_chart(qtbot: QtBot, *, horizontal: bool) -> BarChart:
    chart = BarChart("Sent", horizontal=horizontal, format_value=format_bytes, empty_text="None")
    qtbot.addWidget(chart)
    chart.resize(420, 180)
    chart.show()
    return chart


def test_columns_grow_with_their_values_and_explain_themselves(qtbot: QtBot) -> None:
    chart = make_chart(qtbot, horizontal=False)
    chart.set_bars([("1", 0), ("2", 500), ("3", 1000)])
    empty, half, full = chart.bar_rects()
    assert empty.height() == 0 and abs(half.height() * 2 - full.height()) <= 2
    assert half.bottom() == full.bottom() and half.left() < full.left()
    assert chart.accessibleDescription() == "2: 500 B; 3: 1.0 kB"
    QToolTip.hideText()
    chart._show_tooltip(full.center(), chart.mapToGlobal(full.center()))
    assert QToolTip.text() == "3: 1.0 kB"
    chart.close()


def test_rows_and_the_empty_state(qtbot: QtBot) -> None:
    chart = make_chart(qtbot, horizontal=True)
    chart.set_bars([("Trip", 300), ("Letter", 100)], highlight=1)
    trip, letter = chart.bar_rects()
    assert trip.top() < letter.top() and trip.width() > 2 * letter.width()
    assert chart._bar_colour(1).alpha() == 255 and chart._bar_colour(0).alpha() < 255
    chart.set_bars([("Trip", 0)])
    assert chart.accessibleDescription() == "None"
    assert not chart.grab().isNull()  # paints the empty text without bars
    chart.close()
