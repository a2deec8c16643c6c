"""What a strategy yields while it answers: phases, text, the sketch, statistics, the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from cogenesis.core.errors import CogenesisError


@dataclass(frozen=True)
class Phase:
    name: str  # retrieving, sketching, expanding, generating, fusing


@dataclass(frozen=True)
class ContextUsed:
    items: tuple[str, ...]  # "note: Dentist", "profile", … (what the local model was shown)


@dataclass(frozen=True)
class PublicPart:
    text: str
    replaced: tuple[str, ...]  # placeholders used (never the private text itself)


@dataclass(frozen=True)
class SketchText:
    text: str  # the outline so far


@dataclass(frozen=True)
class Reading:
    """The local model reads its prompt: ``done`` of ``total`` tokens (``reused`` of them were
    already in its cache from the conversation's previous turn)."""

    done: int
    total: int
    reused: int = 0


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class Notice:
    text: str


@dataclass
class Stats:
    remote_calls: int = 0
    remote_tokens: int = 0
    local_tokens: int = 0
    first_token_ms: float | None = None
    total_ms: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Failed:
    error: CogenesisError
    partial: str


@dataclass(frozen=True)
class Done:
    text: str
    finish_reason: str
    stats: Stats


Event = Phase | ContextUsed | PublicPart | SketchText | Reading | Token | Notice | Failed | Done
