"""The records a vault holds, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

Role = Literal["system", "user", "assistant"]
PROFILE_FIELDS = (
    "name",
    "age",
    "occupation",
    "location",
    "traits",
    "writing_style",
    "private_facts",
)


def now_iso() -> str:
    """The current time as an ISO 8601 UTC string, the format every record uses."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass
class Profile:
    """Who the user is. ``extra`` keeps any other ``Key: value`` facts."""

    name: str = ""
    age: str = ""
    occupation: str = ""
    location: str = ""
    traits: str = ""
    writing_style: str = ""
    private_facts: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in PROFILE_FIELDS) and not self.extra


@dataclass
class Note:
    id: int
    title: str
    body: str
    tags: list[str]
    created_at: str
    updated_at: str


@dataclass
class WritingSample:
    id: int
    title: str
    text: str
    created_at: str
    updated_at: str


@dataclass
class Conversation:
    id: int
    title: str
    privacy_mode: str
    created_at: str
    updated_at: str


@dataclass
class Message:
    id: int
    conversation_id: int
    role: Role
    content: str
    created_at: str
    # What the answer was made with, kept beside it: {"outline": the sketch's outline}.
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class SensitiveTerm:
    id: int
    term: str
    kind: str
    marked: bool
    created_at: str


@dataclass
class SearchHit:
    """One full-text match: what kind of record, which one, and a highlighted snippet."""

    kind: Literal["note", "sample", "profile", "message"]
    record_id: int
    title: str
    snippet: str
    score: float
