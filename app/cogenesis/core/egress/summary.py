"""Series for the egress chart: bytes sent on each of the last days, gaps filled with zero."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


def daily_series(
    per_day: Iterable[tuple[str, int, int]], today: date, days: int = 14
) -> list[tuple[date, int]]:
    """(day, bytes sent) for ``days`` days ending ``today``, from ``EgressLedger.per_day`` rows."""
    sent = {day: size for day, _requests, size in per_day}
    first = today - timedelta(days=days - 1)
    series = [first + timedelta(days=offset) for offset in range(days)]
    return [(day, sent.get(day.isoformat(), 0)) for day in series]


def format_bytes(size: int) -> str:
    """``512 B``, ``1.5 kB``, ``3.2 MB`` (powers of 1000, as file managers show them)."""
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 999.95 or unit == "GB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable: the loop returns at GB")
