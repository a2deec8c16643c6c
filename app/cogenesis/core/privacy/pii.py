"""Generic PII in text the vault does not know: offline pattern detectors with validation.

Emails, phone numbers (libphonenumber), payment cards (Luhn), IBANs (mod 97), IP addresses,
URLs and domain names (tldextract's bundled suffix list), dates, US social security numbers,
codes mixing letters and digits, long numbers (accounts, references), street addresses and
the user names in home folder paths (``/home/NAME/``, ``C:\\Users\\NAME\\``).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import phonenumbers


@dataclass(frozen=True)
class Detection:
    start: int
    end: int
    kind: str  # EMAIL, PHONE, CARD, IBAN, IP, URL, DATE, ID, NUMBER, ADDRESS, USER

    @property
    def placeholder(self) -> str:
        return f"[{self.kind}]"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I)
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-f]{1,4}|:)(?::[0-9a-f]{0,4}){2,7}(?![\w:])", re.I)
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH} (?:19|20)\d{{2}}"
    rf"|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)\d{{2}})\b",
    re.I,
)
_CODE = re.compile(r"\b(?=(?:[A-Za-z_-]*\d){2})(?=[\w-]*[A-Za-z])[\w-]{5,}\b")
_NUMBER = re.compile(r"\b\d[\d ,.-]*\d\b")  # six digits or more: checked in _RULES
_HOME = re.compile(  # the user's name in a home folder path
    r"(?:(?<=/home/)|(?<=/Users/)|(?<=\\Users\\))[^/\\\s\"'<>:]+", re.I
)
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)+\b")
_ADDRESS = re.compile(
    r"\b\d{1,5}(?: [A-Z][a-z]+){1,4} (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|"
    r"Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Square|Sq)\b\.?"
)


def luhn_ok(digits: str) -> bool:
    total, double = 0, False
    for char in reversed(digits):
        value = int(char) * (2 if double else 1)
        total += value - 9 if value > 9 else value
        double = not double
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _ip_ok(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


# country codes that are also file extensions: "libc.so", "setup.py", "README.md" are files
_FILE_EXTENSIONS = frozenset(
    ("so", "py", "sh", "md", "rs", "pl", "ts", "js", "cc", "cs", "mk", "ps", "rb", "sql")
)


@functools.lru_cache(maxsize=4096)
def _is_domain(candidate: str) -> bool:
    parts = _tld_extract()(candidate)
    if not (parts.domain and parts.suffix):
        return False
    return parts.subdomain.startswith("www") or parts.suffix.casefold() not in _FILE_EXTENSIONS


@functools.cache
def _tld_extract() -> Any:
    import tldextract

    # the suffix list bundled with tldextract: never fetched from the network
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


_RULES: list[tuple[str, re.Pattern[str], Callable[[str], bool]]] = [
    ("EMAIL", _EMAIL, lambda s: True),
    ("URL", _URL, lambda s: True),
    ("IBAN", _IBAN, iban_ok),
    ("CARD", _CARD, lambda s: luhn_ok(re.sub(r"\D", "", s))),
    ("ID", _SSN, lambda s: True),
    ("IP", _IPV4, _ip_ok),
    ("IP", _IPV6, _ip_ok),
    ("DATE", _DATE, lambda s: True),
    ("USER", _HOME, lambda s: True),
    ("URL", _DOMAIN, lambda s: _is_domain(s)),
    ("ID", _CODE, lambda s: True),
    ("NUMBER", _NUMBER, lambda s: sum(c.isdigit() for c in s) >= 6),
    ("ADDRESS", _ADDRESS, lambda s: True),
]


def detect(text: str, region: str = "US") -> list[Detection]:
    """Non-overlapping detections, earliest first (the first rule to claim a span wins)."""
    found: list[Detection] = []
    for kind, pattern, valid in _RULES:
        for match in pattern.finditer(text):
            if valid(match.group()):
                found.append(Detection(match.start(), match.end(), kind))
    found += [Detection(start, end, "PHONE") for start, end in _phones(text, region)]
    return _without_overlaps(found)


# A digit run that could hold a phone number: no valid number anywhere has fewer than six
# digits with its country code (Austria, Germany, Iran: +43 1234).
_PHONE_CANDIDATE = re.compile(r"\d[\d\s().\-/]*\d")
_MIN_PHONE_DIGITS = 6
_PHONE_CONTEXT = 40  # characters either side: the "+", an extension, the words around


def _phones(text: str, region: str) -> Iterator[tuple[int, int]]:
    """``phonenumbers``' matches, with the matcher run only around digit runs that could be a
    number (over the whole of a long log or source file it cost 3 ms a request)."""
    seen: set[tuple[int, int]] = set()
    for start, end in _phone_windows(text):
        matcher = phonenumbers.PhoneNumberMatcher(
            text[start:end], region, leniency=phonenumbers.Leniency.VALID
        )
        for match in matcher:
            span = (start + match.start, start + match.end)
            if span not in seen:
                seen.add(span)
                yield span


def _phone_windows(text: str) -> list[tuple[int, int]]:
    """Merged windows around each candidate digit run."""
    windows: list[tuple[int, int]] = []
    for run in _PHONE_CANDIDATE.finditer(text):
        if sum(c.isdigit() for c in run.group()) < _MIN_PHONE_DIGITS:
            continue
        start, end = max(0, run.start() - _PHONE_CONTEXT), run.end() + _PHONE_CONTEXT
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _without_overlaps(found: list[Detection]) -> list[Detection]:
    kept: list[Detection] = []
    for item in sorted(found, key=lambda d: (d.start, -(d.end - d.start))):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept
