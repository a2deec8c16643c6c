"""What one vault record gives the sensitive-data index: its terms and its runs of words.

Pure functions of a record's text. The vault calls them whenever a record is written (and
stores the result beside the record); ``rebuild_index`` calls them for every record.

Terms are kept in the index's order, which decides the kind a term is replaced with when
several records yield it: the profile's name and places first, then the entities of the
profile's texts, of the notes and of the writing samples (each by id), then the rare words of
note and sample titles. ``rank`` encodes that order in one integer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from cogenesis.core.privacy.entities import capitalised_phrases, everyday, title_words
from cogenesis.core.privacy.gazetteer import is_given_name, is_place, zipf
from cogenesis.core.privacy.normalize import term_skeleton
from cogenesis.core.privacy.pii import detect
from cogenesis.core.privacy.runs import RunSet
from cogenesis.core.privacy.terms import MIN_SKELETON

if TYPE_CHECKING:
    from cogenesis.core.vault.records import Profile

# Raise it whenever a change to these rules (or to entities, pii, normalize, runs) changes
# what a record yields: every stored index is then derived again when next opened.
DERIVATION_VERSION = 4
EVERYDAY_WORD_ZIPF = 3.5  # "Culinary" 3.6, "Assistant" 4.7 are words; "Napco", "Koushik" not

Term = tuple[str, str]  # (text, kind)
SourceKind = Literal["profile", "note", "sample"]
_KIND_ORDER: dict[SourceKind, int] = {"profile": 0, "note": 1, "sample": 2}
_NAMES, _TEXTS, _TITLES = 0, 1, 2  # the parts of the index, in order
_SEQ_BITS, _ID_BITS = 20, 36


@dataclass(frozen=True)
class RankedTerm:
    """A term with its place in the index's order and its skeleton (how it is matched)."""

    rank: int
    skeleton: str
    term: str
    kind: str


@dataclass(frozen=True)
class Derivation:
    """A record's terms (the first of each skeleton, in order) and its runs."""

    terms: tuple[RankedTerm, ...]
    runs: RunSet


NOTHING = Derivation((), RunSet(frozenset(), frozenset()))  # what a deleted record yields


def derive_profile(profile: Profile) -> Derivation:
    texts = list(_profile_texts(profile))
    names = _ranked(_NAMES, "profile", 1, _profile_terms(profile))
    entities = _ranked(_TEXTS, "profile", 1, (e for text in texts for e in _entities(text)))
    return Derivation(_first_of_each([*names, *entities]), RunSet.of(texts))


def derive_document(kind: SourceKind, record_id: int, title: str, text: str) -> Derivation:
    """A note (``text`` its body) or a writing sample."""
    entities = _ranked(_TEXTS, kind, record_id, _entities(text))
    titles = _ranked(_TITLES, kind, record_id, _title_terms(title))
    return Derivation(_first_of_each([*entities, *titles]), RunSet.of([text, title]))


def rank(part: int, kind: SourceKind, record_id: int, seq: int) -> int:
    """Where a term comes in the index (a record's terms past the 2**20th share one rank)."""
    position = min(record_id, (1 << _ID_BITS) - 1) << _SEQ_BITS | min(seq, (1 << _SEQ_BITS) - 1)
    return (part * 4 + _KIND_ORDER[kind]) << (_ID_BITS + _SEQ_BITS) | position


def _ranked(part: int, kind: SourceKind, record_id: int, terms: Iterable[Term]) -> list[RankedTerm]:
    found = []
    for seq, (term, term_kind) in enumerate(terms):
        key = term_skeleton(term)
        if len(key) >= _shortest(key):  # shorter ones would match inside ordinary words
            found.append(RankedTerm(rank(part, kind, record_id, seq), key, term, term_kind))
    return found


def _shortest(skeleton: str) -> int:
    """The shortest skeleton kept: a name in a script whose letters are syllables or words
    (王小明, 김민준) is short and still specific; Latin letters need ``MIN_SKELETON``."""
    return 2 if any(c >= "\u0370" and c.isalpha() for c in skeleton) else MIN_SKELETON


def _first_of_each(terms: list[RankedTerm]) -> tuple[RankedTerm, ...]:
    first: dict[str, RankedTerm] = {}
    for term in terms:
        first.setdefault(term.skeleton, term)
    return tuple(first.values())


def _profile_terms(profile: Profile) -> Iterator[Term]:
    if profile.name.strip():
        yield profile.name.strip(), "PERSON"
        yield from ((part, "PERSON") for part in profile.name.split() if len(part) > 2)
    for place in re.split(r"[,;/]", profile.location):
        if place.strip():
            yield place.strip(), "PLACE"
    if profile.location.strip():
        yield profile.location.strip(), "PLACE"


def _profile_texts(profile: Profile) -> Iterator[str]:
    yield from (t for t in (profile.private_facts, *profile.extra.values()) if t.strip())
    for fact in re.split(r"[;\n]", profile.private_facts):
        if fact.strip():
            yield fact.strip()


def _entities(text: str) -> list[Term]:
    found = [
        (phrase, "NAME")
        for phrase in capitalised_phrases(text)
        if " " in phrase.strip() or not _everyday_word(phrase, text)
    ]
    found += [(text[d.start : d.end], d.kind) for d in detect(text)]
    return found


def _title_terms(title: str) -> list[Term]:
    found = [(word, "NAME") for word in title_words(title) if not _everyday_word(word, title)]
    return found + [(title[d.start : d.end], d.kind) for d in detect(title)]


def _everyday_word(word: str, text: str = "") -> bool:
    """A single word English uses every day, capitalised at the start of a sentence or in a
    title ("Assistant", "Gardening", "Challenges"): not sensitive unless the user marks it.
    Common and shaped like an everyday word (a word ending such as -ing, -tion, -ary), or
    written in lower case too in the same record. A given name or a place stays sensitive
    however common ("Grant", "Jordan"), and so does a common word shaped like a name
    ("Leeds", "Bristol": cities are not in the offline lists)."""
    bare = word.strip(" '’-")
    if everyday(bare):
        return True
    if zipf(bare) < EVERYDAY_WORD_ZIPF or is_given_name(bare) or is_place(bare):
        return False
    lower = re.search(rf"(?<![\w'’-]){re.escape(bare.casefold())}(?![\w'’-])", text) is not None
    return lower or bare.casefold().endswith(_WORD_ENDINGS)


_WORD_ENDINGS = (
    *("ing", "ed", "tion", "sion", "ment", "ness", "ity", "ary", "ery", "ory", "ance", "ence"),
    *("ship", "ism", "ist", "ive", "ous", "ful", "less", "able", "ible", "ant", "ent", "ly"),
    *("ics", "ges", "ers", "ies"),
)
