"""The egress panel's words: the totals in a sentence, the charts' labels."""

from __future__ import annotations

from datetime import date

from cogenesis.core.egress import EgressTotals, format_bytes


def summary_text(totals: EgressTotals, shown: int) -> str:
    """The totals, and how many of the records are listed when not all are."""
    if not totals.requests:
        return "Nothing has left this device yet."
    text = (
        f"{totals.requests} request{'s' if totals.requests != 1 else ''} · "
        f"{totals.refused} refused · {format_bytes(totals.bytes_sent)} sent · "
        f"{format_bytes(totals.bytes_received)} received"
    )
    if shown < totals.requests:
        text += f" · showing the newest {shown}"
    return text


def day_label(day: date, first: bool) -> str:
    """A day chart's label: the month on the first bar and on the first of a month."""
    return f"{day:%b} {day.day}" if first or day.day == 1 else str(day.day)


def conversation_label(conversation_id: int | None, titles: dict[int, str]) -> str:
    if conversation_id is None:
        return "No conversation"
    return titles.get(conversation_id, f"#{conversation_id}")


def by_id(item: tuple[int | None, EgressTotals]) -> int:
    """Sort key of (conversation, totals): by id, the requests of no conversation first."""
    return -1 if item[0] is None else item[0]
