from __future__ import annotations

import pytest

from cogenesis.core.privacy.gazetteer import fold, is_given_name, is_place


@pytest.mark.parametrize("name", ["Harrison", "eden", "LEIA", "Max", "David", "Beatrice"])
def test_given_names_of_the_census_are_known(name: str) -> None:
    assert is_given_name(name)


@pytest.mark.parametrize("word", ["see", "many", "numbers", "will", "may", "health", "Koushik"])
def test_everyday_words_and_unlisted_names_are_not_given_names(word: str) -> None:
    assert not is_given_name(word)


@pytest.mark.parametrize(
    "place", ["belarus", "Hong Kong", "WASHINGTON", "Pampanga", "Korea", "Russia", "Europe"]
)
def test_countries_subdivisions_and_short_forms_are_places(place: str) -> None:
    assert is_place(place)


@pytest.mark.parametrize("word", ["store", "central region", "north", "most", "python"])
def test_generic_region_words_are_not_places(word: str) -> None:
    assert not is_place(word)


def test_fold_ignores_case_accents_and_spacing() -> None:
    assert fold("  São   Paulo ") == "sao paulo"
