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
