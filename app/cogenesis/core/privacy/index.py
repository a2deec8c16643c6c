"""The sensitive-data index of one vault: terms to match and runs of words to refuse.

Built from the profile (name and its parts, location and its parts, private facts, other
facts), entities found in notes and writing samples (proper-noun phrases and generic PII),
and the terms the user marked; terms the user un-marked are left out. ``IndexCache`` rebuilds
it when the vault changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cogenesis.core.privacy.entities import capitalised_phrases, everyday, title_words
from cogenesis.core.privacy.normalize import term_skeleton
from cogenesis.core.privacy.pii import detect
from cogenesis.core.privacy.runs import RunIndex
from cogenesis.core.privacy.terms import MIN_SKELETON, TermMatcher
from cogenesis.core.vault import Vault

Term = tuple[str, str]  # (text, kind)


@dataclass(frozen=True)
class SensitiveIndex:
    terms: tuple[Term, ...]
    matcher: TermMatcher
    runs: RunIndex


def build_index(vault: Vault) -> SensitiveIndex:
    texts, derived = _derive(vault)
    unmarked = {term_skeleton(t.term) for t in vault.terms.all() if not t.marked}
    marked = [(t.term, t.kind) for t in vault.terms.all() if t.marked]
    automatic = [t for t in derived if term_skeleton(t[0]) not in unmarked]
    chosen = (*marked, *automatic)  # a term the user marked counts whatever its length
    return SensitiveIndex(chosen, TermMatcher(chosen, min_length=1), RunIndex(texts))


def derived_terms(vault: Vault) -> list[Term]:
    """The terms found automatically in the vault, before the user's un-marks are applied."""
    return _derive(vault)[1]


def _derive(vault: Vault) -> tuple[list[str], list[Term]]:
    """The vault's private texts, and the terms found in them that are long enough to match."""
    terms = list(_profile_terms(vault))
    texts = [*_profile_texts(vault)]
    titles = [n.title for n in vault.notes.all()] + [s.title for s in vault.samples.all()]
    texts += [n.body for n in vault.notes.all()] + [s.text for s in vault.samples.all()]
    for text in texts:
        terms += _entities(text)
    for title in titles:
        terms += [(word, "NAME") for word in title_words(title)]
        terms += [(title[d.start : d.end], d.kind) for d in detect(title)]
    texts += titles
    return texts, [t for t in terms if len(term_skeleton(t[0])) >= MIN_SKELETON]


class IndexCache:
    """The index of a vault, rebuilt only when a record changed."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._signature: tuple[object, ...] | None = None
        self._index: SensitiveIndex | None = None

    def get(self) -> SensitiveIndex:
        signature = _signature(self._vault)
        if self._index is None or signature != self._signature:
            self._index = build_index(self._vault)
            self._signature = signature
        return self._index


def _profile_terms(vault: Vault) -> Iterator[Term]:
    profile = vault.profile.get()
    if profile.name.strip():
        yield profile.name.strip(), "PERSON"
        yield from ((part, "PERSON") for part in profile.name.split() if len(part) > 2)
    for place in re.split(r"[,;/]", profile.location):
        if place.strip():
            yield place.strip(), "PLACE"
    if profile.location.strip():
        yield profile.location.strip(), "PLACE"


def _profile_texts(vault: Vault) -> Iterator[str]:
    profile = vault.profile.get()
    yield from (t for t in (profile.private_facts, *profile.extra.values()) if t.strip())
    for fact in re.split(r"[;\n]", profile.private_facts):
        if fact.strip():
            yield fact.strip()


def _entities(text: str) -> list[Term]:
    found = [
        (phrase, "NAME")
        for phrase in capitalised_phrases(text)
        if " " in phrase.strip() or not everyday(phrase)
    ]
    found += [(text[d.start : d.end], d.kind) for d in detect(text)]
    return found


def _signature(vault: Vault) -> tuple[object, ...]:
    row = vault.db.query(
        "SELECT (SELECT count(*) || max(updated_at) FROM notes),"
        " (SELECT count(*) || max(updated_at) FROM writing_samples),"
        " (SELECT max(updated_at) FROM profile),"
        " (SELECT group_concat(normalized || marked) FROM sensitive_terms)"
    )[0]
    return tuple(row)
