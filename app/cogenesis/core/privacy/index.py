"""The sensitive-data index of one vault: terms to match and runs of words to refuse.

Derived (``derive``) from the profile (name and its parts, location and its parts, private
facts, other facts), entities found in notes and writing samples (proper-noun phrases and
generic PII), and the terms the user marked; terms the user un-marked are left out.

The vault stores each record's part of it, updated in the transaction that writes the
record (``core.vault.term_index``): loading reads the first occurrence of each term, and
runs are looked up in the vault by hash. ``IndexCache`` loads again only when a record or a
mark changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cogenesis.core.privacy.derive import Derivation, derive_document, derive_profile
from cogenesis.core.privacy.normalize import term_skeleton
from cogenesis.core.privacy.runs import RunIndex, Runs, Window
from cogenesis.core.privacy.terms import TermMatcher
from cogenesis.core.vault.database import Database
from cogenesis.core.vault.term_index import first_terms, generation, has_runs, known_runs
from cogenesis.core.vault.term_refresh import catch_up

if TYPE_CHECKING:
    from cogenesis.core.vault import Vault

Term = tuple[str, str]  # (text, kind)
KeyedTerm = tuple[str, str, str]  # (skeleton, text, kind)
_MOST_ASKED = 100_000  # windows remembered per loaded index


@dataclass(frozen=True)
class SensitiveIndex:
    """``terms``: the marked ones, then the first found term of each skeleton not un-marked."""

    terms: tuple[Term, ...]
    matcher: TermMatcher
    runs: Runs


class StoredRuns(Runs):
    """The vault's runs as loaded: one query per text for the windows not asked before (the
    requests of one answer repeat their prompt)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._asked: dict[Window, bool] = {}
        self._empty: bool | None = None  # an index is built again when the vault changes

    def empty(self) -> bool:
        if self._empty is None:
            self._empty = not has_runs(self._db)
        return self._empty

    def known(self, found: Sequence[Window]) -> set[int]:
        answers = {w: self._asked.get(w) for w in found}
        new = [w for w, known in answers.items() if known is None]
        if new:
            hits = known_runs(self._db, new)
            answers.update((w, w[0] in hits) for w in new)
            if len(self._asked) > _MOST_ASKED:
                self._asked.clear()
            self._asked.update((w, answers[w] is True) for w in new)
        return {w[0] for w, known in answers.items() if known}


def build_index(vault: Vault) -> SensitiveIndex:
    """The index as the vault stores it (any record not derived yet is derived first)."""
    catch_up(vault.db)
    return _assemble(vault, first_terms(vault.db), StoredRuns(vault.db))


def rebuild_index(vault: Vault) -> SensitiveIndex:
    """The index derived afresh from every record: what the stored one must equal."""
    derivations = [derive_profile(vault.profile.get())]
    derivations += [derive_document("note", n.id, n.title, n.body) for n in vault.notes.all()]
    derivations += [derive_document("sample", s.id, s.title, s.text) for s in vault.samples.all()]
    return _assemble(vault, _first_terms(derivations), RunIndex(hashes=_runs(derivations)))


def derived_terms(vault: Vault) -> list[Term]:
    """The terms found automatically in the vault, before the user's un-marks are applied
    (the first of each skeleton)."""
    catch_up(vault.db)
    return [(term, kind) for _, term, kind in first_terms(vault.db)]


class IndexCache:
    """The index of a vault, loaded again only when the vault's index generation moved."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._generation: int | None = None
        self._index: SensitiveIndex | None = None

    def get(self) -> SensitiveIndex:
        current = generation(self._vault.db)
        if self._index is None or current != self._generation:
            self._index = build_index(self._vault)
            self._generation = current
        return self._index


def _assemble(vault: Vault, found: list[KeyedTerm], runs: Runs) -> SensitiveIndex:
    stored = vault.terms.all()
    unmarked = {term_skeleton(t.term) for t in stored if not t.marked}
    marked = [(term_skeleton(t.term), t.term, t.kind) for t in stored if t.marked]
    chosen = [*marked, *(t for t in found if t[0] not in unmarked)]
    matcher = TermMatcher.from_skeletons(
        chosen, min_length=1
    )  # a marked term counts whatever its length
    return SensitiveIndex(tuple((term, kind) for _, term, kind in chosen), matcher, runs)


def _first_terms(derivations: list[Derivation]) -> list[KeyedTerm]:
    first: dict[str, KeyedTerm] = {}
    for t in sorted((t for d in derivations for t in d.terms), key=lambda t: t.rank):
        first.setdefault(t.skeleton, (t.skeleton, t.term, t.kind))
    return list(first.values())


def _runs(derivations: list[Derivation]) -> set[int]:
    return set().union(*(d.runs.runs for d in derivations))
