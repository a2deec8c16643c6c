"""One JSON line per sample and strategy, written as each finishes, so a cut run resumes."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from cogenesis.core.errors import CogenesisError


@dataclass
class Result:
    """What one strategy did on one sample, with what left the device to do it."""

    sample_id: str
    strategy: str
    text: str = ""
    finish_reason: str = ""
    error: str = ""  # why it has no answer, or ''
    refused: int = 0  # requests the privacy guard stopped (a result, not a crash)
    notices: list[str] = field(default_factory=list)
    rouge_l: float = 0.0
    coverage: float = 0.0
    sensitive_terms: int = 0
    leaked: list[str] = field(default_factory=list)  # terms found in what was sent
    requests: int = 0  # requests that left
    bytes_sent: int = 0
    remote_calls: int = 0
    billed_tokens: int | None = None  # prompt + completion tokens the endpoint reported
    remote_tokens: int = 0
    generated_tokens: int = 0
    first_token_ms: float | None = None
    total_ms: float = 0.0
    judge: dict[str, Any] = field(default_factory=dict)  # criterion: {score, prompt, reply}

    @property
    def key(self) -> tuple[str, str]:
        return (self.sample_id, self.strategy)

    @property
    def leakage(self) -> float:
        return len(self.leaked) / self.sensitive_terms if self.sensitive_terms else 0.0

    def per_token(self, value: float | None) -> float | None:
        if value is None or not self.generated_tokens:
            return None
        return value / self.generated_tokens

    def score(self, criterion: str) -> float | None:
        entry = self.judge.get(criterion)
        value = entry.get("score") if isinstance(entry, dict) else None
        return float(value) if isinstance(value, int | float) else None


_KNOWN = {f.name for f in fields(Result)}


def result_from(data: dict[str, Any]) -> Result:
    return Result(**{k: v for k, v in data.items() if k in _KNOWN})


class ResultStore:
    """``results.jsonl`` of one run: appended line by line (flushed and synced), read back on
    resume; a line cut by a kill is dropped, so its sample runs again."""

    def __init__(self, path: Path, *, resume: bool) -> None:
        self.path = path
        self._lock = threading.Lock()
        exists = path.exists() and path.stat().st_size > 0
        if exists and not resume:
            raise CogenesisError(
                f"{path} already holds results.",
                "Add --resume to continue that run, or choose another --out folder.",
            )
        self.done: dict[tuple[str, str], Result] = self._read() if exists else {}

    def _read(self) -> dict[tuple[str, str], Result]:
        raw = self.path.read_bytes()
        complete = raw[: raw.rfind(b"\n") + 1]
        if len(complete) < len(raw):  # the last line was being written when the run was cut
            with self.path.open("r+b") as handle:
                handle.truncate(len(complete))
        found = {}
        for number, line in enumerate(complete.decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                result = result_from(json.loads(line))
            except (json.JSONDecodeError, TypeError) as exc:
                raise CogenesisError(
                    f"{self.path}, line {number}, is not a result: {exc}.",
                    "Remove that line (its sample then runs again) or start a new --out.",
                ) from exc
            found[result.key] = result
        return found

    def add(self, result: Result) -> None:
        line = json.dumps(asdict(result), ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
            self.done[result.key] = result
