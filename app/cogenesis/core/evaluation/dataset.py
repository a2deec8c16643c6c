"""Datasets in the CoGenesis format: one sample per user and instruction.

A file is a JSON list of samples (or JSON Lines, one sample per line). A sample has
``conversations`` (the instruction, then the reference answer), ``additional_profile``
(``Key: value`` lines, values ``;``-separated), ``profile`` (the writing history, a list of
``{title, text}``) and optionally ``tid`` (its id) and ``additional_tasks``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cogenesis.core.errors import CogenesisError

PROFILE_KEYS = (
    "Age",
    "Name",
    "Occupation",
    "Location",
    "Personal_traits",
    "Writing_style",
    "Privacy_info",
    "Smart_device_usage",
    "Ai_assistant_usage",
)
_FORMAT_HINT = "See the dataset format in docs/evaluation.md (the CoGenesis dev.json layout)."


class DatasetError(CogenesisError):
    """A dataset file that cannot be evaluated, with where and what to fix."""


@dataclass(frozen=True)
class Sample:
    """One evaluation sample: ``raw`` is the sample as written (imported into its own vault)."""

    id: str
    instruction: str
    reference: str
    raw: dict[str, Any]

    @property
    def profile_lines(self) -> str:
        return str(self.raw.get("additional_profile", ""))

    def profile_value(self, key: str) -> str:
        """The value of one ``Key: value`` line of the profile ('' when absent)."""
        for line in self.profile_lines.splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
        return ""


def problems(raw: object, where: str) -> list[str]:
    """What keeps ``raw`` from being an evaluation sample (empty when nothing does)."""
    if not isinstance(raw, dict):
        return [f"{where}: must be an object with conversations, additional_profile, profile"]
    found = []
    turns = raw.get("conversations")
    if not isinstance(turns, list) or len(turns) < 2:
        found.append(f"{where}.conversations: needs the instruction and the reference answer")
    else:
        for i, turn in enumerate(turns[:2]):
            value = turn.get("value") if isinstance(turn, dict) else None
            if not isinstance(value, str) or not value.strip():
                found.append(f"{where}.conversations[{i}].value: must be non-empty text")
    profile = raw.get("additional_profile")
    if not isinstance(profile, str) or ":" not in profile:
        found.append(f"{where}.additional_profile: must be 'Key: value' lines")
    history = raw.get("profile", [])
    if not isinstance(history, list) or not all(
        isinstance(item, dict) and isinstance(item.get("text"), str) for item in history
    ):
        found.append(f"{where}.profile: must be a list of {{title, text}} objects")
    return found


def parse_samples(items: list[Any], source: str = "the dataset") -> list[Sample]:
    """Samples from decoded items; every problem named at once, or none is returned."""
    found = [p for i, item in enumerate(items) for p in problems(item, f"sample {i}")]
    if found:
        shown = "; ".join(found[:5]) + (f"; and {len(found) - 5} more" if len(found) > 5 else "")
        raise DatasetError(f"{source} has {len(found)} problem(s): {shown}.", _FORMAT_HINT)
    samples = [_sample(item, i) for i, item in enumerate(items)]
    seen: set[str] = set()
    for sample in samples:
        if sample.id in seen:
            raise DatasetError(
                f"{source}: two samples have the id {sample.id!r}.",
                "Give every sample its own 'tid' (results are kept by id).",
            )
        seen.add(sample.id)
    return samples


def load_samples(path: Path) -> list[Sample]:
    """The samples of a JSON or JSON Lines file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"Cannot read {path}: {exc}.", "Give a readable UTF-8 file.") from exc
    items = _decode(text, path)
    if not items:
        raise DatasetError(f"{path} holds no samples.", _FORMAT_HINT)
    return parse_samples(items, str(path))


def _decode(text: str, path: Path) -> list[Any]:
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            decoded = json.loads(text)
            return decoded if isinstance(decoded, list) else [decoded]
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise DatasetError(
            f"{path} is not JSON or JSON Lines: {exc.msg} at line {exc.lineno}.", _FORMAT_HINT
        ) from exc


def _sample(raw: dict[str, Any], index: int) -> Sample:
    turns = raw["conversations"]
    return Sample(
        id=str(raw.get("tid", index)),
        instruction=str(turns[0]["value"]).strip(),
        reference=str(turns[1]["value"]).strip(),
        raw=raw,
    )
