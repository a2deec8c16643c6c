"""What the profile editor accepts, with a message per field that says how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cogenesis.core.vault.records import PROFILE_FIELDS, Profile

MAX_AGE = 150
_AGE = re.compile(r"(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?")
Row = tuple[str, str]


@dataclass(frozen=True)
class ProfileInput:
    """The editor's fields as typed; ``rows`` are the other facts as (name, value)."""

    values: tuple[str, ...]  # in PROFILE_FIELDS order
    rows: tuple[Row, ...]

    def value(self, field: str) -> str:
        return self.values[PROFILE_FIELDS.index(field)]

    def filled_rows(self) -> list[Row]:
        return [(k.strip(), v.strip()) for k, v in self.rows if k.strip() or v.strip()]

    def to_profile(self) -> Profile:
        fields = {f: v.strip() for f, v in zip(PROFILE_FIELDS, self.values, strict=True)}
        return Profile(**fields, extra=dict(self.filled_rows()))


EMPTY = ProfileInput(("",) * len(PROFILE_FIELDS), ())


def from_profile(profile: Profile) -> ProfileInput:
    values = tuple(str(getattr(profile, f)) for f in PROFILE_FIELDS)
    return ProfileInput(values, tuple(profile.extra.items()))


def problems(entry: ProfileInput) -> dict[str, str]:
    """Field name (or "extra" for the other facts) to what is wrong there; empty when valid."""
    found: dict[str, str] = {}
    age = _age_problem(entry.value("age").strip())
    if age:
        found["age"] = age
    extra = _rows_problem(entry.filled_rows())
    if extra:
        found["extra"] = extra
    return found


def _age_problem(age: str) -> str:
    match = _AGE.fullmatch(age)
    if not age or (match and all(int(n) <= MAX_AGE for n in match.groups() if n)):
        return ""
    return "Write a number of years (34) or a range (30-39), or leave it empty."


def _rows_problem(rows: list[Row]) -> str:
    seen: set[str] = set()
    standard = {f.replace("_", " ") for f in PROFILE_FIELDS}
    for number, (name, value) in enumerate(rows, start=1):
        key = " ".join(name.replace("_", " ").casefold().split())
        if not name:
            return f"Row {number} has a value but no name: name the fact (Doctor, say) or clear it."
        if not value:
            return f"“{name}” has no value: write one, or remove the row."
        if key in standard:
            return f"“{name}” is already a field above: use that field instead."
        if key in seen:
            return f"“{name}” appears twice: merge the two rows or rename one."
        seen.add(key)
    return ""
