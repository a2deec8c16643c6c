"""Numbered placeholders for one request, and the real values put back in what comes back.

The public part says ``[PERSON 1]``, ``[PERSON 2]``, ``[PLACE 1]``: the same private text
always gets the same label within one request (its answer prefixes included), so the cloud
can tell two people apart, and every label can be turned back into what it stands for. The
mapping never leaves the device; the egress panel shows the labels, because that is what
left. Cloud models copy labels with variations (``[[PERSON 1]]``, ``[PERSON]`` when there is
one person, ``[Person 1]``): those are restored too.
"""

from __future__ import annotations

import re

from cogenesis.core.privacy.normalize import term_skeleton

# A label as written back by a model: one or two brackets, a kind, an optional number.
_WRITTEN = re.compile(r"\[\[?\s*([A-Za-z][A-Za-z ]*?)(?:\s+(\d+))?\s*\]\]?")
# A label as the public part writes it: the guard does not read inside one.
LABEL = re.compile(r"\[[A-Z][A-Z ]*(?: \d+)?\]")
_MOST_PENDING = 40


def mask_labels(text: str) -> str:
    """``text`` with every label blanked out, length kept: the numbers of "[PERSON 1],
    [PERSON 2]" are not a phone number to a detector."""
    return LABEL.sub(
        lambda m: " " * len(m.group()), text
    )  # a "[" further back than this is not the start of a label


class Placeholders:
    """The labels of one request (``label``), and ``restore`` for any text that uses them."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._originals: dict[str, str] = {}  # "[PERSON 1]" -> "Ada Brook"
        self._counts: dict[str, int] = {}

    def label(self, kind: str, original: str) -> str:
        """The label of ``original`` (``kind``: PERSON, PLACE, EMAIL…), the same each time."""
        key = term_skeleton(original) or original
        found = self._by_key.get(key)
        if found is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            found = f"[{kind} {self._counts[kind]}]"
            self._by_key[key] = found
            self._originals[found] = original
        return found

    def reserve(self, written: str) -> None:
        """A label already in the text being labelled: new labels of its kind take higher
        numbers, so two things never share one label."""
        match = _WRITTEN.fullmatch(written)
        if match and match.group(2):
            kind = match.group(1).strip().upper()
            self._counts[kind] = max(self._counts.get(kind, 0), int(match.group(2)))

    def __bool__(self) -> bool:
        return bool(self._originals)

    def copy(self) -> Placeholders:
        """The same labels, in a set of their own: what is labelled in the copy stays there."""
        twin = Placeholders()
        twin._by_key, twin._originals = dict(self._by_key), dict(self._originals)
        twin._counts = dict(self._counts)
        return twin

    def restore(self, text: str) -> str:
        """``text`` with every label it uses replaced by what it stands for."""
        if not self._originals or "[" not in text:
            return text
        return _WRITTEN.sub(self._original_of, text)

    def stream(self) -> Restorer:
        return Restorer(self)

    def _original_of(self, match: re.Match[str]) -> str:
        kind, number = match.group(1).strip().upper(), match.group(2)
        if number is not None:
            return self._originals.get(f"[{kind} {number}]", match.group(0))
        if self._counts.get(kind) == 1:  # "[PERSON]" when there is exactly one person
            return self._originals[f"[{kind} 1]"]
        return match.group(0)


class Restorer:
    """``restore`` over text that arrives in pieces: a label split across pieces is held
    back until it is complete (``flush`` gives what is left at the end)."""

    def __init__(self, placeholders: Placeholders) -> None:
        self._placeholders = placeholders
        self._pending = ""

    def feed(self, piece: str) -> str:
        text = self._pending + piece
        cut = text.rfind("[")
        if cut > 0 and text[cut - 1] == "[":
            cut -= 1  # "[[PERSON 1]]": both brackets belong to the label
        if cut != -1 and "]" not in text[cut:] and len(text) - cut <= _MOST_PENDING:
            text, self._pending = text[:cut], text[cut:]
        elif text.endswith("]") and text.rfind("[[") > text.rfind("]]"):
            cut = text.rfind("[[")  # "[[PERSON 1]" may yet get its second "]"
            text, self._pending = text[:cut], text[cut:]
        else:
            self._pending = ""
        return self._placeholders.restore(text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._placeholders.restore(text)
