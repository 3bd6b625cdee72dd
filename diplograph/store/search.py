"""Full-text search over stored sentences: SQLite FTS5 or PostgreSQL text search.

Question answering falls back on retrieval when no structured record answers a
question; this is its first stage. Both backends rank sentences for an OR of the
query's words (stemmed), so a sentence that shares more and rarer words ranks first.
The index is kept beside ``sentences`` (an FTS5 table reading its text, or a GIN
index on its tsvector) and follows it: rows are indexed when a document is stored and
unindexed before they are deleted.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection

FTS_TABLE = "sentence_search"
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def create_index(conn: Connection) -> None:
    """Create the full-text index when missing (idempotent)."""
    if _dialect(conn) == "sqlite":
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "text, content='sentences', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')")
    else:
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_sentences_fts ON sentences "
                             "USING gin (to_tsvector('english', text))")


def index_sentences(conn: Connection, rows: Sequence[tuple[int, str]]) -> None:
    """Add ``(sentence id, text)`` rows to the index (PostgreSQL's GIN index follows by itself)."""
    if rows and _dialect(conn) == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (?, ?)", list(rows))


def unindex_document(conn: Connection, document_id: int) -> None:
    """Take a document's sentences out of the index, before the rows themselves are deleted."""
    if _dialect(conn) == "sqlite":
        conn.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) "
            "SELECT 'delete', id, text FROM sentences WHERE document_id = ?", (document_id,))


def query_terms(words: Iterable[str]) -> list[str]:
    """The distinct search words of a query, lower-cased, without punctuation."""
    seen: dict[str, None] = {}
    for word in words:
        for token in _WORD.findall(str(word).lower()):
            seen.setdefault(token.replace("’", "'").split("'")[0], None)
    return [t for t in seen if t]


def search(conn: Connection, words: Iterable[str], limit: int = 50) -> list[tuple[int, float]]:
    """Sentence ids matching any of ``words``, best first, with a score (higher is better)."""
    terms = query_terms(words)
    if not terms:
        return []
    if _dialect(conn) == "sqlite":
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = conn.execute(text(f"SELECT rowid, bm25({FTS_TABLE}) AS rank FROM {FTS_TABLE} "
                                 f"WHERE {FTS_TABLE} MATCH :match ORDER BY rank LIMIT :limit"),
                            {"match": match, "limit": limit})
        return [(row[0], -float(row[1])) for row in rows]
    query = " | ".join(terms)
    rows = conn.execute(text("SELECT id, ts_rank_cd(to_tsvector('english', text), q, 1) AS rank "
                             "FROM sentences, to_tsquery('english', :query) AS q "
                             "WHERE to_tsvector('english', text) @@ q ORDER BY rank DESC LIMIT :limit"),
                        {"query": query, "limit": limit})
    return [(row[0], float(row[1])) for row in rows]


def _dialect(conn: Connection) -> str:
    return conn.engine.dialect.name


