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

_REMEMBERED = 4096  # answer prefixes kept (one answer's)


class PublicIds:
    """``public_ids`` for one answer's prefixes, extended a token at a time.

    The public version of ``tokens`` is the previous prefix's with the last token appended
    when sanitizing the text changed nothing new (the public text grew by exactly that token's
    text), and ``public_ids`` of the whole otherwise. That is a function of the tokens alone,
    however often and in whatever order prefixes are asked for (every fusion method sends an
    answer prefix the same way), and it spares the text diff of the whole answer at each new
    token once the answer holds a placeholder."""

    def __init__(self, local: LocalModel, sanitize: Callable[[str], str]) -> None:
        self._local, self._sanitize = local, sanitize
        # prefix -> (its public ids, its text, its public text)
        self._known: dict[tuple[int, ...], tuple[list[int], str, str]] = {(): ([], "", "")}

    def __call__(self, tokens: Sequence[int]) -> list[int]:
        key = tuple(tokens)
        known = self._known.get(key)
        if known is None:
            start = len(key) - 1
            while key[:start] not in self._known:
                start -= 1
            for end in range(start + 1, len(key) + 1):
                known = self._extend(key[: end - 1], key[end - 1])
        assert known is not None
        return list(known[0])

    def _extend(self, prefix: tuple[int, ...], token: int) -> tuple[list[int], str, str]:
        ids, text, public = self._known[prefix]
        tokens = (*prefix, token)
        new_text = self._local.detokenize(tokens)
        new_public = self._sanitize(new_text)
        piece = self._local.detokenize([token])
        if new_public == new_text:
            found = list(tokens)
        elif new_text == text + piece and new_public == public + piece:
            found = [*ids, token]
        else:
            found = public_ids(self._local, self._sanitize, tokens)
        if len(self._known) >= _REMEMBERED:
            self._known = {(): ([], "", "")}
        self._known[tokens] = (found, new_text, new_public)
        return self._known[tokens]


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
