"""The public version of an answer as token ids, changed only where the text changed.

Re-tokenizing the whole sanitized text would renumber tokens far from a placeholder (merges at
the end of a text depend on what follows), so a remote reading ids would see a different
prefix after every new token. Here tokens whose text the sanitizer left alone keep their ids;
only the stretches it rewrote are tokenized again. Appending a token that adds nothing private
then appends exactly that id, which keeps fusion runs going past a placeholder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from cogenesis.core.llm import LocalModel


def public_ids(
    local: LocalModel, sanitize: Callable[[str], str], tokens: Sequence[int]
) -> list[int]:
    text = local.detokenize(tokens)
    public = sanitize(text)
    if public == text:
        return list(tokens)
    pieces = [local.detokenize([t]) for t in tokens]
    if "".join(pieces) != text:  # a character split across tokens: no clean boundaries
        return local.tokenize(public)
    blocks = SequenceMatcher(None, text, public, autojunk=False).get_opcodes()
    dirty = _changed_chars(blocks, len(text))
    out: list[int] = []
    start = 0
    segment: int | None = None  # where the current rewritten stretch starts, in text
    for token, piece in zip(tokens, pieces, strict=True):
        end = start + len(piece)
        if any(dirty[start:end]) or (not piece and segment is not None):
            segment = start if segment is None else segment
        else:
            if segment is not None:
                out += local.tokenize(public[_where(blocks, segment) : _where(blocks, start)])
                segment = None
            out.append(token)
        start = end
    if segment is not None:
        out += local.tokenize(public[_where(blocks, segment) :])
    return out


def _changed_chars(blocks: Sequence[tuple[str, int, int, int, int]], size: int) -> list[bool]:
    """Which characters of the text the sanitizer changed; an insertion marks both sides."""
    dirty = [False] * size
    for tag, i1, i2, _j1, _j2 in blocks:
        if tag == "equal":
            continue
        low, high = (i1, i2) if i2 > i1 else (max(i1 - 1, 0), min(i1 + 1, size))
        for i in range(low, high):
            dirty[i] = True
    return dirty


def _where(blocks: Sequence[tuple[str, int, int, int, int]], at: int) -> int:
    """Where text offset ``at`` (next to unchanged text) falls in the public text."""
    for tag, i1, i2, j1, _j2 in blocks:
        if tag == "equal" and i1 <= at <= i2:
            return j1 + at - i1
    return blocks[-1][4] if blocks and at >= blocks[-1][2] else 0
