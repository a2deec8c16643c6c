"""The preview before sending: when the user is asked, and which spans of the public text to
highlight (placeholders such as ``[PERSON]`` and redactions such as ``[redacted]``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cogenesis.core.errors import SettingsError
from cogenesis.core.settings import PREVIEW_POLICIES

MarkerKind = Literal["placeholder", "redaction"]
# Placeholders are upper case in brackets: [PERSON], [PLACE], [EMAIL], [PRIVATE TEXT].
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*(?: [A-Z0-9_]+)*\]")
_REDACTION = re.compile(r"\[redacted\]")


@dataclass(frozen=True)
class Marker:
    """A span of text the privacy guard put there in place of something private."""

    start: int
    end: int
    kind: MarkerKind


def needs_preview(policy: str, public_text: str, original_text: str) -> bool:
    """Whether to show the public part before sending it, under the preview ``policy``:
    ``always``, ``when-removed`` (only when the public text differs from what the user
    wrote), or ``never``."""
    if policy not in PREVIEW_POLICIES:
        raise SettingsError(
            f"Unknown preview policy {policy!r}.", f"Use one of: {', '.join(PREVIEW_POLICIES)}."
        )
    if policy == "always":
        return True
    if policy == "never":
        return False
    return public_text != original_text


def marker_spans(text: str) -> list[Marker]:
    """Placeholders and redactions in ``text``, in order."""
    found = [Marker(m.start(), m.end(), "placeholder") for m in _PLACEHOLDER.finditer(text)]
    found += [Marker(m.start(), m.end(), "redaction") for m in _REDACTION.finditer(text)]
    return sorted(found, key=lambda marker: marker.start)
