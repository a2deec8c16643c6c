"""What the profile editor accepts, and the messages for what it refuses."""

from __future__ import annotations

import pytest

from cogenesis.core.vault import Profile
from cogenesis.gui.vault_editors.profile_rules import EMPTY, ProfileInput, from_profile, problems


def with_age(age: str) -> ProfileInput:
    return ProfileInput(("Ana", age, "", "", "", "", ""), ())


def with_rows(*rows: tuple[str, str]) -> ProfileInput:
    return ProfileInput(EMPTY.values, rows)


@pytest.mark.parametrize("age", ["", "34", " 7 ", "30-39", "30 – 39", "150"])
def test_ages_that_are_accepted(age: str) -> None:
    assert problems(with_age(age)) == {}


@pytest.mark.parametrize("age", ["thirty", "151", "34 years", "-3", "1000", "30-200"])
def test_ages_that_are_refused(age: str) -> None:
    assert problems(with_age(age)) == {
        "age": "Write a number of years (34) or a range (30-39), or leave it empty."
    }


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("", "Dr Okonkwo"),), "Row 1 has a value but no name"),
        ((("Doctor", " "),), "“Doctor” has no value"),
        ((("Name", "Ana"),), "“Name” is already a field above"),
        ((("writing_style", "terse"),), "“writing_style” is already a field above"),
        ((("Pet", "cat"), ("pet ", "dog")), "“pet” appears twice"),
    ],
)
def test_other_facts_that_are_refused(rows: tuple[tuple[str, str], ...], message: str) -> None:
    assert problems(with_rows(*rows))["extra"].startswith(message)


def test_blank_rows_are_dropped_and_values_trimmed() -> None:
    entry = ProfileInput(("  Ana  ", *EMPTY.values[1:]), (("", ""), (" Pet ", " cat "), (" ", "")))
    assert problems(entry) == {}
    assert entry.to_profile() == Profile(name="Ana", extra={"Pet": "cat"})


def test_a_profile_round_trips() -> None:
    profile = Profile(name="Ana", age="34", private_facts="a\nb", extra={"Pet": "cat"})
    assert from_profile(profile).to_profile() == profile
