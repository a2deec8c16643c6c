from __future__ import annotations

from cogenesis.core.collab.context import query_words, render, retrieve
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
