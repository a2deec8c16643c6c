"""Names without a language model, by the form of each word: capitalised inside a sentence
and not among the most common words (months, weekdays, pronouns… are never names), listed
given names, places and rare words starting a sentence, and in lower case rare words, listed
places and uncommon listed given names (word frequencies from ``wordfreq``, lists from
``gazetteer``). Also: text in other scripts, which these rules cannot read, and a test for
code (whose own words are not names)."""

from __future__ import annotations

import re

from cogenesis.core.privacy.gazetteer import (
    WORD_ZIPF,
    is_given_name,
    is_place,
    starts_place_phrase,
)
from cogenesis.core.privacy.wordlist import zipf_frequency

# Latin letters, Vietnamese's included (U+1E00-1EFF: "Nguyễn" is one word, not "Nguy" + "ễn"),
# and their capitals ("Ünal", "Łukasz", "Đức" start names as "Anna" does).
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_UPPER = "".join(
    sorted({c for c in map(chr, (*range(0x41, 0x250), *range(0x1E00, 0x1F00))) if c.isupper()})
)
_CAPITALISED = re.compile(rf"\b[{_UPPER}][\w'’-]*(?:\s+[{_UPPER}][\w'’-]*){{0,3}}")
_EVERYDAY = {
    w.casefold()
    for w in [
        "I",
        "I'm",
        "I've",
        "I'd",
        "I'll",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Prof",
        "Sir",
        "Madam",
        "Dear",
        "Hi",
        "Hello",
        "Thanks",
        "Thank",
        "Best",
        "Regards",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Today",
        "Tomorrow",
        "Yesterday",
        "The",
        "A",
        "An",
        "And",
        "Or",
        "But",
        "If",
        "When",
        "While",
        "This",
        "That",
        "These",
        "Those",
        "My",
        "Our",
        "Your",
        "Their",
        "His",
        "Her",
        "It",
        "We",
        "You",
        "They",
        "He",
        "She",
        "What",
        "Why",
        "How",
        "Where",
        "Who",
        "Which",
        "Please",
        "Yes",
        "No",
        "OK",
        "Okay",
        "Also",
        "So",
        "Then",
        "Christmas",
        "Easter",
        "English",
        "French",
        "Spanish",
        "German",
        "Internet",
        "AI",
        "ChatGPT",
        "GPT",
    ]
}


_ABBREVIATIONS = (
    r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bSt)(?<!\bProf)(?<!\bJr)(?<!\bSr)(?<!\bvs)"
)
_SENTENCE_END = re.compile(rf"{_ABBREVIATIONS}(?<=[.!?])\s+|\n+")
_CLAUSE_END = re.compile(rf"{_ABBREVIATIONS}(?<=[.!?:])\s+|\n+")
RARE_ZIPF = 2.5  # "Koushik" 1.3, "Longport" 1.4; "Rewrite" 3.5, "Proofread" 2.6
INITIAL_RARE_ZIPF = 2.5  # a sentence's first word: "Koushik" 1.3, "Proofread" 2.6 is not
LOWER_RARE_ZIPF = 2.0  # lower case: "koushik" 1.3, "sekar" 1.6, "zoho" 1.7; not "proofread" 2.6
COMMON_ZIPF = 5.5  # above this, a capitalised word is a heading word ("Public" 5.6), not a name
# a Latin word, not the tail of a longer token ("ms" of "2916ms", "ip" of "suspicious_ip");
# a word glued to another script ("给koushik") is still one
_WORD = re.compile(rf"(?<![0-9_{_LATIN}])[{_LATIN}][{_LATIN}0-9'’-]*")


def sentences(text: str, *, colons: bool = False) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; "Dr. Kapur" does not end a sentence; ``colons`` also
    splits "Title: description"."""
    found, start = [], 0
    for match in (_CLAUSE_END if colons else _SENTENCE_END).finditer(text):
        found.append((start, text[start : match.start()]))
        start = match.end()
    found.append((start, text[start:]))
    return found


def _zipf(word: str) -> float:
    return zipf_frequency(word.casefold())


EVERYDAY_ZIPF = 5.0  # "End" 5.6, "Hope" 5.4: a single capitalised word this common is noise


def everyday(word: str) -> bool:
    """A single word too common in English to protect automatically (the user can mark it)."""
    return _zipf(word.strip("'’-")) >= EVERYDAY_ZIPF


def rare(word: str) -> bool:
    return _zipf(word) < RARE_ZIPF


def title_words(title: str) -> list[str]:
    """Terms from a record's title ("Compose an Engaging Property Description: …"): titles
    capitalise ordinary words, so only words English rarely uses count."""
    return [w for w in re.findall(rf"[{_UPPER}][\w'’-]+", title) if rare(w)]


def name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that look like names, organisations or places, by the form of each
    word (see ``namelike``) and by multi-word places ("hong kong") in any case."""
    spans = []
    for offset, sentence in sentences(text):
        words = list(_WORD.finditer(sentence))
        code = looks_like_code(sentence)
        for index, word in enumerate(words):
            initial = index == 0 and not any(c.isalpha() for c in sentence[: word.start()])
            bare = word.group().strip("'’-")
            member = sentence[word.start() - 1 : word.start()] == "."
            if code and (bare.islower() or (member and _identifier(bare))):
                continue  # "randint", "BuildId": names in code, not of people
            if namelike(bare, initial=initial):
                possessive = re.search(r"['’]s?$", word.group())
                end = word.start() + (possessive.start() if possessive else len(word.group()))
                spans.append((offset + word.start(), offset + end))  # "[NAME]'s"
        spans += [(offset + s, offset + e) for s, e in _place_phrases(sentence, words)]
    return spans


def namelike(word: str, *, initial: bool) -> bool:
    """A word that is probably a name: capitalised inside a sentence and not among the most
    common words, a listed given name or acronym starting a sentence, or in lower case a
    listed place or a word English hardly uses ("koushik", "copart")."""
    bare = re.sub(r"['’]s$", "", word)
    if not bare or bare.casefold() in _EVERYDAY or not _latin(bare):
        return False
    frequency = _zipf(bare)
    if bare[0].isupper() and not initial:
        return frequency < COMMON_ZIPF
    if bare[0].isupper():
        acronym = len(bare) > 1 and bare.isupper()
        listed = is_given_name(bare) or is_place(bare)
        return frequency < INITIAL_RARE_ZIPF or listed or (acronym and frequency < WORD_ZIPF)
    if len(bare) < 3 or not bare.isalpha():
        return False
    if frequency < LOWER_RARE_ZIPF or is_place(bare):
        return True
    return is_given_name(bare) and frequency < WORD_ZIPF  # "rahul" 3.4, "eden" 3.8; not "grant"


_OTHER_SCRIPT = r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]"
_OTHER_SCRIPT_RUN = re.compile(rf"[\w-]*{_OTHER_SCRIPT}+(?:[\s\W\d_]*?{_OTHER_SCRIPT}+)*[\w-]*")


def other_script_spans(text: str) -> list[tuple[int, int]]:
    """Runs of letters in scripts other than Latin (Han, Hangul, Arabic, Cyrillic…), with the
    spaces, digits and punctuation between them and any word glued to them ("给koushik")."""
    return [match.span() for match in _OTHER_SCRIPT_RUN.finditer(text)]


_CODE_CHARS = frozenset("{}();=<>[]_/\\|$#*&")
CODE_SHARE = 0.05  # "if (x) { y = f(z); }": punctuation of code in 5 % or more of the text


def looks_like_code(text: str) -> bool:
    """Source code, logs or markup rather than prose."""
    return sum(c in _CODE_CHARS for c in text) >= CODE_SHARE * max(len(text), 20)


def _identifier(word: str) -> bool:
    """camelCase or PascalCase with an inner capital ("BuildId", "addEventListener")."""
    return re.search(r"[a-z][A-Z][a-z]", word) is not None  # not "McDONALDS"


def _latin(word: str) -> bool:
    return all(c < "\u0250" for c in word if c.isalpha())


def _place_phrases(sentence: str, words: list[re.Match[str]]) -> list[tuple[int, int]]:
    found = []
    for index in range(len(words)):
        if not starts_place_phrase(words[index].group()):
            continue
        for count in (4, 3, 2):
            chosen = words[index : index + count]
            if len(chosen) == count and is_place(" ".join(w.group() for w in chosen)):
                found.append((chosen[0].start(), chosen[-1].end()))
                break
    return found


def capitalised_phrases(text: str) -> list[str]:
    """Proper-noun-like phrases, sentence-initial words excluded unless they recur inside."""
    found: list[str] = []
    for _offset, sentence in sentences(text, colons=True):
        for match in _CAPITALISED.finditer(sentence):
            words = match.group().split()
            if match.start() == 0:
                words = words[1:]  # a sentence's first word is capitalised anyway
            words = [w for w in words if w.casefold().strip("'’") not in _EVERYDAY]
            if words:
                found.append(" ".join(words))
                found.extend(w for w in words if len(words) > 1)
    return found
