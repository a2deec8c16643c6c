"""The sensitive-terms list: found, marked and un-marked terms, and where they occur."""

from __future__ import annotations

import pytest

from cogenesis.core.errors import RecordNotFound
from cogenesis.core.privacy import build_index
from cogenesis.core.privacy.term_list import (
    TermEntry,
    TermSource,
    mark_entry,
    restore_entry,
    term_entries,
    term_sources,
    unmark_entry,
)
from cogenesis.core.vault import Profile, Vault


@pytest.fixture
def filled(vault: Vault) -> Vault:
    vault.profile.set(Profile(name="Isabel Martinez", location="Miami"))
    vault.notes.add("Family", "Priya starts school in Bristol next month.")
    vault.samples.add("Letter", "Dear Priya, the Bristol house is lovely.")
    vault.terms.mark("Project Nightingale")
    return vault


def entry(entries: list[TermEntry], term: str) -> TermEntry:
    return next(e for e in entries if e.term == term)


def index_terms(vault: Vault) -> set[str]:
    return {t for t, _ in build_index(vault).terms}


def test_entries_show_found_and_marked_terms(filled: Vault) -> None:
    entries = term_entries(filled)
    isabel = TermEntry("Isabel Martinez", "PERSON", "found", True)
    assert entry(entries, "Isabel Martinez") == isabel
    assert entry(entries, "Bristol").status == "found"
    assert entry(entries, "Project Nightingale") == TermEntry(
        "Project Nightingale", "custom", "marked", False
    )
    assert [e.term for e in entries] == sorted((e.term for e in entries), key=str.casefold)
    assert len({e.term.casefold() for e in entries}) == len(entries), "one row per term"
    sensitive = {e.term for e in entries if e.sensitive}
    assert sensitive <= index_terms(filled)


def test_unmarking_a_found_term_keeps_it_listed_and_out_of_the_index(filled: Vault) -> None:
    unmark_entry(filled, entry(term_entries(filled), "Bristol"))
    bristol = entry(term_entries(filled), "Bristol")
    assert (bristol.status, bristol.derived, bristol.sensitive) == ("unmarked", True, False)
    assert "Bristol" not in index_terms(filled)
    filled.terms.mark(bristol.term, bristol.kind)
    assert entry(term_entries(filled), "Bristol").status == "marked"
    assert "Bristol" in index_terms(filled)


def test_unmarking_a_term_only_the_user_marked_removes_it(filled: Vault) -> None:
    unmark_entry(filled, entry(term_entries(filled), "Project Nightingale"))
    assert "Project Nightingale" not in {e.term for e in term_entries(filled)}
    assert "Project Nightingale" not in index_terms(filled)
    with pytest.raises(RecordNotFound):
        filled.terms.remove("Project Nightingale")


def test_a_marked_term_that_the_vault_also_yields_is_one_marked_row(filled: Vault) -> None:
    filled.terms.mark("PRIYA")
    rows = [e for e in term_entries(filled) if e.term.casefold() == "priya"]
    assert rows == [TermEntry("PRIYA", "custom", "marked", True)]


def test_marking_again_returns_a_found_term_to_detection(filled: Vault) -> None:
    unmark_entry(filled, entry(term_entries(filled), "Bristol"))
    mark_entry(filled, entry(term_entries(filled), "Bristol"))
    bristol = entry(term_entries(filled), "Bristol")
    assert (bristol.status, bristol.derived) == ("found", True)
    filled.terms.unmark("Nightingale Street")  # un-marked, and nowhere in the vault
    mark_entry(filled, entry(term_entries(filled), "Nightingale Street"))
    assert entry(term_entries(filled), "Nightingale Street").status == "marked"


@pytest.mark.parametrize("term", ["Bristol", "Project Nightingale", "Priya"])
def test_restore_undoes_a_change(filled: Vault, term: str) -> None:
    filled.terms.mark("Priya")  # a marked term the vault also yields
    before = term_entries(filled)
    changed = entry(before, term)
    unmark_entry(filled, changed)
    restore_entry(filled, changed)
    assert term_entries(filled) == before
    mark_entry(filled, entry(term_entries(filled), term))
    restore_entry(filled, changed)
    assert term_entries(filled) == before


def test_sources_name_the_records_a_term_occurs_in(filled: Vault) -> None:
    note = filled.notes.all()[0]
    sample = filled.samples.all()[0]
    assert term_sources(filled, "bristol") == [
        TermSource("note", note.id, "Note “Family”"),
        TermSource("sample", sample.id, "Writing sample “Letter”"),
    ]
    assert term_sources(filled, "Martinez") == [TermSource("profile", 0, "Profile: name")]
    assert term_sources(filled, "Project Nightingale") == []


def test_sources_cover_profile_extras_and_titles(vault: Vault) -> None:
    vault.profile.set(Profile(extra={"Doctor": "Dr Okonkwo"}))
    note = vault.notes.add("", "Okonkwo called")
    titled = vault.notes.add("Okonkwo visit", "bring the X-rays")
    assert term_sources(vault, "Okonkwo") == [
        TermSource("profile", 0, "Profile: Doctor"),
        TermSource("note", note.id, "Note “Untitled”"),
        TermSource("note", titled.id, "Note “Okonkwo visit”"),
    ]
