"""What the user is shown has the real values back: every label of the public part that the
cloud returns (an outline, a cloud answer, fused tokens) is replaced by what it stands for,
on the device, as the events stream. What left the device (the ledger) keeps the labels."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from cogenesis.core.collab.events import Done, Event, Failed, SketchText, Token
from cogenesis.core.privacy.placeholders import Placeholders


def restored(events: Iterator[Event], placeholders: Placeholders) -> Iterator[Event]:
    """``events`` with their text restored; a label split across tokens is held back until
    it is complete."""
    stream = placeholders.stream()
    for event in events:
        if isinstance(event, Token):
            text = stream.feed(event.text)
            if text:
                yield Token(text)
            continue
        if isinstance(event, Done | Failed):
            rest = stream.flush()
            if rest:
                yield Token(rest)
        yield _restored(event, placeholders)


def _restored(event: Event, placeholders: Placeholders) -> Event:
    if isinstance(event, SketchText):
        return SketchText(placeholders.restore(event.text))
    if isinstance(event, Done):
        return replace(event, text=placeholders.restore(event.text))
    if isinstance(event, Failed):
        return replace(event, partial=placeholders.restore(event.partial))
    return event
