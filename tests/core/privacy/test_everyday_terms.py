"""A word the vault yields that English uses every day is not a sensitive term unless the
user marks it; names and places stay sensitive however common."""

from __future__ import annotations

from cogenesis.core.privacy import build_index, make_public
from cogenesis.core.privacy.derive import derive_document
from cogenesis.core.vault import Vault

NOTE = (
    "Voice Assistant tips for Gardening and Culinary evenings. Bookmarked: Communication "
    "skills. I met Grant and Koushik in Leeds; the Napco office is near Bristol."
)


def terms_of(title: str, text: str) -> set[str]:
    return {t.term for t in derive_document("note", 1, title, text).terms}


def test_everyday_words_are_not_terms_but_names_and_places_are() -> None:
    found = terms_of("Assembly Challenges", NOTE)
    assert not found & {"Assistant", "Gardening", "Culinary", "Communication", "Assembly"}
    assert not found & {"Challenges", "Bookmarked"}
    assert {"Grant", "Napco", "Leeds", "Bristol"} <= found


def test_a_word_written_in_lower_case_too_is_a_word() -> None:
    assert "Harbour" not in terms_of("", "We walked to the Harbour. The harbour was full.")


def test_the_apps_requests_are_not_refused_for_a_vault_word(vault: Vault) -> None:
    vault.notes.add("Voice Assistant", NOTE)
    public = make_public("You are a helpful assistant. Plan a gardening day.", build_index(vault))
    assert public.text == "You are a helpful assistant. Plan a gardening day."
    assert "Koushik" not in make_public("Call Koushik", build_index(vault)).text


def test_an_everyday_word_after_a_relation_is_not_a_name(vault: Vault) -> None:
    text = "Write a short note to my neighbour inviting them to a barbecue on Saturday."
    assert make_public(text, build_index(vault)).text == text
    public = make_public("ask my friend rahul and my neighbour koushik", build_index(vault))
    assert "rahul" not in public.text and "koushik" not in public.text
