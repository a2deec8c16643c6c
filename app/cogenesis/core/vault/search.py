"""Full-text search over notes, writing samples, the profile and messages (FTS5, BM25)."""

from __future__ import annotations

import re
from typing import Literal, cast

from cogenesis.core.vault.database import Database
from cogenesis.core.vault.records import SearchHit
from cogenesis.core.vault.schema import KIND_CODES

_KIND_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}
_WORD = re.compile(r"\w+", re.UNICODE)
Match = Literal["all", "any"]
Kind = Literal["note", "sample", "profile", "message"]
RANK_ALL_BELOW = 2_000  # records; in larger vaults a query of only common words lists the newest


def fts_query(text: str, match: Match = "all", *, prefix: bool = False) -> str:
    """Turn free text into a safe FTS5 query: each word quoted, joined by AND or OR.

    Quoting makes FTS5 syntax in user text (quotes, ``AND``, ``-``, ``*``) plain words.
    ``prefix`` lets the last word match as the start of a word (search as you type).
    """
    return f" {'AND' if match == 'all' else 'OR'} ".join(_terms(text, prefix))


def _terms(text: str, prefix: bool) -> list[str]:
    words = [f'"{w}"' for w in _WORD.findall(text)]
    if prefix and words:
        words[-1] += "*"
    return words


def search(
    db: Database,
    text: str,
    *,
    limit: int = 20,
    match: Match = "all",
    kind: Kind | None = None,
    prefix: bool = False,
    snippets: bool = True,
) -> list[SearchHit]:
    """Best matches first (BM25, titles weighted double); ``kind`` keeps one kind of record;
    ``snippets`` False leaves them empty (FTS5 builds one for every match before sorting).
    In a large vault, a query whose every word is in half the records or more lists the newest
    matches first instead (``_worth_ranking``)."""
    query = fts_query(text, match, prefix=prefix)
    if not query:
        return []
    kind_filter = "" if kind is None else f" AND rowid % 8 = {KIND_CODES[kind]}"
    order = "score" if _worth_ranking(db, _terms(text, prefix)) else "rowid DESC"
    snippet = "snippet(search_index, 1, '[', ']', ' … ', 12)" if snippets else "''"
    rows = db.query(
        f"SELECT rowid, title, {snippet}, bm25(search_index, 2.0, 1.0) AS score"
        f" FROM search_index WHERE search_index MATCH ?{kind_filter} ORDER BY {order} LIMIT ?",
        (query, limit),
    )
    return [
        SearchHit(
            kind=cast(Kind, _KIND_BY_CODE[rowid % 8]),
            record_id=rowid // 8,
            title=title or "",
            snippet=snippet or "",
            score=-float(score),
        )
        for rowid, title, snippet, score in rows
    ]


def _worth_ranking(db: Database, terms: list[str]) -> bool:
    """False in a vault of over ``RANK_ALL_BELOW`` records when every term is in half of them
    or more: FTS5's BM25 then floors each term's idf, so its order says little, and ranking
    every match costs about 1.5 µs each (a common word over 10,000 notes: 15 ms)."""
    counts = "".join(
        ", (SELECT count(*) FROM search_index WHERE search_index MATCH ?)" for _ in terms
    )
    row = db.query(f"SELECT (SELECT count(*) FROM search_index_docsize){counts}", tuple(terms))[0]
    return row[0] <= RANK_ALL_BELOW or any(2 * n < row[0] for n in row[1:])


def optimize_index(db: Database) -> None:
    """Merge the index's segments into one (after a bulk import: faster queries)."""
    with db.transaction() as conn:
        conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
