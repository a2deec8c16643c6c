"""The egress panel's words: the totals in a sentence, the charts' labels."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

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


_TEMPLATE_MARK = re.compile(r"<\|[a-z_]+\|>|<(?:start|end)_of_turn>|</?s>")


def request_explanation(body: bytes) -> str:
    """What a request asked for, in plain words, where its fields are not self-explanatory
    (logit fusion's: a few tokens with their most likely alternatives); "" otherwise."""
    try:
        request: Any = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(request, dict):
        return ""
    top_k = request.get("top_logprobs", request.get("n_probs"))
    if top_k is None and isinstance(request.get("logprobs"), int):
        top_k = request["logprobs"]
    if not top_k:
        return ""
    parts = [
        f"Logit fusion: the remote model was asked for its {top_k} most likely next words "
        f"at each of up to {request.get('max_tokens', '?')} tokens after the answer so far "
        "(only the public version of it), so the local model can weigh them with your context."
    ]
    if _TEMPLATE_MARK.search(json.dumps(request)):
        parts.append(
            "Marks such as <|im_start|> are the chat format's turn markers, not your words."
        )
    return " ".join(parts)
