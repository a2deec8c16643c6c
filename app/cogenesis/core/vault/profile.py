"""The user's profile: one record per vault."""

from __future__ import annotations

import json

from cogenesis.core.vault.database import Database
from cogenesis.core.vault.records import PROFILE_FIELDS, Profile, now_iso
from cogenesis.core.vault.term_index import index_profile

_COLUMNS = ", ".join(PROFILE_FIELDS)


class ProfileStore:
    """Read and replace the single profile record."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self) -> Profile:
        rows = self._db.query(f"SELECT {_COLUMNS}, extra FROM profile WHERE id = 1")
        if not rows:
            return Profile()
        row = rows[0]
        values = dict(zip(PROFILE_FIELDS, row[: len(PROFILE_FIELDS)], strict=True))
        return Profile(**values, extra=json.loads(row[-1]))

    def set(self, profile: Profile) -> Profile:
        """Replace the profile with ``profile``."""
        values = [str(getattr(profile, f)) for f in PROFILE_FIELDS]
        extra = json.dumps({str(k): str(v) for k, v in profile.extra.items()}, ensure_ascii=False)
        placeholders = ", ".join("?" for _ in PROFILE_FIELDS)
        updates = ", ".join(f"{f} = excluded.{f}" for f in PROFILE_FIELDS)
        with self._db.transaction() as conn:
            conn.execute(
                f"INSERT INTO profile (id, {_COLUMNS}, extra, updated_at)"
                f" VALUES (1, {placeholders}, ?, ?)"
                f" ON CONFLICT(id) DO UPDATE SET {updates}, extra = excluded.extra,"
                " updated_at = excluded.updated_at",
                (*values, extra, now_iso()),
            )
            stored = self.get()
            index_profile(conn, stored)  # its part of the sensitive-term index, in step
        return stored
