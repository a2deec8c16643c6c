"""How to reach one OpenAI-compatible endpoint (a value; it opens nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RemoteConfig:
    base_url: str
    model: str
    chat_template: str = ""  # Jinja; needed to continue a prefix through /completions
    timeout: float = 60.0
    # mid-answer (fusion runs, streamed text): how long the endpoint may stay silent before
    # the answer is given up on it, with no retry
    stall_timeout: float = 15.0
    # the key this endpoint takes when it is not kept in the keyring (the demo endpoint's
    # per-start key); never shown in a repr
    api_key: str = field(default="", repr=False)
