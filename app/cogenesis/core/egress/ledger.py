"""The egress ledger: every request that left (or was refused), with the exact bytes.

Rows live in the vault's ``egress`` table (encrypted with everything else).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cogenesis.core.egress.body import readable_body
from cogenesis.core.egress.context import EgressContext
from cogenesis.core.egress.guard import GuardVerdict, OutgoingRequest
from cogenesis.core.vault.database import Database
from cogenesis.core.vault.records import now_iso

_COLUMNS = (
    "id, started_at, finished_at, conversation_id, privacy_mode, purpose, host, method, path,"
    " request_headers, request_body, verdict, status, response_headers, response_body,"
    " response_size, outcome, duration_ms, request_reading"
)


@dataclass(frozen=True)
class EgressRecord:
    id: int
    started_at: str
    finished_at: str | None
    conversation_id: int | None
    privacy_mode: str
    purpose: str
    host: str
    method: str
    path: str
    request_headers: dict[str, str]
    request_body: bytes
    verdict: str
    status: int | None
    response_headers: dict[str, str]
    response_body: bytes | None
    response_size: int
    outcome: str  # sending, complete, cancelled, failed, refused
    duration_ms: float | None
    # A token-id prompt spelled out when it left; None when the body reads as it is.
    request_reading: str | None = None

    @property
    def text_sent(self) -> str:
        """The request as a person reads it (``readable_body``; token ids spelled out)."""
        return self.request_reading or readable_body(self.request_body)

    @property
    def refused(self) -> bool:
        return self.outcome == "refused"


@dataclass(frozen=True)
class EgressTotals:
    requests: int = 0
    refused: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0

    def __add__(self, other: EgressTotals) -> EgressTotals:
        return EgressTotals(
            self.requests + other.requests,
            self.refused + other.refused,
            self.bytes_sent + other.bytes_sent,
            self.bytes_received + other.bytes_received,
        )


class EgressLedger:
    """Append-only record of outgoing traffic, with queries for the GUI."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def refused(
        self, request: OutgoingRequest, context: EgressContext, verdict: GuardVerdict
    ) -> int:
        return self._insert(request, context, verdict.label, "refused", store_response=False)

    def start(
        self, request: OutgoingRequest, context: EgressContext, *, store_response: bool = True
    ) -> int:
        return self._insert(request, context, "allowed", "sending", store_response=store_response)

    def append(self, record_id: int, data: bytes) -> None:
        """Add response bytes as they arrive (only counted when the body is not stored)."""
        if not data:
            return
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE egress SET response_size = response_size + ?,"
                " response_body = CASE WHEN store_response = 1"
                "   THEN CAST(coalesce(response_body, x'') || ? AS BLOB) ELSE response_body END"
                " WHERE id = ?",
                (len(data), data, record_id),
            )

    def finish(
        self,
        record_id: int,
        *,
        status: int | None,
        headers: dict[str, str],
        outcome: str,
        duration_ms: float,
    ) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE egress SET finished_at = ?, status = ?, response_headers = ?, outcome = ?,"
                " duration_ms = ? WHERE id = ?",
                (now_iso(), status, json.dumps(headers), outcome, duration_ms, record_id),
            )

    def get(self, record_id: int) -> EgressRecord:
        rows = self._db.query(f"SELECT {_COLUMNS} FROM egress WHERE id = ?", (record_id,))
        return _record(rows[0])

    def records(self, conversation_id: int | None = None, limit: int = 500) -> list[EgressRecord]:
        """Newest first; only one conversation's when ``conversation_id`` is given."""
        where, params = (
            ("WHERE conversation_id = ?", (conversation_id,)) if conversation_id else ("", ())
        )
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM egress {where} ORDER BY id DESC LIMIT ?", (*params, limit)
        )
        return [_record(r) for r in rows]

    def totals(self, conversation_id: int | None = None) -> EgressTotals:
        where, params = (
            ("WHERE conversation_id = ?", (conversation_id,)) if conversation_id else ("", ())
        )
        row = self._db.query(
            "SELECT count(*), sum(outcome = 'refused'),"
            " coalesce(sum(CASE WHEN outcome != 'refused' THEN length(request_body) END), 0),"
            f" coalesce(sum(response_size), 0) FROM egress {where}",
            params,
        )[0]
        return EgressTotals(int(row[0]), int(row[1] or 0), int(row[2]), int(row[3]))

    def per_day(
        self, conversation_id: int | None = None, since: str = ""
    ) -> list[tuple[str, int, int]]:
        """(UTC day, requests, bytes sent), oldest first; one conversation's when given, and
        from the day ``since`` (``YYYY-MM-DD``, read through the time index) when given."""
        conditions: list[tuple[str, int | str]] = []
        if conversation_id:
            conditions.append(("conversation_id = ?", conversation_id))
        if since:
            conditions.append(("started_at >= ?", since))
        where = " AND ".join(condition for condition, _value in conditions)
        rows = self._db.query(
            "SELECT substr(started_at, 1, 10) AS day, count(*),"
            " coalesce(sum(CASE WHEN outcome != 'refused' THEN length(request_body) END), 0)"
            f" FROM egress {'WHERE ' + where if where else ''} GROUP BY day ORDER BY day",
            tuple(value for _condition, value in conditions),
        )
        return [(str(d), int(n), int(b)) for d, n, b in rows]

    def totals_by_conversation(self) -> dict[int | None, EgressTotals]:
        """Totals of each conversation (None: requests outside any), in one pass."""
        rows = self._db.query(
            "SELECT conversation_id, count(*), sum(outcome = 'refused'),"
            " coalesce(sum(CASE WHEN outcome != 'refused' THEN length(request_body) END), 0),"
            " coalesce(sum(response_size), 0) FROM egress GROUP BY conversation_id"
        )
        return {c: EgressTotals(int(n), int(r or 0), int(s), int(b)) for c, n, r, s, b in rows}

    def per_conversation(self) -> list[tuple[int | None, int, int]]:
        """(conversation id or None, requests, bytes sent), by conversation id."""
        rows = self._db.query(
            "SELECT conversation_id, count(*),"
            " coalesce(sum(CASE WHEN outcome != 'refused' THEN length(request_body) END), 0)"
            " FROM egress GROUP BY conversation_id ORDER BY conversation_id"
        )
        return [(c, int(n), int(b)) for c, n, b in rows]

    def _insert(
        self,
        request: OutgoingRequest,
        context: EgressContext,
        verdict: str,
        outcome: str,
        *,
        store_response: bool,
    ) -> int:
        host = request.host if request.port is None else f"{request.host}:{request.port}"
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO egress (started_at, conversation_id, privacy_mode, purpose, host,"
                " method, path, request_headers, request_body, verdict, outcome, store_response,"
                " request_reading) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now_iso(),
                    context.conversation_id,
                    context.privacy_mode,
                    context.purpose,
                    host,
                    request.method,
                    request.path,
                    json.dumps(request.headers),
                    request.body,
                    verdict,
                    outcome,
                    int(store_response),
                    _reading(request.body, context),
                ),
            )
            return int(cursor.lastrowid)


def _reading(body: bytes, context: EgressContext) -> str | None:
    """The body with its token ids spelled out, when it has any and there is a reader."""
    if context.token_text is None:
        return None
    plain, spelled = readable_body(body), readable_body(body, context.token_text)
    return spelled if spelled != plain else None


def _record(row: Any) -> EgressRecord:
    values = list(row)
    values[9] = json.loads(values[9] or "{}")
    values[10] = bytes(values[10])
    values[13] = json.loads(values[13] or "{}")
    values[14] = None if values[14] is None else bytes(values[14])
    return EgressRecord(*values)
