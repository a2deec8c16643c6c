"""A conversation's title, made from its first message."""

from __future__ import annotations

import re

TITLE_CHARS = 48
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_MARKUP = re.compile(r"^[#>*\-\s]+")


def conversation_title(first_message: str, limit: int = TITLE_CHARS) -> str:
    """The first line's first sentence, cut at a word (with "…") when longer than ``limit``:
    "Write a short speech for my sister's wedding." rather than its first 40 characters."""
    line = next((ln for ln in first_message.splitlines() if ln.strip()), "")
    line = " ".join(_MARKUP.sub("", line).split())
    sentence = _SENTENCE_END.split(line, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence or "New conversation"
    cut = sentence[: limit - 1]
    if sentence[limit - 1] != " " and " " in cut[limit // 2 :]:  # a word cut short: drop it
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"
