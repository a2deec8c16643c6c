"""Records, search and transactions on a real SQLCipher vault."""

from __future__ import annotations

import pytest

import cogenesis.core.vault.search as search_module
from cogenesis.core.errors import RecordNotFound, VaultError, VaultLocked
from cogenesis.core.vault import Profile, Vault
from cogenesis.core.vault.search import fts_query


def test_notes_crud_and_search(vault: Vault) -> None:
    note = vault.notes.add("Trip", "Flying to Lisbon on May 3", ["travel", " travel ", ""])
    assert note.tags == ["travel"]
    assert [h.record_id for h in vault.search("lisbon") if h.kind == "note"] == [note.id]
    updated = vault.notes.update(note.id, body="Flying to Porto instead")
    assert updated.updated_at >= note.updated_at
    assert vault.search("lisbon") == []
    assert vault.search("porto")[0].snippet.count("[Porto]") == 1
    vault.notes.delete(note.id)
    assert vault.search("porto") == []
    with pytest.raises(RecordNotFound):
        vault.notes.get(note.id)


def test_search_covers_samples_profile_messages_and_tags(vault: Vault) -> None:
    vault.samples.add("Blog", "My prose is terse and wry.")
    vault.profile.set(Profile(name="Isabel Martinez", extra={"Hobby": "golf"}))
    conv = vault.conversations.create("Planning")
    vault.conversations.add_message(conv.id, "user", "Book the marathon hotel")
    vault.notes.add("Groceries", "milk", ["errands"])
    assert {h.kind for h in vault.search("terse")} == {"sample"}
    assert {h.kind for h in vault.search("isabel")} == {"profile"}
    assert {h.kind for h in vault.search("golf")} == {"profile"}
    assert {h.kind for h in vault.search("marathon")} == {"message"}
    assert {h.kind for h in vault.search("errands")} == {"note"}


def test_search_ranks_and_matches_all_or_any_words(vault: Vault) -> None:
    vault.notes.add("Garden", "tomatoes and basil")
    vault.notes.add("Cooking", "basil pesto with basil and more basil")
    assert [h.title for h in vault.search("basil")] == ["Cooking", "Garden"]
    assert [h.title for h in vault.search("basil tomatoes")] == ["Garden"]
    assert len(vault.search("basil tomatoes", match="any")) == 2


def test_search_without_snippets_finds_the_same_records(vault: Vault) -> None:
    vault.notes.add("Garden", "tomatoes and basil")
    vault.notes.add("Cooking", "basil pesto with basil and more basil")
    plain = vault.search("basil", snippets=False)
    assert [(h.record_id, h.score) for h in plain] == [
        (h.record_id, h.score) for h in vault.search("basil")
    ]
    assert all(h.snippet == "" for h in plain) and "[basil]" in vault.search("basil")[0].snippet


def test_a_large_vault_lists_the_newest_matches_of_common_words(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_ALL_BELOW", 2)  # as if the vault were large
    vault.notes.add("Cooking", "basil pesto with basil and more basil")
    vault.notes.add("Garden", "tomatoes and basil")
    vault.notes.add("Shop", "buy tomatoes")
    assert [h.title for h in vault.search("basil")] == ["Garden", "Cooking"]  # in 2 of 3
    assert [h.title for h in vault.search("basil pesto", match="any")] == ["Cooking", "Garden"]
    assert [h.title for h in vault.search("bas", prefix=True)] == ["Garden", "Cooking"]
    monkeypatch.setattr(search_module, "RANK_ALL_BELOW", 3)
    assert [h.title for h in vault.search("basil")] == ["Cooking", "Garden"]  # BM25


@pytest.mark.parametrize("query", ['"', "AND", "a OR (", "*", "NEAR(", "col:thing", "-x"])
def test_search_treats_fts_syntax_as_words(vault: Vault, query: str) -> None:
    vault.notes.add("t", "AND thing x")
    vault.search(query)  # must not raise


def test_fts_query_quotes_words() -> None:
    assert fts_query('say "hi" OR bye') == '"say" AND "hi" AND "OR" AND "bye"'
    assert fts_query("", "any") == ""
    assert fts_query("den*", prefix=True) == '"den"*'


def test_search_by_kind_and_word_prefix(vault: Vault) -> None:
    conv = vault.conversations.create("Teeth")
    for _ in range(3):
        vault.conversations.add_message(conv.id, "user", "dentist dentist dentist")
    note = vault.notes.add("Dentist", "Friday 9:00")
    vault.samples.add("Letter", "Dear dentist")
    assert vault.search("dent") == []
    assert {h.kind for h in vault.search("dent", prefix=True)} == {"note", "sample", "message"}
    hits = vault.search("dentist", kind="note", limit=1)
    assert [(h.kind, h.record_id) for h in hits] == [("note", note.id)]
    assert [h.kind for h in vault.search("dear dent", kind="sample", prefix=True)] == ["sample"]


def test_deleting_a_conversation_removes_its_messages_and_index(vault: Vault) -> None:
    conv = vault.conversations.create("Chat")
    vault.conversations.add_message(conv.id, "user", "zebra crossing")
    vault.conversations.delete(conv.id)
    assert vault.search("zebra") == []
    assert vault.db.query("SELECT count(*) FROM messages")[0][0] == 0


def test_conversations_order_and_roles(vault: Vault) -> None:
    first = vault.conversations.create("First")
    second = vault.conversations.create("Second")
    vault.conversations.add_message(first.id, "assistant", "hi")
    assert [c.title for c in vault.conversations.all()] == ["First", "Second"]
    assert vault.conversations.rename(second.id, "  ").title == "New conversation"
    with pytest.raises(VaultError, match="role"):
        vault.conversations.add_message(first.id, "robot", "x")  # type: ignore[arg-type]


def test_profile_is_a_single_record(vault: Vault) -> None:
    assert vault.profile.get().is_empty()
    vault.profile.set(Profile(name="A", location="Here"))
    vault.profile.set(Profile(name="B"))
    assert vault.profile.get() == Profile(name="B")
    assert len(vault.search("b")) == 1


def test_terms_mark_unmark_and_normalize(vault: Vault) -> None:
    vault.terms.mark("Maria  Lopez", "person")
    again = vault.terms.mark("ＭＡＲＩＡ lopez")  # full-width, other case: same term
    assert len(vault.terms.all()) == 1
    assert again.term == "Maria Lopez" and again.kind == "person" and again.marked
    cleared = vault.terms.unmark("maria lopez")
    assert not cleared.marked
    vault.terms.remove("Maria Lopez")
    assert vault.terms.all() == []
    with pytest.raises(VaultError):
        vault.terms.mark("   ")


def test_empty_note_body_is_refused(vault: Vault) -> None:
    with pytest.raises(VaultError, match="empty") as info:
        vault.notes.add("title", "  ")
    assert "save again" in info.value.hint


def test_a_failed_batch_rolls_back_completely(vault: Vault) -> None:
    with pytest.raises(RuntimeError), vault.db.transaction():
        vault.notes.add("one", "first")
        vault.samples.add("two", "second")
        raise RuntimeError("boom")
    assert vault.notes.all() == [] and vault.samples.all() == []
    vault.notes.add("after", "still works")
    assert vault.notes.count() == 1


def test_nested_failure_keeps_the_outer_work(vault: Vault) -> None:
    with vault.db.transaction():
        vault.notes.add("kept", "outer")
        with pytest.raises(RecordNotFound):
            vault.notes.update(999, body="x")
    assert [n.title for n in vault.notes.all()] == ["kept"]


def test_locked_vault_refuses_work(vault: Vault) -> None:
    vault.lock()
    assert vault.is_locked
    with pytest.raises(VaultLocked):
        vault.notes.all()


def test_pragmas_and_memory_security(vault: Vault) -> None:
    assert vault.db.query("PRAGMA journal_mode")[0][0] == "wal"
    assert vault.db.query("PRAGMA synchronous")[0][0] == 2  # FULL
    assert vault.db.query("PRAGMA foreign_keys")[0][0] == 1
    assert vault.memory_security is True
    assert vault.check().ok


def test_migrations_are_recorded(vault: Vault) -> None:
    rows = vault.db.query("SELECT version, name FROM schema_migrations")
    assert rows[:4] == [
        (1, "m001_initial"),
        (2, "m002_egress_sizes"),
        (3, "m003_egress_reading"),
        (4, "m004_term_index"),
    ]


def test_conversation_mode_and_deleting_one_message(vault: Vault) -> None:
    conv = vault.conversations.create("Plans", "local")
    vault.conversations.set_mode(conv.id, "sketch")
    assert vault.conversations.get(conv.id).privacy_mode == "sketch"
    first = vault.conversations.add_message(conv.id, "user", "Hi")
    second = vault.conversations.add_message(conv.id, "assistant", "Hello")
    vault.conversations.delete_message(second.id)
    assert [m.id for m in vault.conversations.messages(conv.id)] == [first.id]
    with pytest.raises(RecordNotFound):
        vault.conversations.delete_message(second.id)
    with pytest.raises(RecordNotFound):
        vault.conversations.set_mode(conv.id + 1, "local")
