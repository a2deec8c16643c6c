"""The chart's daily series: a fixed window of days, missing days as zero."""

from __future__ import annotations

from datetime import date

from cogenesis.core.egress import daily_series


def test_window_ends_today_and_fills_gaps() -> None:
    rows = [("2026-11-01", 9, 999), ("2026-11-26", 2, 40), ("2026-11-28", 1, 7)]
    series = daily_series(rows, date(2026, 11, 28), days=4)
    assert series == [
        (date(2026, 11, 25), 0),
        (date(2026, 11, 26), 40),
        (date(2026, 11, 27), 0),
        (date(2026, 11, 28), 7),
    ]  # 1 November is outside the window
