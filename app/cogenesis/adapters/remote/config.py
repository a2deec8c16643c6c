"""How to reach one OpenAI-compatible endpoint (a value; it opens nothing)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RemoteConfig:
    base_url: str
    model: str
    chat_template: str = ""  # Jinja; needed to continue a prefix through /completions
    timeout: float = 60.0
