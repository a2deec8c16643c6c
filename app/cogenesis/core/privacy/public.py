"""The public part of a request: the instruction with private details replaced by neutral
placeholders such as ``[PERSON]`` and ``[PLACE]``, and what was replaced (for the preview)."""

from __future__ import annotations

from dataclasses import dataclass

from cogenesis.core.privacy.cues import cue_spans
from cogenesis.core.privacy.entities import name_spans, other_script_spans
from cogenesis.core.privacy.gazetteer import WORD_ZIPF, zipf
from cogenesis.core.privacy.index import SensitiveIndex
from cogenesis.core.privacy.pii import detect
from cogenesis.core.privacy.terms import TermMatcher

_PLACEHOLDERS = {"PERSON": "[PERSON]", "NAME": "[NAME]", "PLACE": "[PLACE]", "ORG": "[ORG]"}
RUN_PLACEHOLDER = "[PRIVATE TEXT]"
SCRIPT_PLACEHOLDER = "[OTHER SCRIPT]"


@dataclass(frozen=True)
class Replacement:
    original: str
    placeholder: str
    start: int  # in the original text
    end: int


@dataclass(frozen=True)
class PublicText:
    text: str
    replacements: tuple[Replacement, ...]

    @property
    def changed(self) -> bool:
        return bool(self.replacements)


def make_public(
    text: str, index: SensitiveIndex, *, proper_nouns: bool = True, other_scripts: bool = True
) -> PublicText:
    """Replace vault terms, generic PII, names of the text itself (names, organisations,
    places the vault does not know: by form and by cue words) and vault runs; longest spans
    win. ``other_scripts`` also withholds text in non-Latin scripts, which the name
    detectors cannot read (fail closed)."""
    spans = [
        (h.start, h.end, _PLACEHOLDERS.get(h.kind, f"[{h.kind}]")) for h in index.matcher.find(text)
    ]
    if proper_nouns:
        spans += _names(text)
    if other_scripts:
        spans += [(start, end, SCRIPT_PLACEHOLDER) for start, end in other_script_spans(text)]
    spans += [(d.start, d.end, d.placeholder) for d in detect(text)]
    spans += [(start, end, RUN_PLACEHOLDER) for start, end in index.runs.find(text)]
    chosen: list[tuple[int, int, str]] = []
    for start, end, placeholder in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if chosen and start < chosen[-1][1]:
            if end > chosen[-1][1]:  # overlapping: widen the earlier span
                chosen[-1] = (chosen[-1][0], end, chosen[-1][2])
            continue
        chosen.append((start, end, placeholder))
    pieces, cursor = [], 0
    replacements = []
    for start, end, placeholder in chosen:
        pieces += [text[cursor:start], placeholder]
        replacements.append(Replacement(text[start:end], placeholder, start, end))
        cursor = end
    pieces.append(text[cursor:])
    return PublicText("".join(pieces), tuple(replacements))


def _names(text: str) -> list[tuple[int, int, str]]:
    """Names by form and by cue, and every other occurrence, in any case, of those that are
    not everyday words ("Koushik … koushik", but not "Mark … mark the date")."""
    names = [(s, e, _PLACEHOLDERS.get(kind, "[NAME]")) for s, e, kind in cue_spans(text)]
    names += [(start, end, "[NAME]") for start, end in name_spans(text)]  # ties: the cue's kind
    rare = [text[s:e] for s, e, _ in names if all(zipf(w) < WORD_ZIPF for w in text[s:e].split())]
    again = TermMatcher([(term, "NAME") for term in rare]).find(text)
    return names + [(h.start, h.end, "[NAME]") for h in again]
