"""Plaintext JSON export and import, including the CoGenesis dataset's user format.

Import validates the whole document first and writes it in one transaction: a malformed
file raises ImportFormatError naming the field, and nothing is imported.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cogenesis.core.errors import CogenesisError, DatasetUserNeeded, ImportFormatError
from cogenesis.core.generation import Generation
from cogenesis.core.vault.records import (
    PROFILE_FIELDS,
    Conversation,
    Message,
    Profile,
    Role,
    now_iso,
)
from cogenesis.core.vault.term_index import deferred
from cogenesis.core.vault.term_refresh import refresh
from cogenesis.core.vault.vault import Vault

EXPORT_FORMAT = "cogenesis-vault-export"
EXPORT_VERSION = 1
_ROLES: tuple[Role, ...] = ("system", "user", "assistant")
# ``Key: value`` lines of the dataset's ``additional_profile`` -> profile fields.
_DATASET_KEYS = {
    "name": "name",
    "age": "age",
    "occupation": "occupation",
    "location": "location",
    "personal_traits": "traits",
    "writing_style": "writing_style",
    "privacy_info": "private_facts",
}


@dataclass
class ImportSummary:
    """How many records an import added."""

    profile: bool = False
    notes: int = 0
    samples: int = 0
    terms: int = 0
    conversations: int = 0
    messages: int = 0


@dataclass
class VaultDocument:
    """A validated import or export: plain dicts, checked field by field."""

    profile: Profile | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    conversations: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": now_iso(),
            "profile": asdict(self.profile) if self.profile else None,
            "notes": self.notes,
            "writing_samples": self.samples,
            "sensitive_terms": self.terms,
            "conversations": self.conversations,
        }


def message_json(m: Message) -> dict[str, Any]:
    """A message as the export files hold it (``meta`` only where there is some)."""
    raw: dict[str, Any] = {"role": m.role, "content": m.content, "created_at": m.created_at}
    if m.meta:
        raw["meta"] = dict(m.meta)
    return raw


def conversation_record(
    conversation: Conversation,
    messages: list[Message],
    generation: dict[str, object] | None = None,
) -> dict[str, Any]:
    """One conversation as the exports write it (answer settings only where set)."""
    record: dict[str, Any] = {
        "title": conversation.title,
        "privacy_mode": conversation.privacy_mode,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
    }
    if generation:
        record["generation"] = generation
    return record | {"messages": [message_json(m) for m in messages]}


def export_vault(vault: Vault) -> VaultDocument:
    """Every record of the vault (the egress ledger excepted) as a VaultDocument."""
    profile = vault.profile.get()
    conversations = [
        conversation_record(
            c, vault.conversations.messages(c.id), vault.conversations.generation(c.id)
        )
        for c in sorted(vault.conversations.all(), key=lambda c: c.id)
    ]
    return VaultDocument(
        profile=None if profile.is_empty() else profile,
        notes=[
            {
                "title": n.title,
                "body": n.body,
                "tags": n.tags,
                "created_at": n.created_at,
                "updated_at": n.updated_at,
            }
            for n in vault.notes.all()
        ],
        samples=[
            {
                "title": s.title,
                "text": s.text,
                "created_at": s.created_at,
                "updated_at": s.updated_at,
            }
            for s in vault.samples.all()
        ],
        terms=[{"term": t.term, "kind": t.kind, "marked": t.marked} for t in vault.terms.all()],
        conversations=conversations,
    )


def import_into(vault: Vault, doc: VaultDocument) -> ImportSummary:
    """Add a validated document to the vault, all of it or nothing."""
    summary = ImportSummary()
    with vault.db.transaction() as conn:
        with deferred():  # the term index of what is added is derived once, below
            _import_records(vault, doc, summary)
        refresh(vault.db, conn)
    summary.notes, summary.samples = len(doc.notes), len(doc.samples)
    summary.terms, summary.conversations = len(doc.terms), len(doc.conversations)
    return summary


def _import_records(vault: Vault, doc: VaultDocument, summary: ImportSummary) -> None:
    if doc.profile is not None:
        vault.profile.set(doc.profile)
        summary.profile = True
    for n in doc.notes:
        vault.notes.add(
            n["title"], n["body"], n["tags"], created_at=n["created_at"], updated_at=n["updated_at"]
        )
    for s in doc.samples:
        vault.samples.add(
            s["title"], s["text"], created_at=s["created_at"], updated_at=s["updated_at"]
        )
    for t in doc.terms:
        (vault.terms.mark if t["marked"] else vault.terms.unmark)(t["term"], t["kind"])
    for c in doc.conversations:
        _import_conversation(vault, c)
        summary.messages += len(c["messages"])


def load_import_file(path: Path, user: str | None = None) -> VaultDocument:
    """Read and validate an import file (native export, or CoGenesis dataset users)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError(str(path), f"cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            str(path), f"is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError:  # arrays or objects nested thousands deep: no export looks so
        raise ImportFormatError(
            str(path), "is nested too deeply to be a CoGenesis export or dataset file"
        ) from None
    return parse_document(raw, user)


def parse_document(raw: Any, user: str | None = None) -> VaultDocument:
    """Validate a decoded JSON document of any supported format."""
    if isinstance(raw, list):
        return _pick_dataset_user(raw, user)
    if not isinstance(raw, dict):
        raise ImportFormatError("the document", "must be a JSON object")
    if raw.get("format") == EXPORT_FORMAT:
        return _parse_native(raw)
    if "additional_profile" in raw or ("profile" in raw and isinstance(raw["profile"], list)):
        return parse_dataset_user(raw)
    raise ImportFormatError(
        "format", f"is missing: expected {EXPORT_FORMAT!r} or a CoGenesis dataset user"
    )


def parse_dataset_user(raw: dict[str, Any], where: str = "") -> VaultDocument:
    """One user of the CoGenesis dataset: ``additional_profile`` text + ``profile`` samples."""
    text = _str(raw, "additional_profile", where, default="")
    samples_raw = raw.get("profile", [])
    if not isinstance(samples_raw, list):
        raise ImportFormatError(f"{where}profile", "must be a list of {title, text}")
    samples = []
    for i, item in enumerate(samples_raw):
        at = f"{where}profile[{i}]."
        _require_dict(item, at[:-1])
        samples.append(
            {
                "title": _str(item, "title", at, default=""),
                "text": _text(item, "text", at),
                "created_at": None,
                "updated_at": None,
            }
        )
    return VaultDocument(
        profile=_profile_from_lines(text) if text.strip() else None, samples=samples
    )


def dataset_users(raw: list[Any]) -> list[tuple[str, str]]:
    """(id, "Name — Occupation") for each user of a dataset file, to choose one by; the id
    alone where the profile names no one."""
    users = []
    for i, item in enumerate(raw):
        user_id = str(item.get("tid", i)) if isinstance(item, dict) else str(i)
        text = item.get("additional_profile", "") if isinstance(item, dict) else ""
        profile = _profile_from_lines(text) if isinstance(text, str) else Profile()
        who = " — ".join(v for v in (profile.name, profile.occupation) if v)
        users.append((user_id, f"{who} ({user_id})" if who else user_id))
    return users


def _pick_dataset_user(raw: list[Any], user: str | None) -> VaultDocument:
    ids = [
        str(item.get("tid", i)) if isinstance(item, dict) else str(i) for i, item in enumerate(raw)
    ]
    if user is None and len(raw) == 1:
        user = ids[0]
    if user is None:
        raise DatasetUserNeeded(ids)
    if user not in ids:
        raise ImportFormatError("tid", f"{user!r} is not in the file")
    index = ids.index(user)
    _require_dict(raw[index], f"[{index}]")
    return parse_dataset_user(raw[index], f"[{index}].")


def _profile_from_lines(text: str) -> Profile:
    profile = Profile()
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            if line.strip():
                profile.extra["notes"] = (
                    profile.extra.get("notes", "") + "\n" + line.strip()
                ).strip()
            continue
        target = _DATASET_KEYS.get(key.strip().lower())
        if target:
            setattr(profile, target, value.strip())
        else:
            profile.extra[key.strip()] = value.strip()
    return profile


def _parse_native(raw: dict[str, Any]) -> VaultDocument:
    version = raw.get("version")
    if version != EXPORT_VERSION:
        raise ImportFormatError("version", f"is {version!r}; this CoGenesis reads {EXPORT_VERSION}")
    return VaultDocument(
        profile=_parse_profile(raw.get("profile")),
        notes=[_parse_note(n, f"notes[{i}].") for i, n in enumerate(_list(raw, "notes"))],
        samples=[
            _parse_sample(s, f"writing_samples[{i}].")
            for i, s in enumerate(_list(raw, "writing_samples"))
        ],
        terms=[
            _parse_term(t, f"sensitive_terms[{i}].")
            for i, t in enumerate(_list(raw, "sensitive_terms"))
        ],
        conversations=[
            _parse_conversation(c, f"conversations[{i}].")
            for i, c in enumerate(_list(raw, "conversations"))
        ],
    )


def _parse_profile(raw: Any) -> Profile | None:
    if raw is None:
        return None
    _require_dict(raw, "profile")
    values = {f: _str(raw, f, "profile.", default="") for f in PROFILE_FIELDS}
    extra = raw.get("extra", {})
    if not isinstance(extra, dict) or not all(isinstance(v, str) for v in extra.values()):
        raise ImportFormatError("profile.extra", "must be an object of text values")
    return Profile(**values, extra=dict(extra))


def _parse_note(raw: Any, at: str) -> dict[str, Any]:
    _require_dict(raw, at[:-1])
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ImportFormatError(f"{at}tags", "must be a list of text")
    return {
        "title": _str(raw, "title", at, default=""),
        "body": _text(raw, "body", at),
        "tags": tags,
        **_times(raw, at),
    }


def _parse_sample(raw: Any, at: str) -> dict[str, Any]:
    _require_dict(raw, at[:-1])
    return {
        "title": _str(raw, "title", at, default=""),
        "text": _text(raw, "text", at),
        **_times(raw, at),
    }


def _parse_term(raw: Any, at: str) -> dict[str, Any]:
    _require_dict(raw, at[:-1])
    marked = raw.get("marked", True)
    if not isinstance(marked, bool):
        raise ImportFormatError(f"{at}marked", "must be true or false")
    return {
        "term": _text(raw, "term", at),
        "kind": _str(raw, "kind", at, default="custom"),
        "marked": marked,
    }


def _parse_conversation(raw: Any, at: str) -> dict[str, Any]:
    _require_dict(raw, at[:-1])
    messages = []
    for i, m in enumerate(_list(raw, "messages", at)):
        where = f"{at}messages[{i}]."
        _require_dict(m, where[:-1])
        role = m.get("role")
        if role not in _ROLES:
            raise ImportFormatError(f"{where}role", f"must be one of {', '.join(_ROLES)}")
        messages.append(
            {
                "role": role,
                "content": _str(m, "content", where),
                "created_at": _str(m, "created_at", where, default="") or None,
                "meta": _meta(m, where),
            }
        )
    return {
        "title": _str(raw, "title", at, default=""),
        "privacy_mode": _str(raw, "privacy_mode", at, default=""),
        **_times(raw, at),
        "generation": _generation(raw, at),
        "messages": messages,
    }


def _import_conversation(vault: Vault, c: dict[str, Any]) -> Conversation:
    conv = vault.conversations.create(
        c["title"], c["privacy_mode"], created_at=c["created_at"], updated_at=c["updated_at"]
    )
    if c.get("generation"):
        vault.conversations.set_generation(conv.id, c["generation"])
    for m in c["messages"]:
        vault.conversations.add_message(
            conv.id,
            m["role"],
            m["content"],
            created_at=m["created_at"],
            touch=False,
            meta=m.get("meta"),
        )
    return conv


def _generation(raw: dict[str, Any], at: str) -> dict[str, object]:
    """The answer settings, checked as the dialog checks them ({}: none set)."""
    value = raw.get("generation", {})
    _require_dict(value, f"{at}generation")
    if not value:
        return {}
    fields: dict[str, tuple[type, ...]] = {
        "max_tokens": (int,),
        "temperature": (int, float),
        "persona": (str,),
    }
    for key, kind in fields.items():
        if key in value and (not isinstance(value[key], kind) or isinstance(value[key], bool)):
            raise ImportFormatError(f"{at}generation.{key}", "has the wrong type")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ImportFormatError(f"{at}generation", f"has unknown fields: {', '.join(unknown)}")
    try:
        return Generation(**value).to_dict()
    except CogenesisError as exc:
        problem = f"is not usable ({exc.message} {exc.hint})"
        raise ImportFormatError(f"{at}generation", problem) from exc


def _meta(raw: dict[str, Any], at: str) -> dict[str, str]:
    value = raw.get("meta", {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ImportFormatError(f"{at}meta", "must be an object of text values")
    return {str(k): v for k, v in value.items()}


def _times(raw: dict[str, Any], at: str) -> dict[str, str | None]:
    return {k: _str(raw, k, at, default="") or None for k in ("created_at", "updated_at")}


def _list(raw: dict[str, Any], key: str, at: str = "") -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise ImportFormatError(f"{at}{key}", "must be a list")
    return value


def _require_dict(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise ImportFormatError(where, "must be a JSON object")


_MISSING = object()


def _str(raw: dict[str, Any], key: str, at: str, default: Any = _MISSING) -> str:
    value = raw.get(key, default)
    if value is _MISSING:
        raise ImportFormatError(f"{at}{key}", "is missing")
    if value is None and default is not _MISSING:
        value = default
    if not isinstance(value, str):
        raise ImportFormatError(f"{at}{key}", f"must be text, not {type(value).__name__}")
    return value


def _text(raw: dict[str, Any], key: str, at: str) -> str:
    value = _str(raw, key, at)
    if not value.strip():
        raise ImportFormatError(f"{at}{key}", "is empty")
    return value
