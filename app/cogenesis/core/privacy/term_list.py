"""The sensitive-terms list as the user sees it: what the vault yields, what the user chose,
and where a term occurs.

A term is *found* (derived from the profile, notes or writing samples), *marked* by the user,
or *un-marked* by the user (kept out of the index even where the vault yields it). Terms are
compared by their skeleton, as the index compares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cogenesis.core.privacy.index import derived_terms
from cogenesis.core.privacy.normalize import term_skeleton
from cogenesis.core.privacy.terms import TermMatcher
from cogenesis.core.vault import Vault
from cogenesis.core.vault.records import PROFILE_FIELDS

TermStatus = Literal["marked", "found", "unmarked"]
SourceKind = Literal["profile", "note", "sample"]


@dataclass(frozen=True)
class TermEntry:
    """One row of the list; ``derived`` says whether the vault yields the term by itself."""

    term: str
    kind: str
    status: TermStatus
    derived: bool

    @property
    def sensitive(self) -> bool:
        return self.status != "unmarked"


@dataclass(frozen=True)
class TermSource:
    """A record in which a term occurs; ``record_id`` is 0 for the profile."""

    kind: SourceKind
    record_id: int
    label: str


def term_entries(vault: Vault) -> list[TermEntry]:
    """The user's marked and un-marked terms and the found ones, sorted by term."""
    derived: dict[str, tuple[str, str]] = {}
    for term, kind in derived_terms(vault):
        derived.setdefault(term_skeleton(term), (term, kind))
    entries: list[TermEntry] = []
    for stored in vault.terms.all():
        key = term_skeleton(stored.term)
        status: TermStatus = "marked" if stored.marked else "unmarked"
        entries.append(TermEntry(stored.term, stored.kind, status, key in derived))
        derived.pop(key, None)
    entries += [TermEntry(term, kind, "found", True) for term, kind in derived.values()]
    return sorted(entries, key=lambda e: (e.term.casefold(), e.term))


def unmark_entry(vault: Vault, entry: TermEntry) -> None:
    """Stop treating ``entry`` as sensitive.

    A found term is recorded as un-marked so that detection leaves it alone; a term only the
    user had marked is simply removed from the list.
    """
    if entry.derived:
        vault.terms.unmark(entry.term, entry.kind)
    else:
        vault.terms.remove(entry.term)


def mark_entry(vault: Vault, entry: TermEntry) -> None:
    """Treat ``entry`` as sensitive again: a found term goes back to automatic detection."""
    if entry.derived and entry.status == "unmarked":
        vault.terms.remove(entry.term)
    else:
        vault.terms.mark(entry.term, entry.kind)


def restore_entry(vault: Vault, entry: TermEntry) -> None:
    """Put ``entry`` back as it was listed (to undo a mark or un-mark)."""
    if entry.status == "marked":
        vault.terms.mark(entry.term, entry.kind)
    elif entry.status == "unmarked":
        vault.terms.unmark(entry.term, entry.kind)
    elif any(term_skeleton(t.term) == term_skeleton(entry.term) for t in vault.terms.all()):
        vault.terms.remove(entry.term)


def term_sources(vault: Vault, term: str) -> list[TermSource]:
    """Where ``term`` occurs: profile fields, notes and writing samples, in that order."""
    matcher = TermMatcher([(term, "term")], min_length=1)
    sources: list[TermSource] = []
    profile = vault.profile.get()
    fields = {f.replace("_", " "): str(getattr(profile, f)) for f in PROFILE_FIELDS}
    for name, value in {**fields, **profile.extra}.items():
        if matcher.find(value):
            sources.append(TermSource("profile", 0, f"Profile: {name}"))
    for note in vault.notes.all():
        if matcher.find(f"{note.title}\n{note.body}"):
            sources.append(TermSource("note", note.id, f"Note “{note.title or 'Untitled'}”"))
    for sample in vault.samples.all():
        if matcher.find(f"{sample.title}\n{sample.text}"):
            label = f"Writing sample “{sample.title or 'Untitled'}”"
            sources.append(TermSource("sample", sample.id, label))
    return sources
