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


def test_day_labels_never_overlap_under_narrow_bars(qtbot: QtBot) -> None:
    """Issue 21: "Nov 18" and "19" overlapped in the per-day chart of the egress dock."""
    from datetime import date, timedelta
    from itertools import pairwise

    from cogenesis.gui.egress_text import day_label

    chart = make_chart(qtbot, horizontal=False)
    chart.resize(300, 180)
    days = [date(2026, 11, 18) + timedelta(days=n) for n in range(14)]
    chart.set_bars([(day_label(d, n == 0), 100 * n) for n, d in enumerate(days)])
    shown = sorted(chart.label_rects().items())
    assert 13 in dict(shown) and len(shown) < 14  # the newest day always, not every day
    for (_a, left), (_b, right) in pairwise(shown):
        assert not left.intersects(right)
    chart.resize(900, 180)
    assert len(chart.label_rects()) == 14  # room enough: every day named
    chart.close()
