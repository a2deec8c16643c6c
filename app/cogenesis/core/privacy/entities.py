"""Proper nouns without a language model: capitalised phrases that are not at the start of a
sentence and are not everyday capitalised words (months, weekdays, pronouns…), and
sentence-initial words that English rarely uses (word frequencies from ``wordfreq``)."""

from __future__ import annotations

import re

_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}")
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
    ]
}


_ABBREVIATIONS = (
    r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bSt)(?<!\bProf)(?<!\bJr)(?<!\bSr)(?<!\bvs)"
)
_SENTENCE_END = re.compile(rf"{_ABBREVIATIONS}(?<=[.!?])\s+|\n+")
_CLAUSE_END = re.compile(rf"{_ABBREVIATIONS}(?<=[.!?:])\s+|\n+")
RARE_ZIPF = 2.5  # "Koushik" 1.3, "Longport" 1.4; "Rewrite" 3.5, "Proofread" 2.6
COMMON_ZIPF = 5.5  # above this, a capitalised word is a heading word ("Public" 5.6), not a name


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
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word.casefold(), "en"))


EVERYDAY_ZIPF = 5.0  # "End" 5.6, "Hope" 5.4: a single capitalised word this common is noise


def everyday(word: str) -> bool:
    """A single word too common in English to protect automatically (the user can mark it)."""
    return _zipf(word.strip("'’-")) >= EVERYDAY_ZIPF


def rare(word: str) -> bool:
    return _zipf(word) < RARE_ZIPF


def title_words(title: str) -> list[str]:
    """Terms from a record's title ("Compose an Engaging Property Description: …"): titles
    capitalise ordinary words, so only words English rarely uses count."""
    return [w for w in re.findall(r"[A-Z][\w'’-]+", title) if rare(w)]


def name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that look like names, organisations or places."""
    spans = []
    for offset, sentence in sentences(text):
        for match in _CAPITALISED.finditer(sentence):
            words = list(re.finditer(r"\S+", match.group()))
            for index, word in enumerate(words):
                bare = word.group().strip("'’")
                if bare.casefold() in _EVERYDAY:
                    continue
                if match.start() == 0 and index == 0 and not rare(bare):
                    continue
                if _zipf(bare) >= COMMON_ZIPF:  # "Public Service Announcement" headings
                    continue
                begin = offset + match.start() + word.start()
                spans.append((begin, begin + len(word.group())))
    return spans


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
