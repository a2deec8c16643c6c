"""JSON import/export: the native format, CoGenesis dataset users, malformed files."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cogenesis.core.errors import ImportFormatError
from cogenesis.core.vault import (
    Profile,
    Vault,
    VaultFiles,
    create_vault,
    export_vault,
    import_into,
    load_import_file,
    parse_document,
)
from devsupport.fakes import MemoryKeyStore

DATASET_USER = {
    "tid": "u-17",
    "conversations": [{"value": "Write a toast: for my sister"}, {"value": "Cheers!"}],
    "additional_profile": (
        "Age: 47\nName: Isabel Martinez\nOccupation: Luxury Real Estate Agent\n"
        "Location: Miami, Florida\nPersonal_traits: Outgoing; avid golfer\n"
        "Writing_style: Engaging; structured\nPrivacy_info: Hosts a monthly dinner party\n"
        "Smart_device_usage: Golf handicap tracker\nAi_assistant_usage: Drafts listings"
    ),
    "profile": [
        {"title": "Waterfront listing", "text": "Envision a sanctuary by the sea.", "id": "1"},
        {"title": "Open house", "text": "Join us Sunday.", "id": "2"},
    ],
    "additional_tasks": ["Plan a party"],
}


def test_dataset_user_becomes_a_vault(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    path.write_text(json.dumps(DATASET_USER))
    summary = import_into(vault, load_import_file(path))
    assert summary.profile and summary.samples == 2
    profile = vault.profile.get()
    assert profile.name == "Isabel Martinez"
    assert profile.age == "47"
    assert profile.traits == "Outgoing; avid golfer"
    assert profile.private_facts == "Hosts a monthly dinner party"
    assert profile.extra == {
        "Smart_device_usage": "Golf handicap tracker",
        "Ai_assistant_usage": "Drafts listings",
    }
    assert [s.title for s in vault.samples.all()] == ["Waterfront listing", "Open house"]
    assert vault.search("sanctuary")[0].kind == "sample"


def test_dataset_file_with_several_users_needs_a_choice(tmp_path: Path) -> None:
    other = dict(DATASET_USER, tid="u-18")
    with pytest.raises(ImportFormatError, match="holds 2 users"):
        parse_document([DATASET_USER, other])
    assert parse_document([DATASET_USER, other], user="u-18").profile is not None
    with pytest.raises(ImportFormatError, match="'u-99' is not in the file"):
        parse_document([DATASET_USER, other], user="u-99")


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        (
            {"format": "cogenesis-vault-export", "version": 1, "notes": [{"title": "x"}]},
            "notes[0].body",
        ),
        (
            {
                "format": "cogenesis-vault-export",
                "version": 1,
                "notes": [{"body": "x", "tags": "a"}],
            },
            "notes[0].tags",
        ),
        ({"format": "cogenesis-vault-export", "version": 1, "notes": "nope"}, "notes"),
        ({"format": "cogenesis-vault-export", "version": 2}, "version"),
        (
            {
                "format": "cogenesis-vault-export",
                "version": 1,
                "conversations": [{"messages": [{"role": "bot", "content": "x"}]}],
            },
            "conversations[0].messages[0].role",
        ),
        (
            {"format": "cogenesis-vault-export", "version": 1, "profile": {"name": 3}},
            "profile.name",
        ),
        (
            {
                "format": "cogenesis-vault-export",
                "version": 1,
                "sensitive_terms": [{"term": "x", "marked": "yes"}],
            },
            "sensitive_terms[0].marked",
        ),
        ({"additional_profile": "Name: A", "profile": [{"title": "t"}]}, "profile[0].text"),
        ({"hello": 1}, "format"),
    ],
)
def test_malformed_documents_name_the_field(doc: dict[str, Any], field: str) -> None:
    with pytest.raises(ImportFormatError) as info:
        parse_document(doc)
    assert info.value.field == field
    assert "nothing was imported" in info.value.hint


def test_a_late_error_imports_nothing(vault: Vault) -> None:
    doc = {
        "format": "cogenesis-vault-export",
        "version": 1,
        "notes": [{"title": "ok", "body": "fine"}] * 5 + [{"title": "bad", "body": 7}],
    }
    with pytest.raises(ImportFormatError, match=r"notes\[5\]\.body"):
        import_into(vault, parse_document(doc))
    assert vault.notes.count() == 0


def test_invalid_json_reports_the_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "cogenesis-vault-export",\n "version": 1,,}')
    with pytest.raises(ImportFormatError, match="line 2"):
        load_import_file(path)


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_body = _text.filter(lambda s: s.strip() != "")
_stamp = st.datetimes().map(lambda d: d.isoformat())
_clean = _text.map(str.strip)
_note = st.fixed_dictionaries(
    {
        "title": _clean,
        "body": _body,
        "tags": st.lists(_clean.filter(bool), unique=True, max_size=3),
        "created_at": _stamp,
        "updated_at": _stamp,
    }
)
_sample = st.fixed_dictionaries(
    {"title": _clean, "text": _body, "created_at": _stamp, "updated_at": _stamp}
)
_message = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["system", "user", "assistant"]),
        "content": _text,
        "created_at": _stamp,
    }
)
_conversation = st.fixed_dictionaries(
    {
        "title": _clean.filter(bool),
        "privacy_mode": st.sampled_from(["", "offline", "private"]),
        "created_at": _stamp,
        "updated_at": _stamp,
        "messages": st.lists(_message, max_size=3),
    }
)
_term = st.fixed_dictionaries(
    {
        "term": st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}( [A-Za-z0-9]{1,6})?", fullmatch=True),
        "kind": st.sampled_from(["person", "place", "custom"]),
        "marked": st.booleans(),
    }
)
_profile = st.one_of(
    st.none(),
    st.builds(
        Profile,
        name=_text,
        age=_text,
        location=_text,
        private_facts=_text,
        extra=st.dictionaries(_clean.filter(bool), _text, max_size=2),
    ),
)
_document = st.fixed_dictionaries(
    {
        "format": st.just("cogenesis-vault-export"),
        "version": st.just(1),
        "profile": _profile.map(lambda p: None if p is None or p.is_empty() else p.__dict__),
        "notes": st.lists(_note, max_size=4),
        "writing_samples": st.lists(_sample, max_size=3),
        "sensitive_terms": st.lists(_term, max_size=3, unique_by=lambda t: t["term"].casefold()),
        "conversations": st.lists(_conversation, max_size=2),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=_document)
def test_import_then_export_gives_the_same_records(tmp_path: Path, doc: dict[str, Any]) -> None:
    files = VaultFiles(Path(tempfile.mkdtemp(dir=tmp_path)) / "vault")
    with create_vault(files, MemoryKeyStore()) as vault:
        import_into(vault, parse_document(doc))
        exported = export_vault(vault).to_json()
    exported.pop("exported_at")
    assert exported == doc | {"profile": doc["profile"]}
