"""The stored sensitive-data index: always what deriving it afresh gives, cheap to load."""

from __future__ import annotations

import pytest

from cogenesis.core.privacy import IndexCache, SensitiveIndex, build_index, derive
from cogenesis.core.privacy import index as index_module
from cogenesis.core.privacy.index import rebuild_index
from cogenesis.core.privacy.runs import word_hash
from cogenesis.core.vault import Profile, Vault, VaultDocument, import_into

LETTER = (
    "Dear Priya, the Bristol house by Clifton Suspension Bridge is lovely and the garden "
    "gets the morning sun; Koushik says the roof was mended in 2019."
)
CLINIC = "On Tuesday Dr Okonkwo at Riverside Clinic moved the appointment to 12/03/2025."


def texts(vault: Vault) -> list[str]:
    return [n.body for n in vault.notes.all()] + [s.text for s in vault.samples.all()]


def stale(vault: Vault) -> int:
    return int(vault.db.query("SELECT count(*) FROM term_index_stale")[0][0])


def assert_in_step(vault: Vault, *gone: str) -> SensitiveIndex:
    """Every write stored its part (none is left for a load to derive) and the stored index
    equals the rebuilt one."""
    assert stale(vault) == 0
    return assert_equal(vault, *gone)


def assert_equal(vault: Vault, *gone: str) -> SensitiveIndex:
    """The same terms in the same order, and the same runs refused (every record's text
    whole, nothing of ``gone``)."""
    stored, rebuilt = build_index(vault), rebuild_index(vault)
    assert stored.terms == rebuilt.terms
    for text in [*texts(vault), *gone, LETTER, CLINIC]:
        assert stored.runs.find(text) == rebuilt.runs.find(text), text
    for text in texts(vault):
        if len(text.split()) >= 8:
            assert stored.runs.find(text) == [(0, len(text.rstrip(".")))], text
    return stored


@pytest.fixture
def filled(vault: Vault) -> Vault:
    vault.profile.set(
        Profile(name="Isabel Martinez", location="Miami, Florida", private_facts="Plays golf")
    )
    vault.notes.add("Family", LETTER)
    vault.samples.add("Okonkwo Estates listing", CLINIC)
    return vault


def test_adding_editing_and_deleting_keep_the_index_in_step(filled: Vault) -> None:
    assert_in_step(filled)
    note = filled.notes.add("Trip to Pune", "Koushik and Harrison fly to Pune in March.")
    assert "Harrison" in {t for t, _ in assert_in_step(filled).terms}
    filled.notes.update(note.id, body="Harrison stays in Zagreb with Mirela this spring.")
    stored = assert_in_step(filled, "Koushik and Harrison fly to Pune in March.")
    assert "Zagreb" in {t for t, _ in stored.terms} and "Pune" not in {t for t, _ in stored.terms}
    sample = filled.samples.all()[0]
    filled.samples.update(sample.id, title="Listing", text="A sunny flat near the sea.")
    filled.notes.delete(filled.notes.all()[0].id)
    stored = assert_in_step(filled, LETTER, CLINIC)
    assert not {"Priya", "Okonkwo", "Riverside Clinic"} & {t for t, _ in stored.terms}
    filled.profile.set(Profile(name="Isabel Ruiz"))
    assert "Martinez" not in {t for t, _ in assert_in_step(filled).terms}


def test_a_term_two_records_yield_outlives_either(filled: Vault) -> None:
    later = filled.notes.add("Recital", "The recital with Priya is on Friday.")
    filled.notes.delete(filled.notes.all()[0].id)
    assert ("Priya", "NAME") in assert_in_step(filled, LETTER).terms
    filled.notes.update(later.id, body="The recital is on Friday.")
    assert "Priya" not in {t for t, _ in assert_in_step(filled).terms}


def test_marks_and_unmarks_apply_to_the_stored_index(filled: Vault) -> None:
    filled.terms.unmark("Bristol")
    filled.terms.mark("Project Nightingale", "custom")
    filled.terms.mark("PRIYA")
    stored = assert_in_step(filled)
    assert "Bristol" not in {t for t, _ in stored.terms}
    assert stored.terms[:2] == (("Project Nightingale", "custom"), ("PRIYA", "custom"))
    assert [h.kind for h in stored.matcher.find("for Priya")] == ["custom"]
    filled.terms.remove("Bristol")
    assert "Bristol" in {t for t, _ in assert_in_step(filled).terms}


def test_an_import_is_indexed_in_its_transaction(vault: Vault) -> None:
    notes = [
        {
            "title": f"Visit {i}",
            "body": f"On day {i} Mirela Kovač took the train to Zagreb. " + LETTER,
            "tags": [],
            "created_at": None,
            "updated_at": None,
        }
        for i in range(5)
    ]
    samples = [{"title": "Clinic", "text": CLINIC, "created_at": None, "updated_at": None}]
    terms = [{"term": "Zagreb", "kind": "PLACE", "marked": False}]
    doc = VaultDocument(
        profile=Profile(name="Ana Horvat"), notes=notes, samples=samples, terms=terms
    )
    import_into(vault, doc)
    stored = assert_in_step(vault)
    assert "Mirela Kovač" in {t for t, _ in stored.terms}
    assert "Zagreb" not in {t for t, _ in stored.terms}


def test_a_rolled_back_write_leaves_the_index_as_it_was(filled: Vault) -> None:
    cache = IndexCache(filled)
    before = cache.get()
    tables = _index_rows(filled)
    with pytest.raises(RuntimeError), filled.db.transaction():
        filled.notes.add("Secret", "Harrison moved to Zagreb last year with his cat Mochi.")
        filled.notes.delete(filled.notes.all()[0].id)
        filled.terms.mark("Nightingale")
        raise RuntimeError("abandon")
    assert _index_rows(filled) == tables
    assert cache.get() is before  # nothing changed: not even loaded again
    assert_in_step(filled)


def test_the_cache_loads_again_only_after_a_change(
    filled: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[int] = []
    real = index_module.build_index
    monkeypatch.setattr(index_module, "build_index", lambda v: loads.append(1) or real(v))
    cache = IndexCache(filled)
    first = cache.get()
    assert cache.get() is first and len(loads) == 1
    copied = "Rewrite: Koushik flies to Pune on Monday with his two daughters."
    assert first.runs.find(copied) == first.runs.find(copied) == []  # asked twice, once stored
    filled.notes.add("n", "Koushik flies to Pune on Monday with his two daughters.")
    assert cache.get().matcher.find("Pune") and len(loads) == 2
    assert cache.get().runs.find(copied) == [(9, len(copied) - 1)]
    filled.terms.unmark("Pune")
    assert not cache.get().matcher.find("Pune") and len(loads) == 3


def test_a_write_that_bypassed_the_stores_is_derived_on_load(filled: Vault) -> None:
    with filled.db.transaction() as conn:
        conn.execute("UPDATE notes SET body = ?", ("Harrison lives in Zagreb.",))
    assert stale(filled) == 1  # marked by the trigger, in that transaction
    stored = assert_equal(filled, LETTER)
    assert stale(filled) == 0
    assert "Zagreb" in {t for t, _ in stored.terms}


def test_new_derivation_rules_derive_every_record_again(
    filled: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Bristol" in {t for t, _ in build_index(filled).terms}
    monkeypatch.setattr(derive, "DERIVATION_VERSION", derive.DERIVATION_VERSION + 1)
    monkeypatch.setattr(derive, "_entities", lambda text: [("Bristol Harbour", "PLACE")])
    stored = assert_equal(filled)
    assert ("Bristol Harbour", "PLACE") in stored.terms
    assert "Priya" not in {t for t, _ in stored.terms}
    assert filled.db.query("SELECT value FROM term_index_meta WHERE key = 'version'") == [
        (derive.DERIVATION_VERSION,)
    ]


def test_run_hashes_are_stable_across_processes() -> None:
    # vaults store these: changing the hash needs a new DERIVATION_VERSION
    assert word_hash(["a", "b"]) == 1212841174890269944


def _index_rows(vault: Vault) -> list[object]:
    tables = ("term_index_records", "term_index_terms", "term_index_first", "term_index_anchors")
    rows: list[object] = [vault.db.query("SELECT value FROM term_index_meta ORDER BY key")]
    return rows + [sorted(vault.db.query(f"SELECT * FROM {t}")) for t in tables]


def test_an_index_of_an_empty_vault_hashes_nothing_and_a_new_note_is_refused(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty vault has no runs: the text is not hashed at all. The cache loads again after
    the first note, so the note's runs are refused from then on."""
    cache = IndexCache(vault)
    hashed: list[int] = []
    real = index_module.StoredRuns.known
    monkeypatch.setattr(
        index_module.StoredRuns, "known", lambda self, found: hashed.append(1) or real(self, found)
    )
    assert cache.get().runs.find(LETTER) == [] and hashed == []
    vault.notes.add("letter", LETTER)
    assert cache.get().runs.find(f"As I wrote: {LETTER}") != [] and hashed
