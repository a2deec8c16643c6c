"""What may leave the device: the privacy modes of settings, the answer modes of a
conversation, and the one table that says which answer modes each privacy mode allows.

The window's mode box, ``cogenesis ask`` and the engine all read ``ALLOWED``; consent for
full context is kept in ``Consents``, read by the engine and the privacy guard alike.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from cogenesis.core.errors import CogenesisError


class PrivacyMode(StrEnum):
    """The ceiling set in settings for everything the app sends."""

    OFFLINE = "offline"  # nothing leaves; no connection is opened
    PRIVATE = "private"  # the remote helps but never sees the private context
    CLOUD_NO_CONTEXT = "cloud-no-context"  # only the public part of a message; no local model
    FULL_CONTEXT = "full-context"  # the private context may leave, per conversation, consented


class AnswerMode(StrEnum):
    """How one conversation is answered (one strategy each)."""

    LOCAL = "local"
    SKETCH = "sketch"
    LOGIT = "logit"
    CLOUD = "cloud"
    FULL = "full"


_Mode = TypeVar("_Mode", PrivacyMode, AnswerMode)

ALLOWED: dict[PrivacyMode, tuple[AnswerMode, ...]] = {
    PrivacyMode.OFFLINE: (AnswerMode.LOCAL,),
    PrivacyMode.PRIVATE: (AnswerMode.LOCAL, AnswerMode.SKETCH, AnswerMode.LOGIT, AnswerMode.CLOUD),
    PrivacyMode.CLOUD_NO_CONTEXT: (AnswerMode.CLOUD,),
    PrivacyMode.FULL_CONTEXT: tuple(AnswerMode),
}
NEEDS_REMOTE = frozenset({AnswerMode.SKETCH, AnswerMode.LOGIT, AnswerMode.CLOUD, AnswerMode.FULL})
NEEDS_LOCAL = frozenset({AnswerMode.LOCAL, AnswerMode.SKETCH, AnswerMode.LOGIT})


def privacy_mode(value: str) -> PrivacyMode:
    """``value`` as a privacy mode, or an error that lists the valid ones."""
    return _member(PrivacyMode, value, "a privacy mode")


def answer_mode(value: str) -> AnswerMode:
    """``value`` as an answer mode, or an error that lists the valid ones."""
    return _member(AnswerMode, value, "an answer mode")


def _member(kind: type[_Mode], value: str, what: str) -> _Mode:
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(m.value for m in kind)
        raise CogenesisError(f"{value!r} is not {what}.", f"Use one of: {names}.") from None


def allowed_modes(privacy: str, remote_configured: bool = True) -> tuple[AnswerMode, ...]:
    """The answer modes ``privacy`` allows, less those needing a remote when none is set."""
    allowed = ALLOWED[privacy_mode(privacy)]
    return tuple(m for m in allowed if remote_configured or m not in NEEDS_REMOTE)


def needs_remote(privacy: str) -> bool:
    """Whether any answer mode ``privacy`` allows uses a remote endpoint: when none does
    (offline), nothing remote is started, not even the built-in demo endpoint."""
    return any(m in NEEDS_REMOTE for m in ALLOWED[privacy_mode(privacy)])


def refusal(privacy: str, mode: str) -> CogenesisError | None:
    """Why ``mode`` may not run under ``privacy`` (None: it may)."""
    allowed = ALLOWED[privacy_mode(privacy)]
    if answer_mode(mode) in allowed:
        return None
    return CogenesisError(
        f"The {mode!r} mode is not allowed in the {privacy!r} privacy mode.",
        f"Use one of: {', '.join(allowed)}, or change the privacy mode in settings.",
    )


class Consents:
    """The conversations whose private context the user agreed may leave (full context).

    Kept for the session only: consent is asked again after a restart. ``None`` stands for a
    conversation not saved yet; ``adopt`` gives its consent to the id it then gets."""

    def __init__(self, granted: frozenset[int | None] = frozenset()) -> None:
        self._granted: set[int | None] = set(granted)

    def grant(self, conversation_id: int | None) -> None:
        self._granted.add(conversation_id)

    def revoke(self, conversation_id: int | None) -> None:
        self._granted.discard(conversation_id)

    def granted(self, conversation_id: int | None) -> bool:
        return conversation_id in self._granted

    def adopt(self, conversation_id: int) -> None:
        """The unsaved conversation was saved as ``conversation_id``: its consent moves."""
        if None in self._granted:
            self._granted.discard(None)
            self._granted.add(conversation_id)
