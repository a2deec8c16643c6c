"""The privacy guard the egress choke point asks about every request (defence in depth:
whatever a strategy builds, nothing private leaves in any mode but consented full context)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from cogenesis.core.egress import EgressContext, GuardVerdict, OutgoingRequest
from cogenesis.core.egress.body import is_token_ids, referenced_ids, without_references
from cogenesis.core.egress.context import TokenText
from cogenesis.core.privacy.index import SensitiveIndex
from cogenesis.core.privacy.normalize import fold_format
from cogenesis.core.privacy.pii import detect
from cogenesis.core.privacy.placeholders import LABEL, mask_labels

Consent = Callable[[int | None], bool]
# Set by the HTTP stack from the destination and the body, or by the openai SDK about itself
# (x-stainless-*: OS, runtime, versions): not user data. Other headers are checked for vault
# terms, never for generic PII (the Host header is an IP address by design).
_TRANSPORT_HEADERS = {
    "host",
    "content-length",
    "content-type",
    "accept",
    "accept-encoding",
    "connection",
    "user-agent",
}


class PrivacyGuard:
    """Checks the body (raw and JSON-decoded) and header values against the vault's index."""

    def __init__(
        self,
        index: Callable[[], SensitiveIndex],
        consent: Consent = lambda _c: False,
        app_texts: Sequence[str] = (),
    ) -> None:
        """``app_texts``: the app's own fixed prompt texts (a system message, the sketch
        request's wording), not the user's: a vault term that happens to be one of their
        words ("Assistant") must not stop every request."""
        self._index = index
        self._consent = consent
        self._app_texts = sorted((t for t in app_texts if t.strip()), key=len, reverse=True)

    def __call__(self, request: OutgoingRequest, context: EgressContext) -> GuardVerdict:
        mode = context.privacy_mode
        if mode == "offline":
            return GuardVerdict(False, "offline mode: nothing may leave the device")
        if mode == "full-context":
            if self._consent(context.conversation_id):
                return GuardVerdict(True, "full context with consent")
            return GuardVerdict(False, "full context needs consent for this conversation")
        try:
            texts = list(_texts(request, context.token_text))
        except _UnreadableTokens:
            return GuardVerdict(False, "it holds token ids and nothing here can read them")
        index = self._index()  # once per request: it checks the vault for changes
        findings = self.findings(self._without_app_texts("\n".join(texts)), index)
        headers = "\n".join(
            v
            for k, v in request.headers.items()
            if k.lower() not in _TRANSPORT_HEADERS
            and not k.lower().startswith("x-stainless")
            and v != "[redacted]"
        )
        header_hits = index.matcher.find(headers)
        if header_hits:
            findings.append(f"{len(header_hits)} × sensitive term in a header")
        if findings:
            return GuardVerdict(False, f"it contains {', '.join(findings)}")
        return GuardVerdict(True)

    def findings(self, text: str, index: SensitiveIndex | None = None) -> list[str]:
        """What in ``text`` may not leave, described without repeating it (read with format
        characters removed: a zero-width space hides nothing)."""
        index = index or self._index()
        text = fold_format(text).text
        kinds: dict[str, int] = {}
        placeholders = [m.span() for m in LABEL.finditer(text)]
        for hit in index.matcher.find(text):
            if any(start <= hit.start and hit.end <= end for start, end in placeholders):
                continue  # "[PLACE]" is the public part's own word, even for a town "Place"
            kinds[f"sensitive term ({hit.kind})"] = kinds.get(f"sensitive term ({hit.kind})", 0) + 1
        for detection in detect(mask_labels(text)):
            kinds[detection.kind] = kinds.get(detection.kind, 0) + 1
        runs = len(index.runs.find(mask_labels(text)))
        if runs:
            kinds["text copied from the vault (8+ words)"] = runs
        return [f"{n} × {kind}" for kind, n in kinds.items()]

    def _without_app_texts(self, text: str) -> str:
        for fixed in self._app_texts:  # a line break in its place: no words join across it
            text = text.replace(fixed, "\n")
        return text


class _UnreadableTokens(Exception):
    """A token-id prompt with no reader for it in the egress context."""


def _texts(request: OutgoingRequest, token_text: TokenText | None = None) -> Iterator[str]:
    """The query string, and the body's JSON string values decoded (so \\u escapes hide
    nothing); the raw body when it is not JSON. JSON keys are the protocol's, not the user's;
    so are the path (the endpoint: a user who lives in "Chat" must still reach /chat/...)
    and the top-level model name (the endpoint's model, set by the user).
    A list of integers (a token-id prompt) is read as text with ``token_text``."""
    yield urlsplit(request.path).query
    raw = request.body.decode("utf-8", errors="replace")
    try:
        document = json.loads(raw) if raw.strip() else None
    except ValueError:
        yield raw
        return
    if isinstance(document, dict) and isinstance(document.get("model"), str):
        # the endpoint's model name is configuration, like the path: read as text, names
        # such as "gpt-4o-2024-08-06" or "qwen2.5-coder-1.5b" looked like ids and every
        # request to them was refused
        document = {k: v for k, v in document.items() if k != "model"}
    yield from _strings(document, token_text)
    yield from _held_after_prompt(document, token_text)


_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


def _is_protocol_role(key: str, value: Any) -> bool:
    """A message's role is the API's word, not the user's: a user who lives in "User" must
    still be able to send a message whose role is "user"."""
    return key == "role" and isinstance(value, str) and value in _ROLES


def _held_after_prompt(document: Any, token_text: TokenText | None) -> Iterator[str]:
    """A token-id prompt and the ids its grammar holds the completion to, read as one text
    (a term split between the two is whole only there)."""
    if not isinstance(document, dict) or not isinstance(document.get("grammar"), str):
        return
    prompt, held = document.get("prompt"), referenced_ids(document["grammar"])
    if held and token_text is not None and isinstance(prompt, list) and is_token_ids(prompt):
        yield token_text([*prompt, *held])


def _strings(value: Any, token_text: TokenText | None) -> Iterator[str]:
    if isinstance(value, str):
        held = referenced_ids(value)  # a grammar holding the completion to token ids
        if not held:
            yield value
            return
        if token_text is None:
            raise _UnreadableTokens
        yield without_references(value)
        yield token_text(held)
    elif isinstance(value, dict):
        for key, item in value.items():  # values only: keys are the API's field names
            if not _is_protocol_role(key, item):
                yield from _strings(item, token_text)
    elif isinstance(value, list):
        if is_token_ids(value):
            if token_text is None:
                raise _UnreadableTokens
            yield token_text(value)
            return
        for item in value:
            yield from _strings(item, token_text)
