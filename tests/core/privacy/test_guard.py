"""Property tests: in every mode but full context, nothing the vault knows leaves."""

from __future__ import annotations

import json
import string
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cogenesis.core.egress import EgressContext, OutgoingRequest
from cogenesis.core.privacy import IndexCache, PrivacyGuard, build_index, make_public
from cogenesis.core.vault import Profile, Vault, VaultFiles, create_vault
from devsupport.fakes import MemoryKeyStore

NOTE = (
    "On Tuesday I told Dr Okonkwo at Riverside Clinic that my daughter Priya starts school "
    "in Bristol next month, and that the insurance number is on file."
)


def request_with(text: str) -> OutgoingRequest:
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": text}]})
    return OutgoingRequest(
        "https",
        "api.example.com",
        None,
        "POST",
        "/v1/chat/completions",
        {"authorization": "[redacted]"},
        body.encode(),
    )


@pytest.fixture
def filled(vault: Vault) -> Vault:
    vault.profile.set(
        Profile(
            name="Isabel Martinez",
            location="Miami, Florida",
            private_facts="Volunteers at the Sunrise Animal Shelter",
        )
    )
    vault.notes.add("Family", NOTE)
    vault.terms.mark("Project Nightingale", "custom")
    return vault


def test_index_holds_profile_notes_and_marked_terms(filled: Vault) -> None:
    terms = {t for t, _ in build_index(filled).terms}
    for expected in (
        "Isabel Martinez",
        "Martinez",
        "Miami",
        "Florida",
        "Okonkwo",
        "Riverside Clinic",
        "Priya",
        "Bristol",
        "Project Nightingale",
        "Sunrise Animal Shelter",
    ):
        assert expected in terms, expected
    assert "Tuesday" not in terms


def test_unmarking_removes_an_automatic_term(filled: Vault) -> None:
    filled.terms.unmark("Bristol")
    cache = IndexCache(filled)
    assert not cache.get().matcher.find("moving to Bristol")
    filled.terms.mark("Bristol")
    assert cache.get().matcher.find("moving to Bristol")  # rebuilt after the change


def test_public_part_replaces_private_details(filled: Vault) -> None:
    public = make_public(
        "Write a note to Isabel Martinez about Priya's school in Bristol; "
        "reply to isabel@example.com",
        build_index(filled),
    )
    assert public.text == (
        "Write a note to [PERSON 1] about [NAME 1] school in [NAME 2]; reply to [EMAIL 1]"
    )
    assert [r.original for r in public.replacements][:2] == ["Isabel Martinez", "Priya's"]


def test_eight_word_runs_are_refused(filled: Vault) -> None:
    guard = PrivacyGuard(lambda: build_index(filled))
    verdict = guard(
        request_with("that my daughter starts school " + "in town next month"),
        EgressContext("private"),
    )
    assert verdict.allowed
    words = NOTE.split()[12:22]  # ten consecutive words of the note
    verdict = guard(request_with("Rewrite: " + " ".join(words)), EgressContext("private"))
    assert not verdict.allowed and "8+ words" in verdict.reason


def test_modes(filled: Vault) -> None:
    consented: set[int] = {7}
    guard = PrivacyGuard(lambda: build_index(filled), consent=lambda c: c in consented)
    private = request_with("Tell me about Miami")
    clean = request_with("Tell me about the weather")
    assert not guard(clean, EgressContext("offline")).allowed
    assert guard(clean, EgressContext("private")).allowed
    assert not guard(private, EgressContext("private")).allowed
    assert not guard(private, EgressContext("cloud-no-context")).allowed
    assert not guard(private, EgressContext("full-context", 3)).allowed
    assert guard(private, EgressContext("full-context", 7)).allowed


@pytest.mark.parametrize(
    "model", ["gpt-4o-2024-08-06", "qwen2.5-coder-1.5b-instruct", "claude-3-5-sonnet-20241022"]
)
def test_the_endpoints_model_name_is_not_read_as_private_text(model: str, vault: Vault) -> None:
    """Found running `cogenesis eval` and `remote test` against such names: the guard read
    the model name as an ID and refused every request, in every mode."""
    vault.profile.set(Profile(name="Claude Moreau"))
    guard = PrivacyGuard(lambda: build_index(vault))
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": "Say hi"}]})
    request = OutgoingRequest("https", "h", None, "POST", "/v1/chat/completions", {}, body.encode())
    assert guard(request, EgressContext("private")).allowed
    leaky = body.replace("Say hi", "Say hi to Claude Moreau, id 2024-08-06-7781")
    assert not guard(replace(request, body=leaky.encode()), EgressContext("private")).allowed


def test_json_escapes_do_not_hide_terms(filled: Vault) -> None:
    guard = PrivacyGuard(lambda: build_index(filled))
    body = b'{"messages": [{"content": "Isabel Mart\\u00ednez"}]}'
    sneaky = OutgoingRequest("https", "h", None, "POST", "/", {}, body)
    assert not guard(sneaky, EgressContext("private")).allowed


_NAME = st.text(string.ascii_letters, min_size=4, max_size=9).map(str.capitalize)


def _disguise(term: str, style: int) -> str:
    if style == 0:
        return term.upper()
    if style == 1:
        return "-".join(term)
    if style == 2:
        return f"https://www.{term.lower().replace(' ', '-')}.example/page"
    if style == 3:
        return term.replace(" ", "\n")
    if style == 4:
        return f"{term}'s"
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(term))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=_NAME,
    last=_NAME,
    city=_NAME,
    style=st.integers(0, 5),
    filler=st.text(string.ascii_lowercase + " ", max_size=30),
)
def test_no_vault_term_survives_the_public_part(
    tmp_path: Path, first: str, last: str, city: str, style: int, filler: str
) -> None:
    files = VaultFiles(Path(tempfile.mkdtemp(dir=tmp_path)) / "vault")
    with create_vault(files, MemoryKeyStore()) as vault:
        vault.profile.set(Profile(name=f"{first} {last}", location=city))
        index = build_index(vault)
        guard = PrivacyGuard(lambda: index)
        for term in (f"{first} {last}", last, city):
            instruction = f"{filler} write to {_disguise(term, style)} about {filler}"
            assert not guard(request_with(instruction), EgressContext("private")).allowed
            public = make_public(instruction, index)
            assert guard(request_with(public.text), EgressContext("private")).allowed, public.text


def test_json_keys_are_protocol_not_content(vault: Vault) -> None:
    vault.profile.set(Profile(name="Echo Stream"))
    guard = PrivacyGuard(lambda: build_index(vault))
    body = json.dumps({"model": "m", "prompt": "Hello", "echo": True, "stream": False}).encode()
    request = OutgoingRequest("https", "h", None, "POST", "/v1/completions", {}, body)
    assert guard(request, EgressContext("private")).allowed
    leaked = OutgoingRequest(
        "https",
        "h",
        None,
        "POST",
        "/v1/completions",
        {},
        json.dumps({"prompt": "Hi Echo"}).encode(),
    )
    assert not guard(leaked, EgressContext("private")).allowed
    form = OutgoingRequest("https", "h", None, "POST", "/upload", {}, b"name=Echo+Stream")
    assert not guard(form, EgressContext("private")).allowed  # not JSON: checked raw


def test_title_case_titles_do_not_make_ordinary_words_sensitive(vault: Vault) -> None:
    vault.samples.add(
        "Compose an Engaging Property Description for Okonkwo Estates",
        "Sunlight pours into the hall.",
    )
    vault.notes.add("Setup", "At home I run Linux on an old laptop.")
    terms = {t for t, _ in build_index(vault).terms}
    assert "Okonkwo" in terms
    assert not {"Compose", "Engaging", "Property", "Description"} & terms
    guard = PrivacyGuard(lambda: build_index(vault))
    body = json.dumps({"messages": [{"content": "Describe a property for sale."}]}).encode()
    request = OutgoingRequest(
        "https",
        "h",
        None,
        "POST",
        "/v1/chat/completions",
        {"x-stainless-os": "Linux", "user-agent": "OpenAI/Python"},
        body,
    )
    assert guard(request, EgressContext("private")).allowed


def test_public_part_of_a_query_the_vault_does_not_know(vault: Vault) -> None:
    index = build_index(vault)
    text = "Write a speech for my brother harrison; he works for copart in pune. 给koushik"
    public = make_public(text, index)
    assert public.text == (
        "Write a speech for my brother [PERSON 1]; he works for [ORG 1] in [PLACE 1]. "
        "[OTHER SCRIPT 1]"
    )
    kept = make_public(text, index, other_scripts=False)
    assert "给" in kept.text and "harrison" not in kept.text


def test_placeholders_are_not_vault_terms(vault: Vault) -> None:
    vault.profile.set(Profile(name="Person Place"))  # names that are placeholder words
    guard = PrivacyGuard(lambda: build_index(vault))
    public = make_public("write to Person Place today", build_index(vault))
    assert "Person" not in public.text.replace("[PERSON]", "").replace("[PLACE]", "")
    assert guard(request_with(public.text), EgressContext("private")).allowed, public.text
    assert not guard(request_with("write to person place"), EgressContext("private")).allowed


def test_a_term_that_is_also_an_endpoint_word_does_not_block_the_endpoint(vault: Vault) -> None:
    vault.profile.set(Profile(name="Ada Completions", location="Chat"))
    guard = PrivacyGuard(IndexCache(vault).get)
    context = EgressContext("private", None, "test")
    assert guard(request_with("Write a haiku about autumn."), context).allowed
    assert not guard(request_with("Write a haiku about Chat."), context).allowed
    query = replace(request_with("Hello."), path="/v1/models?owner=Chat")
    assert not guard(query, context).allowed  # data in a query string is checked


def test_token_id_prompts_are_read_before_they_leave(filled: Vault) -> None:
    words = ["Tell", " me", " about", " Miami", " the", " weather"]
    read = lambda ids: "".join(words[i] for i in ids)  # noqa: E731 - a toy vocabulary
    guard = PrivacyGuard(lambda: build_index(filled))

    def ids_request(ids: list[int]) -> OutgoingRequest:
        body = json.dumps({"model": "m", "prompt": ids, "max_tokens": 1}).encode()
        return OutgoingRequest("https", "h", None, "POST", "/v1/completions", {}, body)

    private, clean = ids_request([0, 1, 2, 3]), ids_request([0, 1, 2, 4, 5])
    assert guard(clean, EgressContext("private", token_text=read)).allowed
    refused = guard(private, EgressContext("private", token_text=read))
    assert not refused.allowed and "sensitive term" in refused.reason
    unread = guard(clean, EgressContext("private"))  # nothing to read the ids with
    assert not unread.allowed and "token ids" in unread.reason


def test_ids_a_grammar_holds_the_completion_to_are_read_too(filled: Vault) -> None:
    """Forced drafts (llama-server's ``<[id]>`` grammar references) are read like a token-id
    prompt, alone and after the prompt (a term split between the two), and the ids are not
    read as a number."""
    words = ["Tell", " me", " about", " Mi", "ami", " the", " weather"]
    read = lambda ids: "".join(words[i] for i in ids)  # noqa: E731 - a toy vocabulary
    guard = PrivacyGuard(lambda: build_index(filled))

    def held(prompt: list[int], ids: list[int]) -> OutgoingRequest:
        grammar = "root ::= " + " ".join(f"<[{i}]>" for i in ids) + " rest\nrest ::= [^\\x00]*"
        body = json.dumps({"model": "m", "prompt": prompt, "grammar": grammar}).encode()
        return OutgoingRequest("https", "h", None, "POST", "/v1/completions", {}, body)

    context = EgressContext("private", token_text=read)
    assert guard(held([0, 1, 2], [5, 6, 5, 6, 5, 6]), context).allowed
    assert not guard(held([0, 1, 2], [3, 4]), context).allowed  # " Miami" held
    assert not guard(held([0, 1, 2, 3], [4]), context).allowed  # " Mi" + "ami"
    assert not guard(held([0, 1], [5, 6]), EgressContext("private")).allowed  # no reader


def test_a_marked_term_gets_a_neutral_label_that_is_highlighted(filled: Vault) -> None:
    """Issue 21: the public part said "[custom 1]" for a term the user marked, which told the
    cloud that the user had marked it, and the preview did not highlight it."""
    from cogenesis.core.privacy.preview import marker_spans

    public = make_public("Status of Project Nightingale in Miami", build_index(filled))
    assert public.text == "Status of [PRIVATE 1] in [PLACE 1]"
    assert public.placeholders.restore(public.text) == "Status of Project Nightingale in Miami"
    kinds = [(public.text[m.start : m.end], m.kind) for m in marker_spans(public.text)]
    assert ("[PRIVATE 1]", "placeholder") in kinds


def test_message_roles_are_protocol_not_content(vault: Vault) -> None:
    vault.profile.set(Profile(name="Ann Lee", location="User"))
    guard = PrivacyGuard(lambda: build_index(vault))
    assert guard(request_with("Hello there"), EgressContext("private")).allowed
    assert not guard(request_with("I live in User"), EgressContext("private")).allowed
