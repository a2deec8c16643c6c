"""The public part passes the guard by construction: whatever the vault and the text,
``guard(make_public(x))`` finds nothing, and the app's own prompt text is never refused."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cogenesis.core.collab.prompts import APP_TEXTS, CLOUD_SYSTEM, SKETCH_PROMPT
from cogenesis.core.egress import EgressContext, OutgoingRequest
from cogenesis.core.privacy import PrivacyGuard, SensitiveIndex, TermMatcher, make_public
from cogenesis.core.privacy.runs import RunIndex

WORDS = ["Ada", "Brook", "Leeds", "assistant", "Request", "ada", "the", "and", "meet", "Rue"]
PIECES = st.sampled_from(
    [
        *WORDS,
        "a.b@example.com",
        "+44 113 496 0000",
        "4111 1111 1111 1111",
        "12",
        "[PERSON 1]",
        "[",
        "]",
        "\u200b",
        "\u00a0",
        "\u00ad",
        ",",
        ".",
        "-",
        "\n",
        "Ünal",
        "Nguyễn",
        "東京",
    ]
)
TEXTS = st.lists(PIECES, max_size=24).map(lambda parts: " ".join(parts))
TERMS = st.lists(
    st.tuples(st.sampled_from([*WORDS, "Ada Brook", "Rue du Lac", "Brook 12"]), st.just("NAME")),
    max_size=6,
)


def index_of(terms: list[tuple[str, str]], vault_texts: list[str]) -> SensitiveIndex:
    matcher = TermMatcher(terms, min_length=1)
    return SensitiveIndex(tuple(terms), matcher, RunIndex(vault_texts, n=4))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(terms=TERMS, vault_texts=st.lists(TEXTS, max_size=3), text=TEXTS)
def test_the_public_part_never_trips_the_guard(
    terms: list[tuple[str, str]], vault_texts: list[str], text: str
) -> None:
    index = index_of(terms, vault_texts)
    guard = PrivacyGuard(lambda: index)
    public = make_public(text, index)
    assert guard.findings(public.text, index) == []


def test_the_apps_own_prompt_is_not_refused_for_a_vault_term_among_its_words() -> None:
    index = index_of([("Assistant", "NAME"), ("Request", "NAME")], [])
    guard = PrivacyGuard(lambda: index, app_texts=APP_TEXTS)
    public = make_public("Plan a party", index).text
    for messages in (
        [{"role": "system", "content": CLOUD_SYSTEM}, {"role": "user", "content": public}],
        [{"role": "user", "content": SKETCH_PROMPT.format(instruction=public)}],
    ):
        verdict = guard(_request(messages), EgressContext("private"))
        assert verdict.allowed, verdict.reason
    # the same word written by the user is still the vault's
    user = [{"role": "user", "content": "Ask the Assistant"}]
    assert not guard(_request(user), EgressContext("private")).allowed


def _request(messages: list[dict[str, str]]) -> OutgoingRequest:
    import json

    body = json.dumps({"model": "m", "messages": messages}).encode()
    return OutgoingRequest("https", "api.example.com", None, "POST", "/v1/chat", {}, body)
