"""One request as the strategies receive it, and what a strategy is."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from cogenesis.core.collab.context import ContextItem
from cogenesis.core.collab.events import Event
from cogenesis.core.collab.fusion import FusionConfig
from cogenesis.core.llm import CancelToken, ChatMessage, LocalModel
from cogenesis.core.privacy.placeholders import Placeholders
from cogenesis.core.remote import RemoteModel

# How logit fusion asks the remote: "branches" (the default: several likely futures per
# request, where the remote takes lists of token-id prompts; "runs" elsewhere), "forced" (the
# local guess of the next words scored in one request by holding the remote to it with a
# grammar, where it takes one; "branches" elsewhere), "runs" (run verification), "draft"
# (runs that verify a local guess too, where the remote echoes), "per-token" (the reference,
# one call per token) or "schedule" (the paper's: fuse only at some steps).
FusionMethod = Literal["forced", "branches", "runs", "draft", "per-token", "schedule"]


@dataclass
class Ask:
    instruction: str
    public: str  # the instruction with private details replaced
    sanitize: Callable[[str], str]  # builds the public version of any text (answer prefixes)
    context: Sequence[ContextItem] = ()
    history: Sequence[ChatMessage] = ()
    max_tokens: int = 300
    temperature: float = 0.7
    persona: str = ""  # the user's instructions: private context (local, or full mode)
    seed: int | None = None
    fusion: FusionConfig = field(default_factory=FusionConfig)
    fusion_method: FusionMethod = "branches"
    finish_locally: bool = True  # when the remote fails mid-answer
    pipeline: bool = False  # sketch: expand each outline point as soon as it is complete
    # what each label in ``public`` stands for (never sent): restores what the cloud returns
    placeholders: Placeholders = field(default_factory=Placeholders)


Strategy = Callable[[Ask, LocalModel | None, RemoteModel | None, CancelToken], Iterator[Event]]
