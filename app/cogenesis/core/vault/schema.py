"""The vault's schema, as numbered migrations (``MIGRATIONS``, in order; ``migrations.py``
applies them). Never edit a released migration: add one.

The full-text index ``search_index`` is kept in step with the records by triggers. Its
rowid encodes the record: ``id * 8 + kind`` (1 note, 2 writing sample, 3 profile,
4 message), so a record's index row is found without scanning.
"""

from __future__ import annotations

from collections.abc import Callable

from cogenesis.core.vault.database import Connection

Migration = Callable[[Connection], None]

KIND_CODES = {"note": 1, "sample": 2, "profile": 3, "message": 4}

_TABLES = """
CREATE TABLE profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL DEFAULT '',
    age TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    traits TEXT NOT NULL DEFAULT '',
    writing_style TEXT NOT NULL DEFAULT '',
    private_facts TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE writing_samples (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    privacy_mode TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
CREATE TABLE egress (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
    privacy_mode TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    request_headers TEXT NOT NULL DEFAULT '{}',
    request_body BLOB NOT NULL,
    verdict TEXT NOT NULL,
    status INTEGER,
    response_headers TEXT NOT NULL DEFAULT '{}',
    response_body BLOB,
    outcome TEXT NOT NULL DEFAULT 'pending',
    duration_ms REAL
);
CREATE INDEX egress_by_time ON egress(started_at);
CREATE INDEX egress_by_conversation ON egress(conversation_id);
CREATE TABLE sensitive_terms (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL,
    normalized TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'custom',
    marked INTEGER NOT NULL DEFAULT 1 CHECK (marked IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""

_PROFILE_TEXT = (
    "new.name || ' ' || new.age || ' ' || new.occupation || ' ' || new.location || ' ' || "
    "new.traits || ' ' || new.writing_style || ' ' || new.private_facts || ' ' || "
    "coalesce((SELECT group_concat(key || ' ' || value, ' ') FROM json_each(new.extra)), '')"
)
_NOTE_TEXT = (
    "new.body || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(new.tags)), '')"
)

_TRIGGERS = f"""
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO search_index(rowid, title, body)
    VALUES (new.id * 8 + 1, new.title, {_NOTE_TEXT});
END;
CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 1;
    INSERT INTO search_index(rowid, title, body)
    VALUES (new.id * 8 + 1, new.title, {_NOTE_TEXT});
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 1;
END;
CREATE TRIGGER samples_ai AFTER INSERT ON writing_samples BEGIN
    INSERT INTO search_index(rowid, title, body) VALUES (new.id * 8 + 2, new.title, new.text);
END;
CREATE TRIGGER samples_au AFTER UPDATE ON writing_samples BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
    INSERT INTO search_index(rowid, title, body) VALUES (new.id * 8 + 2, new.title, new.text);
END;
CREATE TRIGGER samples_ad AFTER DELETE ON writing_samples BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
END;
CREATE TRIGGER profile_ai AFTER INSERT ON profile BEGIN
    INSERT INTO search_index(rowid, title, body) VALUES (11, 'Profile', {_PROFILE_TEXT});
END;
CREATE TRIGGER profile_au AFTER UPDATE ON profile BEGIN
    DELETE FROM search_index WHERE rowid = 11;
    INSERT INTO search_index(rowid, title, body) VALUES (11, 'Profile', {_PROFILE_TEXT});
END;
CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO search_index(rowid, title, body)
    VALUES (new.id * 8 + 4,
            (SELECT title FROM conversations WHERE id = new.conversation_id), new.content);
END;
CREATE TRIGGER messages_au AFTER UPDATE OF content ON messages BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
    INSERT INTO search_index(rowid, title, body)
    VALUES (new.id * 8 + 4,
            (SELECT title FROM conversations WHERE id = new.conversation_id), new.content);
END;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
END;
"""


def m001_initial(conn: Connection) -> None:
    """Profile, notes, writing samples, conversations, egress ledger, terms, FTS5 index."""
    for statement in _split(_TABLES):
        conn.execute(statement)
    for statement in _split_triggers(_TRIGGERS):
        conn.execute(statement)


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _split_triggers(script: str) -> list[str]:
    return [s.strip() + "\nEND" for s in script.split("END;") if s.strip()]


def m002_egress_sizes(conn: Connection) -> None:
    """Byte counts beside the bodies: a model download records its size, not its content."""
    conn.execute("ALTER TABLE egress ADD COLUMN response_size INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE egress ADD COLUMN store_response INTEGER NOT NULL DEFAULT 1")


def m003_egress_reading(conn: Connection) -> None:
    """How a token-id prompt read as text when it left (the local model's detokenizer then),
    beside the exact bytes; NULL when the body is its own reading."""
    conn.execute("ALTER TABLE egress ADD COLUMN request_reading TEXT")


_TERM_INDEX = """
CREATE TABLE term_index_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO term_index_meta VALUES ('version', 0), ('generation', 0);
CREATE TABLE term_index_records (
    source INTEGER PRIMARY KEY,
    runs BLOB NOT NULL,
    anchors BLOB NOT NULL
);
CREATE TABLE term_index_terms (
    source INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    skeleton TEXT NOT NULL,
    term TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX term_index_terms_by_source ON term_index_terms(source);
CREATE INDEX term_index_terms_by_skeleton ON term_index_terms(skeleton, rank);
CREATE TABLE term_index_first (
    skeleton TEXT PRIMARY KEY,
    rank INTEGER NOT NULL,
    term TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE TABLE term_index_anchors (
    anchor INTEGER NOT NULL,
    source INTEGER NOT NULL,
    PRIMARY KEY (anchor, source)
) WITHOUT ROWID;
CREATE TABLE term_index_stale (source INTEGER PRIMARY KEY)
"""
_TERM_SOURCES = {"notes": "new.id * 8 + 1", "writing_samples": "new.id * 8 + 2", "profile": "11"}
_BUMP = "UPDATE term_index_meta SET value = value + 1 WHERE key = 'generation';"


def _term_index_triggers() -> list[str]:
    triggers = []
    for table, source in _TERM_SOURCES.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            row = source.replace("new.", "old.") if event == "DELETE" else source
            triggers.append(
                f"CREATE TRIGGER {table}_term_index_{event.lower()} AFTER {event} ON {table}"
                f" BEGIN INSERT OR IGNORE INTO term_index_stale VALUES ({row}); {_BUMP} END"
            )
    for event in ("INSERT", "UPDATE", "DELETE"):
        triggers.append(
            f"CREATE TRIGGER sensitive_terms_term_index_{event.lower()}"
            f" AFTER {event} ON sensitive_terms BEGIN {_BUMP} END"
        )
    return triggers


def m004_term_index(conn: Connection) -> None:
    """The sensitive-term index, kept beside the records it is derived from.

    Per record (``source``: ``id * 8 + kind`` as in ``search_index``): its terms, and its run
    hashes and their anchors (packed int64 arrays); ``term_index_first`` holds each term's
    first occurrence (what the matcher loads); ``term_index_anchors`` leads from a run's
    anchor to the records whose runs to compare (``privacy.runs``). Triggers mark a written
    record stale and count ``generation`` up (a cache of the index compares it); the vault's
    stores derive the record again in the same transaction and clear the mark. Version 0
    means nothing is derived yet: the first write or load derives every record.
    """
    for statement in _split(_TERM_INDEX):
        conn.execute(statement)
    for statement in _term_index_triggers():
        conn.execute(statement)


def m005_conversation_generation(conn: Connection) -> None:
    """Each conversation's answer settings (length, temperature, persona) as JSON."""
    conn.execute("ALTER TABLE conversations ADD COLUMN generation TEXT NOT NULL DEFAULT '{}'")


# Listed, not registered by import: whoever applies them imports this module and reads it.
MIGRATIONS: tuple[Migration, ...] = (
    m001_initial,
    m002_egress_sizes,
    m003_egress_reading,
    m004_term_index,
    m005_conversation_generation,
)
