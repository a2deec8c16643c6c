"""How a conversation is answered: the longest answer, the temperature, and a persona (the
user's own instructions: private context, read by the local model, sent only in full mode)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cogenesis.core.errors import CogenesisError

MAX_TOKENS_RANGE = (16, 4096)
TEMPERATURE_RANGE = (0.0, 2.0)
PERSONA_CHARS = 4000


@dataclass(frozen=True)
class Generation:
    """Defaults that always end: 400 tokens at most, a moderate temperature, no persona."""

    max_tokens: int = 400
    temperature: float = 0.7
    persona: str = ""

    def __post_init__(self) -> None:
        low, high = MAX_TOKENS_RANGE
        if not low <= self.max_tokens <= high:
            raise CogenesisError(
                f"An answer of {self.max_tokens} tokens is out of range.",
                f"Choose from {low} to {high} tokens.",
            )
        if not TEMPERATURE_RANGE[0] <= self.temperature <= TEMPERATURE_RANGE[1]:
            raise CogenesisError(
                f"A temperature of {self.temperature} is out of range.",
                "Choose from 0 (always the likeliest word) to 2 (very loose).",
            )
        if len(self.persona) > PERSONA_CHARS:
            raise CogenesisError(
                f"The persona is {len(self.persona)} characters long.",
                f"Keep it under {PERSONA_CHARS} characters; nothing was changed.",
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: object) -> Generation:
        """What the vault keeps; anything unreadable falls back to the defaults."""
        if not isinstance(raw, dict):
            return cls()
        try:
            return cls(
                max_tokens=int(raw.get("max_tokens", cls.max_tokens)),
                temperature=float(raw.get("temperature", cls.temperature)),
                persona=str(raw.get("persona", "")),
            )
        except (CogenesisError, TypeError, ValueError):
            return cls()
