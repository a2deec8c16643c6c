"""The chart's daily series: a fixed window of days, missing days as zero."""

from __future__ import annotations

from datetime import date

from cogenesis.core.egress import daily_series, format_bytes


def test_window_ends_today_and_fills_gaps() -> None:
    rows = [("2026-11-01", 9, 999), ("2026-11-26", 2, 40), ("2026-11-28", 1, 7)]
    series = daily_series(rows, date(2026, 11, 28), days=4)
    assert series == [
        (date(2026, 11, 25), 0),
        (date(2026, 11, 26), 40),
        (date(2026, 11, 27), 0),
        (date(2026, 11, 28), 7),
    ]  # 1 November is outside the window


def test_byte_sizes_read_like_a_file_manager() -> None:
    sizes = [0, 999, 1000, 1549, 999_949, 999_950, 2_500_000, 7 * 10**12]
    assert [format_bytes(s) for s in sizes] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "1.5 kB",
        "999.9 kB",
        "1.0 MB",
        "2.5 MB",
        "7000.0 GB",
    ]
