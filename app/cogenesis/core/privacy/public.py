"""The public part of a request: the instruction with private details replaced by numbered
placeholders such as ``[PERSON 1]`` and ``[PLACE 1]``, what was replaced (for the preview),
and the mapping that puts the real values back in what the cloud returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from cogenesis.core.privacy.cues import cue_spans
from cogenesis.core.privacy.entities import name_spans, other_script_spans
from cogenesis.core.privacy.gazetteer import WORD_ZIPF, zipf
from cogenesis.core.privacy.index import SensitiveIndex
from cogenesis.core.privacy.normalize import fold_format
from cogenesis.core.privacy.pii import detect
from cogenesis.core.privacy.placeholders import LABEL, Placeholders, mask_labels
from cogenesis.core.privacy.terms import TermMatcher

_PLACEHOLDERS = {"PERSON": "[PERSON]", "NAME": "[NAME]", "PLACE": "[PLACE]", "ORG": "[ORG]"}
# A term of any other kind (one the user marked: "custom") gets this neutral label: "[custom
# 1]" told the cloud that the user had marked it, and was not highlighted as a label.
OTHER_PLACEHOLDER = "[PRIVATE]"
RUN_PLACEHOLDER = "[PRIVATE TEXT]"
_CHECKS = 3  # passes of the guard's own checks over the public part
SCRIPT_PLACEHOLDER = "[OTHER SCRIPT]"


@dataclass(frozen=True)
class Replacement:
    original: str
    placeholder: str
    start: int  # in the original text
    end: int
    # withheld text in another script: what it becomes if the user releases it for this
    # request (vault terms and generic PII inside still replaced); None for the others
    released: str | None = None


@dataclass(frozen=True)
class PublicText:
    text: str
    replacements: tuple[Replacement, ...]
    placeholders: Placeholders = field(default_factory=Placeholders, compare=False)

    @property
    def changed(self) -> bool:
        return bool(self.replacements)


def make_public(
    text: str,
    index: SensitiveIndex,
    *,
    placeholders: Placeholders | None = None,
    proper_nouns: bool = True,
    other_scripts: bool = True,
) -> PublicText:
    """Replace vault terms, generic PII, names of the text itself (names, organisations,
    places the vault does not know: by form and by cue words) and vault runs; longest spans
    win. ``other_scripts`` also withholds text in non-Latin scripts, which the name
    detectors cannot read (fail closed). ``placeholders``: the request's labels so far (an
    answer prefix is labelled as its instruction was); new ones are added to it."""
    placeholders = placeholders if placeholders is not None else Placeholders()
    for start, end in _label_regions(text):
        placeholders.reserve(text[start:end])
    folded = fold_format(text)
    spans = [
        (*folded.span(start, end), placeholder)
        for start, end, placeholder in _found(folded.text, index, proper_nouns, other_scripts)
    ]
    public = _replaced(text, _chosen(text, spans), placeholders)
    if other_scripts:
        public = _releasable(public, index)
    for _ in range(_CHECKS):  # the guard must find nothing in what this builds
        if public.text == text:
            return public  # nothing found above: the guard's checks are a part of those
        left = _guard_spans(public.text, index)
        if not left:
            return public
        again = _replaced(public.text, _chosen(public.text, left), placeholders)
        public = PublicText(again.text, public.replacements + again.replacements, placeholders)
    return PublicText(_withheld(public.text, index), public.replacements, placeholders)


def _releasable(public: PublicText, index: SensitiveIndex) -> PublicText:
    """Each withheld other-script span with the text it would go out as if released."""
    replacements = tuple(
        replace(r, released=_released(r.original, index, public.placeholders))
        if r.placeholder.startswith(SCRIPT_PLACEHOLDER[:-1])
        else r
        for r in public.replacements
    )
    return PublicText(public.text, replacements, public.placeholders)


def _released(text: str, index: SensitiveIndex, placeholders: Placeholders) -> str:
    return make_public(text, index, placeholders=placeholders, other_scripts=False).text


def _found(
    text: str, index: SensitiveIndex, proper_nouns: bool, other_scripts: bool
) -> list[tuple[int, int, str]]:
    """Every span to replace in ``text`` (folded), with its placeholder's kind."""
    spans = [
        (h.start, h.end, _PLACEHOLDERS.get(h.kind, OTHER_PLACEHOLDER))
        for h in index.matcher.find(text)
    ]
    if proper_nouns:
        labels = _label_regions(text)  # "[PERSON 1]", and one being written at the end
        spans += [n for n in _names(text) if not any(s <= n[0] and n[1] <= e for s, e in labels)]
    if other_scripts:
        spans += [(start, end, SCRIPT_PLACEHOLDER) for start, end in other_script_spans(text)]
    unlabelled = mask_labels(text)  # an answer prefix may hold the request's labels
    spans += [(d.start, d.end, d.placeholder) for d in detect(unlabelled)]
    spans += [(start, end, RUN_PLACEHOLDER) for start, end in index.runs.find(unlabelled)]
    return spans


def _guard_spans(text: str, index: SensitiveIndex) -> list[tuple[int, int, str]]:
    """What the guard would still refuse in ``text`` (the same checks, on the folded text):
    vault terms outside labels, generic PII, vault runs."""
    folded = fold_format(text)
    labels = [m.span() for m in LABEL.finditer(folded.text)]
    found = [
        (h.start, h.end, _PLACEHOLDERS.get(h.kind, OTHER_PLACEHOLDER))
        for h in index.matcher.find(folded.text)
        if not any(s <= h.start and h.end <= e for s, e in labels)
    ]
    unlabelled = mask_labels(folded.text)
    found += [(d.start, d.end, d.placeholder) for d in detect(unlabelled)]
    found += [(s, e, RUN_PLACEHOLDER) for s, e in index.runs.find(unlabelled)]
    return [(*folded.span(start, end), kind) for start, end, kind in found]


def _withheld(text: str, index: SensitiveIndex) -> str:
    """The last resort, never reached in the tests: a text the replacements could not make
    pass is not sent at all."""
    return "" if _guard_spans(text, index) else text


def _chosen(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, longest first where they start together; overlapping spans,
    and the words of one name, become one."""
    chosen: list[tuple[int, int, str]] = []
    for start, end, placeholder in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if chosen and (start < chosen[-1][1] or _one_name(text, chosen[-1], start, placeholder)):
            if end > chosen[-1][1]:  # overlapping, or the next word of one name: widen
                chosen[-1] = (chosen[-1][0], end, chosen[-1][2])
            continue
        chosen.append((start, end, placeholder))
    return chosen


def _replaced(
    text: str, chosen: list[tuple[int, int, str]], placeholders: Placeholders
) -> PublicText:
    pieces, cursor = [], 0
    replacements = []
    for start, end, placeholder in chosen:
        label = placeholders.label(placeholder.strip("[]"), text[start:end])
        pieces += [text[cursor:start], label]
        replacements.append(Replacement(text[start:end], label, start, end))
        cursor = end
    pieces.append(text[cursor:])
    return PublicText("".join(pieces), tuple(replacements), placeholders)


_LABEL = re.compile(r"\[\[?[A-Z][A-Z ]*(?: \d+)?\]\]?|\[\[?[A-Z][A-Z ]*(?: \d*)?$")


def _label_regions(text: str) -> list[tuple[int, int]]:
    """Labels already in the text (an answer prefix that copies the public part's), which
    the name detectors must not read as names."""
    return [m.span() for m in _LABEL.finditer(text)]


def _one_name(text: str, previous: tuple[int, int, str], start: int, placeholder: str) -> bool:
    """Whether a name span starting at ``start`` continues the previous one ("Ada Brook" is
    one person, not two): the same kind of name, with only spaces between."""
    gap = text[previous[1] : start]
    return placeholder == previous[2] in _NAME_LIKE and gap.strip(" ") == "" and len(gap) <= 2


_NAME_LIKE = frozenset({"[PERSON]", "[NAME]"})


def _names(text: str) -> list[tuple[int, int, str]]:
    """Names by form and by cue, and every other occurrence, in any case, of those that are
    not everyday words ("Koushik … koushik", but not "Mark … mark the date")."""
    names = [(s, e, _PLACEHOLDERS.get(kind, "[NAME]")) for s, e, kind in cue_spans(text)]
    names += [(start, end, "[NAME]") for start, end in name_spans(text)]  # ties: the cue's kind
    rare = [text[s:e] for s, e, _ in names if all(zipf(w) < WORD_ZIPF for w in text[s:e].split())]
    again = TermMatcher([(term, "NAME") for term in rare]).find(text)
    return names + [(h.start, h.end, "[NAME]") for h in again]
