"""When the preview is shown, and what it highlights."""

from __future__ import annotations

import pytest

from cogenesis.core.errors import SettingsError
from cogenesis.core.privacy import marker_spans, needs_preview


@pytest.mark.parametrize(
    ("policy", "public", "original", "expected"),
    [
        ("always", "same", "same", True),
        ("always", "[PERSON] said", "Ann said", True),
        ("when-removed", "same", "same", False),
        ("when-removed", "[PERSON] said", "Ann said", True),
        ("never", "[PERSON] said", "Ann said", False),
    ],
)
def test_policies(policy: str, public: str, original: str, expected: bool) -> None:
    assert needs_preview(policy, public, original) is expected


def test_unknown_policy_says_what_to_use() -> None:
    with pytest.raises(SettingsError, match="always, when-removed, never"):
        needs_preview("sometimes", "a", "b")


def test_markers_find_placeholders_and_redactions_only() -> None:
    text = 'Ask [PERSON] in [PLACE] re [PRIVATE TEXT]; key [redacted]; ["list"] [x] [Not]'
    found = [(text[m.start : m.end], m.kind) for m in marker_spans(text)]
    assert found == [
        ("[PERSON]", "placeholder"),
        ("[PLACE]", "placeholder"),
        ("[PRIVATE TEXT]", "placeholder"),
        ("[redacted]", "redaction"),
    ]
