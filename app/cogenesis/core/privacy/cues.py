"""Names found by the words around them, in any case: "my brother harrison", "named
sulaiman", "i am belal", "Ms. yoyo", "rahul and I", "Song et al.", "located in madera",
"work for rev", "alamjaad group", "ABC Corp.".

Each cue accepts a candidate word only if it could be a name: a listed given name or place,
or a word English uses too rarely to be the ordinary word the cue would otherwise introduce.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from cogenesis.core.privacy.gazetteer import is_given_name, is_place, zipf

_W = r"[^\W\d_][\w'’-]*"
_RELATIONS = (
    r"(?:brother|sister|sibling|wife|husband|spouse|son|daughter|kid|child|friend|mother|"
    r"father|mom|mum|dad|boss|colleague|co-?worker|manager|cousin|uncle|aunt|partner|"
    r"girlfriend|boyfriend|fianc[ée]e?|grandmother|grandfather|grandma|grandpa|nephew|niece|"
    r"neighbou?r|client|customer|patient|doctor|teacher|student|supervisor|classmate|"
    r"roommate|mentor|tutor|dog|cat|puppy)"
)
_RELATION_CUE = re.compile(
    rf"\b(?:my|his|her|our|their|your)\s+(?:(?:best|old|little|big|dear|close|new)\s+)?"
    rf"{_RELATIONS}s?\s*,?\s+(?=({_W}(?:\s+{_W})?))",
    re.I,
)
_NAMING_CUE = re.compile(
    rf"\b(?:named|called|nicknamed|known as|name is|name's|names are|name was)\s+"
    rf"(?=({_W}(?:\s+{_W}){{0,2}}))",
    re.I,
)
_SELF_CUE = re.compile(rf"\b(?:i am|i'm|i’m|i m|im|this is)\s+(?=({_W}(?:\s+{_W})?))", re.I)
_COMPANION_CUE = re.compile(rf"\b({_W})\s+(?:and|&)\s+(?:I|me)\b")  # "Rahul and I"
_EMPLOYER_CUE = re.compile(
    rf"\b(?:work|works|working|worked|job|intern|internship|employed|apply|applying|applied|"
    rf"interview|interviewing|join|joining|joined)\s+(?:for|at|with|by|to)\s+"
    rf"(?=({_W}(?:\s+{_W})?))",
    re.I,
)
_LEGAL_FORM = re.compile(  # "ABC Corp.", "Floor Testing Inc."
    r"\b((?:[A-Z][\w&'’-]*\s+){1,3}),?\s*(?:Inc|Corp|Corporation|Ltd|Limited|LLC|LLP|PLC|"
    r"GmbH|AG|SA|S\.A|BV|Pty|Co)\b\.?"
)
_CITATION = re.compile(rf"({_W})(?:\s+(?:and|&)\s+{_W})?,?\s+et\s+al\b\.?")
_TITLE = re.compile(
    rf"\b(?:mr|mrs|ms|miss|mx|dr|prof|professor)\b(?:\.\s*|,?\s+)(?=({_W}(?:\s+{_W})?))", re.I
)
_PLACE_CUE = re.compile(
    rf"\b(?:in|from|at|near|to|by|for|with|on|visit|visiting|country is|city of|town of|"
    rf"state of)\s+(?=({_W}(?:\s+{_W}){{0,2}}))",
    re.I,
)
_ORG_WORDS = (
    r"(?:company|group|store|shop|university|institute|college|school|academy|bank|hospital|"
    r"clinic|inc|ltd|llc|corp|corporation|plc|gmbh|foundation|agency|studio|labs?|media|"
    r"technologies|solutions|restaurant|hotel|cafe|pharmacy)"
)
_ORG_WORD = re.compile(rf"(?<=\s){_ORG_WORDS}\b", re.I)
_WORDS_BEFORE = re.compile(rf"(?<![\w'’-])({_W}(?:\s+{_W}){{0,2}})\s+$")  # up to 3, at the end
_ORG_WINDOW = 200  # characters before an organisation word that its three words may take
_ORG_OF = re.compile(
    rf"\b(?:university|institute|college|bank|school|academy) of\s+(?=({_W}(?:\s+{_W}){{0,2}}))",
    re.I,
)
_FUNCTION_WORDS = (
    "a an the and or but of for to in on at by with from as is are was were be been it its "
    "this that these those there here he she they we you i me him her them us my his our "
    "your their who what which when where why how not no yes so very too also just"
)
_NEVER = frozenset(_FUNCTION_WORDS.split())
NAMELIKE_ZIPF = 4.5  # after a strong cue: "harrison" 4.1 yes, "asked" 5.1 no
COMMON_ZIPF = 5.5  # after "named": "tech" 4.9 yes, "off" 5.8 no
RARE_CUE_ZIPF = 3.5  # after a weak cue ("in", "at"): "pune" 3.3, "madera" 2.6; "python" 4.3


def cue_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of names that cue words introduce; kind PERSON, PLACE or ORG."""
    spans: list[tuple[int, int, str]] = []
    for pattern, accept in [
        (_RELATION_CUE, _relation_named),
        (_NAMING_CUE, _named),
        (_SELF_CUE, _self_named),
    ]:
        spans += [(s, e, "PERSON") for s, e in _leading(text, pattern, accept)]
    spans += [(s, e, "PERSON") for s, e in _leading(text, _TITLE, _namelike, with_cue=True)]
    spans += [(m.start(), m.end(), "PERSON") for m in _CITATION.finditer(text)]
    spans += [(s, e, "PERSON") for s, e in _leading(text, _COMPANION_CUE, _namelike)]
    spans += [(s, e, "ORG") for s, e in _leading(text, _EMPLOYER_CUE, _namelike)]
    spans += [(m.start(1), m.end(), "ORG") for m in _LEGAL_FORM.finditer(text)]
    spans += [(s, e, "PLACE") for s, e in _leading(text, _PLACE_CUE, _placelike)]
    spans += [(s, e, "ORG") for s, e in _leading(text, _ORG_OF, _orglike)]
    spans += [(s, e, "ORG") for s, e in _trailing(text)]
    return spans


def _namelike(word: str, first: bool) -> bool:
    if word.casefold() in _NEVER:
        return False
    limit = NAMELIKE_ZIPF if first else RARE_CUE_ZIPF
    return is_given_name(word) or zipf(word) < limit or (not first and word[0].isupper())


def _relation_named(word: str, first: bool) -> bool:
    """After "my neighbour": a lower-case word is a name when rare ("koushik") or a given
    name, not when it is an everyday word ("my neighbour inviting them")."""
    if first and word[0].islower() and not is_given_name(word):
        return word.casefold() not in _NEVER and zipf(word) < RARE_CUE_ZIPF
    return _namelike(word, first)


def _named(word: str, first: bool) -> bool:
    """After "named" or "called" even a common word is a name ("a shop called tech stop")."""
    return word.casefold() not in _NEVER and zipf(word) < (COMMON_ZIPF if first else NAMELIKE_ZIPF)


def _self_named(word: str, first: bool) -> bool:
    """After "I am": "belal", not "happy" or "a"."""
    return word.casefold() not in _NEVER and (is_given_name(word) or zipf(word) < RARE_CUE_ZIPF)


def _placelike(word: str, first: bool) -> bool:
    if word.casefold() in _NEVER:
        return False
    return is_place(word) or zipf(word) < RARE_CUE_ZIPF


def _orglike(word: str, first: bool) -> bool:
    return word.casefold() not in _NEVER and zipf(word) < RARE_CUE_ZIPF


def _leading(
    text: str,
    pattern: re.Pattern[str],
    accept: Callable[[str, bool], bool],
    *,
    with_cue: bool = False,
) -> Iterator[tuple[int, int]]:
    """The accepted words at the start of the cue's group, with any multi-word place;
    ``with_cue`` starts the span at the cue ("Ms. yoyo")."""
    for match in pattern.finditer(text):
        words = list(re.finditer(_W, match.group(1)))
        base = match.start(1)
        if with_cue:
            yield from ((match.start(), end) for _, end in _accepted(base, words, accept))
            continue
        yield from _accepted(base, words, accept)


def _accepted(
    base: int, words: list[re.Match[str]], accept: Callable[[str, bool], bool]
) -> Iterator[tuple[int, int]]:
    """The leading words that ``accept`` takes (or a multi-word place), as one span."""
    phrase_end = _place_phrase(words)
    if phrase_end:
        yield base, base + words[phrase_end - 1].end()
        return
    kept = 0
    while kept < len(words) and accept(words[kept].group(), kept == 0):
        kept += 1
    if kept:
        yield base, base + words[kept - 1].end()


def _place_phrase(words: list[re.Match[str]]) -> int:
    """How many leading words form a multi-word place ("hong kong"); 0 if none."""
    for count in range(len(words), 1, -1):
        if is_place(" ".join(w.group() for w in words[:count])):
            return count
    return 0


def _trailing(text: str) -> Iterator[tuple[int, int]]:
    """Rare words just before an organisation word: "alamjaad group", "mareda media".
    Each organisation word is found first and the words before it read from a short
    window (a pattern tried from every word of a long text took 1 ms a request)."""
    cursor = 0
    for org in _ORG_WORD.finditer(text):
        window_start = max(cursor, org.start() - _ORG_WINDOW)
        match = _WORDS_BEFORE.search(text, window_start, org.start())
        if match is None:
            continue
        cursor = org.end()
        words = list(re.finditer(_W, match.group(1)))
        kept = len(words)
        while kept > 0 and re.fullmatch(_ORG_WORDS, words[kept - 1].group(), re.I):
            kept -= 1
        first = kept
        while first > 0 and _orgword(words[first - 1].group()):
            first -= 1
        if first < kept:
            base = match.start(1)
            yield base + words[first].start(), base + words[kept - 1].end()


def _orgword(word: str) -> bool:
    return word.casefold() not in _NEVER and (zipf(word) < RARE_CUE_ZIPF or is_given_name(word))
