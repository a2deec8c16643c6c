from __future__ import annotations

from cogenesis.core.collab.context import follow_up, query_words, render, retrieve
from cogenesis.core.vault import Profile, Vault


def test_query_words_drop_common_words() -> None:
    assert query_words("Please write a note about the garden party for my neighbour") == (
        "note garden party neighbour"
    )


def test_retrieve_profile_first_then_best_matches(vault: Vault) -> None:
    vault.profile.set(Profile(name="Ada", writing_style="Dry wit"))
    vault.notes.add("Garden", "The garden party is on Saturday at noon.")
    vault.notes.add("Taxes", "File the tax return before April.")
    vault.samples.add("Blog", "Gardens teach patience; parties teach the rest.")
    items = retrieve(vault, "Write an invitation to the garden party", budget_chars=2000)
    labels = [item.label for item in items]
    assert labels[0] == "profile" and "note: Garden" in labels and "note: Taxes" not in labels
    assert "writing style: Dry wit" in items[0].text
    assert "[profile]" in render(items)


def test_retrieve_fits_the_budget(vault: Vault) -> None:
    for i in range(20):
        vault.notes.add(f"Party {i}", "party " * 200)
    items = retrieve(vault, "party", budget_chars=1500)
    assert sum(len(item.text) + len(item.label) + 4 for item in items) <= 1500
    assert items and items[-1].text.endswith("…")


def test_a_follow_up_keeps_the_previous_context_first_and_adds_what_is_new(
    vault: Vault,
) -> None:
    vault.profile.set(Profile(name="Ada", writing_style="Dry wit"))
    vault.notes.add("Garden", "The garden party is on Saturday at noon.")
    vault.notes.add("Taxes", "File the tax return before April.")
    first = retrieve(vault, "Write an invitation to the garden party", budget_chars=2000)
    found = retrieve(vault, "And remind me about the tax return", budget_chars=2000)
    assert [i.label for i in found] == ["profile", "note: Taxes"]
    kept = follow_up(first, found, budget_chars=2000)
    assert [i.label for i in kept] == ["profile", "note: Garden", "note: Taxes"]
    assert render(kept).startswith(render(first))  # the cached prompt stays a prefix


def test_a_follow_up_shows_an_edited_record_as_it_is_now(vault: Vault) -> None:
    vault.profile.set(Profile(name="Ada"))
    first = retrieve(vault, "hello", budget_chars=2000)
    vault.profile.set(Profile(name="Ada Lovelace"))
    kept = follow_up(first, retrieve(vault, "hello", budget_chars=2000), budget_chars=2000)
    assert "Ada Lovelace" in kept[0].text


def test_a_follow_up_fits_the_budget_by_leaving_out_the_newest(vault: Vault) -> None:
    vault.notes.add("Garden", "garden " * 100)
    vault.notes.add("Taxes", "taxes " * 100)
    first = retrieve(vault, "garden", budget_chars=800)
    kept = follow_up(first, retrieve(vault, "taxes", budget_chars=800), budget_chars=800)
    assert kept[0].label == "note: Garden" and render(kept).startswith(render(first)[:600])
