"""The private context for one instruction: the profile, and the vault records that match
it best (FTS5/BM25), fitted to a character budget."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cogenesis.core.vault import Vault
from cogenesis.core.vault.records import PROFILE_FIELDS

_STOPWORDS = (
    "a an the and or but if of to in on at for with by from as is are was were be been it "
    "this that these those i me my you your we our they their he she his her them what "
    "which who how why when where please write make give tell can could would should about "
    "into than then so do does did not no yes"
)
_STOP = frozenset(_STOPWORDS.split())
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ContextItem:
    label: str  # shown to the user: "profile", "note: Dentist"
    text: str


def query_words(instruction: str) -> str:
    """The instruction's content words (common words match everything and rank nothing)."""
    return " ".join(w for w in _WORD.findall(instruction) if w.casefold() not in _STOP)


def retrieve(
    vault: Vault, instruction: str, budget_chars: int, limit: int = 8
) -> list[ContextItem]:
    items: list[ContextItem] = []
    profile = vault.profile.get()
    if not profile.is_empty():
        lines = [
            f"{f.replace('_', ' ')}: {getattr(profile, f)}"
            for f in PROFILE_FIELDS
            if getattr(profile, f)
        ]
        lines += [f"{k}: {v}" for k, v in profile.extra.items()]
        items.append(ContextItem("profile", "\n".join(lines)))
    for hit in vault.search(query_words(instruction), limit=limit, match="any", snippets=False):
        item = _record(vault, hit.kind, hit.record_id)
        if item:
            items.append(item)
    return _fit(items, budget_chars)


def follow_up(
    previous: list[ContextItem], found: list[ContextItem], budget_chars: int
) -> list[ContextItem]:
    """The context of a conversation's next turn: what the previous turn showed, in its order
    (with the records' current text, so an edit shows), then what this instruction found anew.
    The prompt then begins as the previous one did, and the local model reads only what is
    new instead of the whole context again."""
    fresh = {item.label: item for item in found}
    kept = [fresh.get(item.label, item) for item in previous]
    labels = {item.label for item in previous}
    return _fit([*kept, *(item for item in found if item.label not in labels)], budget_chars)


def render(items: list[ContextItem]) -> str:
    return "\n\n".join(f"[{item.label}]\n{item.text}" for item in items)


def _record(vault: Vault, kind: str, record_id: int) -> ContextItem | None:
    if kind == "note":
        note = vault.notes.get(record_id)
        return ContextItem(f"note: {note.title or note.body[:30]}", note.body)
    if kind == "sample":
        sample = vault.samples.get(record_id)
        return ContextItem(f"writing sample: {sample.title[:40]}", sample.text)
    if kind == "message":
        rows = vault.db.query("SELECT role, content FROM messages WHERE id = ?", (record_id,))
        return ContextItem("past conversation", f"{rows[0][0]}: {rows[0][1]}") if rows else None
    return None  # the profile is always included first


def _fit(items: list[ContextItem], budget: int) -> list[ContextItem]:
    kept, used = [], 0
    for item in items:
        room = budget - used - len(item.label) - 4
        if room <= 80:
            break
        text = item.text if len(item.text) <= room else item.text[: room - 1] + "…"
        kept.append(ContextItem(item.label, text))
        used += len(text) + len(item.label) + 4
    return kept
