"""Offline lists of names: given names from the US census (bundled by the ``names`` package),
country and subdivision names from ISO 3166 (``pycountry``) and cities of 300,000 people or
more from GeoNames (``cities.txt``, CC BY 4.0). Nothing is fetched.

Both lists hold ordinary words too (the census lists "Numbers" and "See" as given names,
ISO lists a region "Store"), so an entry counts only when English rarely uses it as a word
(``wordfreq``) or, for given names, when many people carry it. Lookups take a word or phrase
in any case and accents; lists are loaded once, on first use.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources

from cogenesis.core.privacy.wordlist import zipf_frequency

GIVEN_NAME_FILES = ("dist.male.first", "dist.female.first")
WORD_ZIPF = 4.0  # below this a listed entry is not an everyday word ("Eden" 3.8, "Leia" 3.1)
POPULAR_SHARE = 0.01  # percent of people: "Max" 0.059 and "Tim" 0.104 count; "See" 0.001 not
CITY_ZIPF = 5.0  # "dubai" 4.1, "liverpool" 4.4 count; "london" 5.3 is caught by its capital
FUNCTION_ZIPF = 5.5  # never a name on its own: "Will" 6.5, "May" 6.0


def fold(text: str) -> str:
    """Case-folded, accents removed, inner whitespace collapsed."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


@functools.lru_cache(maxsize=1 << 15)
def is_given_name(word: str) -> bool:
    """A first name the 1990 US census lists (about 5,000: "Harrison", "Eden", "Leia")."""
    return fold(word) in _given_names()


@functools.lru_cache(maxsize=1 << 15)
def is_place(phrase: str) -> bool:
    """A country or a country's subdivision (state, province, county): "belarus",
    "Hong Kong", "Washington", "Pampanga"."""
    return fold(phrase) in _places()


@functools.lru_cache(maxsize=1 << 15)
def starts_place_phrase(word: str) -> bool:
    """Whether some listed place of two or more words starts with ``word`` ("hong")."""
    return fold(word) in _phrase_starts()


@functools.cache
def _phrase_starts() -> frozenset[str]:
    return frozenset(place.split()[0] for place in _places() if " " in place)


def longest_place_words() -> int:
    return max(len(place.split()) for place in _places())


def zipf(word: str) -> float:
    return zipf_frequency(word.casefold())


@functools.cache
def _given_names() -> frozenset[str]:
    found: set[str] = set()
    package = resources.files("names")
    for filename in GIVEN_NAME_FILES:
        for line in package.joinpath(filename).read_text(encoding="ascii").splitlines():
            fields = line.split()  # NAME, percent of people, cumulative percent, rank
            if len(fields) == 4 and _name_not_word(fields[0], float(fields[1])):
                found.add(fold(fields[0]))
    return frozenset(found)


def _name_not_word(name: str, share: float) -> bool:
    frequency = zipf(name)
    return frequency < FUNCTION_ZIPF and (share >= POPULAR_SHARE or frequency < WORD_ZIPF)


@functools.cache
def _places() -> frozenset[str]:
    import pycountry

    found: set[str] = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                found.add(fold(value))
    for sub in pycountry.subdivisions:
        name = fold(sub.name)
        if sub.country_code == "US" or min(zipf(word) for word in name.split()) < WORD_ZIPF:
            found.add(name)  # "Pampanga", not "Central Region" or "Store"
    found.update(name for name in _cities() if min(zipf(w) for w in name.split()) < CITY_ZIPF)
    found.update(_SHORT_FORMS)
    return frozenset(_short(name) for name in found)


def _cities() -> list[str]:
    text = resources.files("cogenesis.core.privacy").joinpath("cities.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


# usual names that ISO does not give, and the continents
_SHORT_FORMS = (
    *("usa", "uk", "uae", "russia", "syria", "laos", "macau", "hong kong"),
    *("europe", "asia", "africa", "oceania", "antarctica", "north america", "south america"),
    *("latin america", "middle east"),
)


def _short(name: str) -> str:
    """ "korea, republic of" → "korea"; "bolivia (plurinational state of)" → "bolivia"."""
    return name.split(",")[0].split("(")[0].strip()
