"""Open the knowledge base and store extractions in it, one document per transaction.

One ``Store`` works on SQLite (the default: a file, nothing to install) and on
PostgreSQL (a ``postgresql://`` URL) through the same SQLAlchemy Core statements.
A document goes in whole or not at all: its rows, its actors and the cross-document
merge run in one transaction, so a crash or ``kill -9`` leaves no half document and
rerunning the same ingest completes the rest. Documents are keyed twice: by content
hash (the same text again is skipped) and by name (a changed text replaces that
document's records, and only those).

Database problems become one-line ``StoreError``s whose class says what the caller
should do: ``DocumentNotStored`` (this document failed, go on), ``StoreFull`` and
``StoreUnavailable`` (stop: every later write would fail too).
"""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from diplograph.dates import bounds
from diplograph.errors import DiplographError
from diplograph.model import Extraction
from diplograph.store import merge, search
from diplograph.store.schema import (SCHEMA_VERSION, actors, documents, event_actors, event_clusters,
                                     events, mentions, meta, metadata, quantities, sentences, statements,
                                     timexes)

DEFAULT_PATH = "diplograph.db"
ENV_URL = "DIPLOGRAPH_DB"
# How long a write waits for another process's SQLite write lock before the document fails.
DEFAULT_BUSY_TIMEOUT = 30.0
# How long to wait for a PostgreSQL server to answer before saying it cannot be reached.
CONNECT_TIMEOUT = 10
_WRITE = "diplograph_write"  # execution option: this transaction will write (SQLite: BEGIN IMMEDIATE)
# PostgreSQL SQLSTATE classes after which no later write can succeed either.
_PG_UNAVAILABLE = ("08", "57P", "53300", "3D000", "28")


class StoreError(DiplographError):
    """A database problem, as one line fit to show a user."""


class StoreUnavailable(StoreError):
    """The database cannot be opened or reached: nothing more can be stored."""


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full: later writes would fail too."""


class DocumentNotStored(StoreError):
    """This document could not be stored (e.g. the database is locked); the others may be."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What ``Store.ingest`` did with a document: ``added``, ``skipped`` or ``replaced``.

    name is the stored document's name (for ``skipped``, the one already holding that text).
    """

    status: str
    document_id: int
    name: str = ""


def content_hash(text: str) -> str:
    """The key that says two texts are the same document: sha256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def database_url(url: Optional[str] = None) -> str:
    """The SQLAlchemy URL for what a user gave: ``None`` (``$DIPLOGRAPH_DB`` or
    ``./diplograph.db``), a plain path (a SQLite file) or a ``sqlite://``/``postgresql://`` URL."""
    url = url or os.environ.get(ENV_URL) or DEFAULT_PATH
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{url}"
    return url


class Store:
    """The knowledge base: every ingested document's records, in SQLite or PostgreSQL.

    url (str | None): a path, ``sqlite:///PATH`` or ``postgresql://USER@HOST:PORT/DB``;
        ``None`` -> ``$DIPLOGRAPH_DB`` or ``./diplograph.db``.
    busy_timeout (float): seconds a SQLite write waits for another process's lock.
    Raises StoreUnavailable when the database cannot be opened, reached or created.
    """

    def __init__(self, url: Optional[str] = None, busy_timeout: float = DEFAULT_BUSY_TIMEOUT):
        self.busy_timeout = busy_timeout
        try:
            self.url = make_url(database_url(url))
        except ArgumentError as err:
            raise StoreUnavailable(f"{url}: not a database URL or path ({err})") from None
        self.display = _display(self.url)
        self.engine = self._create_engine()
        try:
            self._prepare()
        except BaseException:
            self.engine.dispose()
            raise

    # --- opening --------------------------------------------------------------------------------

    def _create_engine(self) -> Engine:
        backend = self.url.get_backend_name()
        if backend == "sqlite":
            return self._sqlite_engine()
        if backend == "postgresql":
            return create_engine(self.url, connect_args={"connect_timeout": CONNECT_TIMEOUT})
        raise StoreUnavailable(f"{self.display}: unsupported database {backend!r} (use a path, sqlite:/// "
                               f"or postgresql://)")

    def _sqlite_engine(self) -> Engine:
        """SQLite with WAL (readers never block the writer), foreign keys, a busy timeout, and
        transactions that SQLAlchemy begins itself, so a write can take its lock up front."""
        database = self.url.database
        if database and database != ":memory:":
            folder = Path(database).expanduser().resolve().parent
            if not folder.is_dir():
                raise StoreUnavailable(f"{self.display}: cannot create the database: folder {folder} does not exist")
        engine = create_engine(self.url, connect_args={"timeout": self.busy_timeout})
        busy_ms = int(self.busy_timeout * 1000)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # no implicit BEGIN from the sqlite3 module
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")  # a no-op once the file is in WAL mode
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL: safe against a killed process
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # A writer asks for the lock when it begins: upgrading a reader later could fail at once
            # (SQLITE_BUSY_SNAPSHOT) instead of waiting the busy timeout.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

        return engine

    def _prepare(self) -> None:
        """Create the tables when missing and check the schema version of an existing database."""
        try:
            version = self._schema_version()
            if version is None:
                with self._write() as conn:
                    metadata.create_all(conn)
                    search.create_index(conn)
                    if conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first() is None:
                        conn.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
                version = str(SCHEMA_VERSION)
        except (SQLAlchemyError, OSError) as err:
            translated = self._translate(err)
            if isinstance(translated, DocumentNotStored):  # locked while creating: nothing can go on
                translated = StoreUnavailable(str(translated))
            raise translated from None
        if version != str(SCHEMA_VERSION):
            raise StoreUnavailable(f"{self.display}: the database has schema version {version}; this diplograph "
                                   f"reads version {SCHEMA_VERSION} (ingest into a new database)")

    def _schema_version(self) -> Optional[str]:
        """The stored schema version, or None for a database without diplograph's tables."""
        with self.engine.connect() as conn:
            if not self.engine.dialect.has_table(conn, "meta"):
                return None
            return conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed at the end or rolled back on error."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing --------------------------------------------------------------------------------

    def contains_text(self, text: str) -> bool:
        """Whether a document with exactly this text is stored (so extracting it again is wasted)."""
        try:
            with self.engine.connect() as conn:
                found = conn.execute(select(documents.c.id).where(documents.c.content_hash == content_hash(text)))
                return found.first() is not None
        except (SQLAlchemyError, OSError) as err:
            raise self._translate(err) from None

    def ingest(self, extraction: Extraction, name: Optional[str] = None) -> IngestResult:
        """Store one document's records in one transaction.

        extraction (Extraction): what ``diplograph.extract`` or ``run_batch`` gave.
        name (str | None): what users call the document; default ``extraction.document.id``.
        RETURNS (IngestResult): ``skipped`` when the same text is stored already, ``replaced``
            when a document of that name had another text, else ``added``.
        Raises DocumentNotStored (go on with the next), StoreFull or StoreUnavailable (stop).
        """
        document = extraction.document
        name = name or document.id
        digest = content_hash(document.text)
        try:
            with self._write() as conn:
                same = conn.execute(select(documents.c.id, documents.c.name)
                                    .where(documents.c.content_hash == digest)).first()
                if same is not None:
                    return IngestResult("skipped", same.id, same.name)
                old_id = conn.execute(select(documents.c.id).where(documents.c.name == name)).scalar()
                row = _document_row(extraction, name, digest)
                if old_id is None:
                    document_id = conn.execute(insert(documents).values(**row)).inserted_primary_key[0]
                    old_actor_ids: set[str] = set()
                else:
                    old_actor_ids = _actor_ids_of(conn, old_id)
                    _remove_records(conn, old_id)
                    conn.execute(update(documents).where(documents.c.id == old_id).values(**row))
                    document_id = old_id
                self._upsert_actors(conn, extraction)
                _insert_records(conn, document_id, extraction)
                merge.cluster_events(conn, document_id)  # same event, same figure in other documents
                merge.cluster_claims(conn, document_id)
                _prune_actors(conn, old_actor_ids)
                return IngestResult("added" if old_id is None else "replaced", document_id, name)
        except (SQLAlchemyError, OSError) as err:
            raise self._translate(err) from None

    def forget(self, name: str) -> bool:
        """Remove a document and everything only it said; RETURNS False when no such document."""
        try:
            with self._write() as conn:
                document_id = _find_document(conn, name)
                if document_id is None:
                    return False
                actor_ids = _actor_ids_of(conn, document_id)
                _remove_records(conn, document_id)
                conn.execute(delete(documents).where(documents.c.id == document_id))
                _prune_actors(conn, actor_ids)
                return True
        except (SQLAlchemyError, OSError) as err:
            raise self._translate(err) from None

    def _upsert_actors(self, conn: Connection, extraction: Extraction) -> None:
        """Insert the actors not stored yet; fill a stored actor's empty role or affiliation.

        Actors are shared by all documents, so a concurrent ingest may insert the same one:
        the insert ignores a conflict instead of failing the document.
        """
        rows = _actor_rows(extraction)
        if not rows:
            return
        stored = {row.id: row for row in conn.execute(
            select(actors.c.id, actors.c.role, actors.c.affiliation).where(actors.c.id.in_(list(rows))))}
        missing = [row for actor_id, row in rows.items() if actor_id not in stored]
        if missing:
            conn.execute(self._insert_ignoring_conflicts(actors), missing)
        for actor_id, old in stored.items():
            fill = {column: rows[actor_id][column] for column in ("role", "affiliation")
                    if not getattr(old, column) and rows[actor_id][column]}
            if fill:
                conn.execute(update(actors).where(actors.c.id == actor_id).values(**fill))

    def _insert_ignoring_conflicts(self, table):
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        elif dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            return insert(table)
        return dialect_insert(table).on_conflict_do_nothing(index_elements=[table.c.id])

    # --- reading --------------------------------------------------------------------------------

    def documents(self) -> list[dict]:
        """One dict per stored document: id, name, title, date, words, record counts, when ingested."""
        counts = {table.name: (select(func.count()).select_from(table)
                               .where(table.c.document_id == documents.c.id).scalar_subquery())
                  for table in (events, quantities, statements)}
        actor_count = (select(func.count(mentions.c.actor_id.distinct()))
                       .where(mentions.c.document_id == documents.c.id).scalar_subquery())
        query = (select(documents.c.id, documents.c.name, documents.c.title, documents.c.date,
                        documents.c.source, documents.c.words, actor_count.label("actors"),
                        *(count.label(table) for table, count in counts.items()), documents.c.ingested_at)
                 .order_by(documents.c.id))
        try:
            with self.engine.connect() as conn:
                return [dict(row._mapping) for row in conn.execute(query)]
        except (SQLAlchemyError, OSError) as err:
            raise self._translate(err) from None

    def document_records(self, name: str) -> Optional[dict]:
        """A stored document's records, shaped like ``Extraction.records()`` grouped by kind
        (``document``, ``actors``, ``events``, ``quantities``, ``statements``, ``timexes``);
        None when no document has that name (or id)."""
        try:
            with self.engine.connect() as conn:
                document_id = _find_document(conn, name)
                if document_id is None:
                    return None
                return _read_records(conn, document_id)
        except (SQLAlchemyError, OSError) as err:
            raise self._translate(err) from None

    # --- errors ---------------------------------------------------------------------------------

    def _translate(self, err: BaseException) -> StoreError:
        """The one-line error a user should see, of the class that says whether to go on."""
        cause = getattr(err, "orig", None) or err
        message = _first_line(cause)
        lowered = message.lower()
        sqlstate = getattr(cause, "sqlstate", None) or ""
        if "database is locked" in lowered or "database table is locked" in lowered:
            return DocumentNotStored(f"database is locked: another process is writing to {self.display} "
                                     f"(waited {self.busy_timeout:g} s; rerun later, or raise --busy-timeout)")
        if ("database or disk is full" in lowered or "no space left" in lowered or sqlstate == "53100"
                or (isinstance(cause, OSError) and cause.errno == errno.ENOSPC)):
            return StoreFull(f"{self.display}: the disk is full (database or disk is full); documents stored so "
                             f"far are kept: free some space and rerun the same command to go on")
        if "file is not a database" in lowered:
            return StoreUnavailable(f"{self.display}: file is not a database (not a SQLite file, or encrypted); "
                                    f"give another --db")
        if "unable to open database file" in lowered or "readonly database" in lowered:
            return StoreUnavailable(f"{self.display}: cannot open the database for writing ({message})")
        if "disk i/o error" in lowered:
            return StoreUnavailable(f"{self.display}: disk I/O error; check the disk, then rerun to go on")
        if self.url.get_backend_name() == "postgresql" and _is_connection_error(cause, sqlstate):
            return StoreUnavailable(f"cannot connect to the database {self.display}: {message}")
        return DocumentNotStored(f"{self.display}: {type(cause).__name__}: {message}")


# --- rows of one document ---------------------------------------------------------------------------

def _document_row(extraction: Extraction, name: str, digest: str) -> dict:
    document = extraction.document
    return {"name": name, "content_hash": digest, "source": document.source, "title": document.title,
            "date": document.date, "date_source": document.date_source, "text": document.text,
            "words": len(document.text.split()),
            "ingested_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def _actor_rows(extraction: Extraction) -> dict[str, dict]:
    """An ``actors`` row per actor the document names or its records refer to.

    A record may name an actor id the actor list lacks; it still gets a row (flagged
    unknown) so every reference resolves.
    """
    rows = {a.id: {"id": a.id, "name": a.name, "type": a.type, "aliases": json.dumps(a.aliases, ensure_ascii=False),
                   "codes": json.dumps(a.codes, ensure_ascii=False, sort_keys=True), "role": a.role,
                   "affiliation": a.affiliation, "known": a.known}
            for a in extraction.actors}
    referenced = [actor_id for e in extraction.events for actor_id in (*e.source, *e.target)]
    for actor_id in referenced:
        rows.setdefault(actor_id, {"id": actor_id, "name": actor_id, "type": "group", "aliases": "[]",
                                   "codes": "{}", "role": None, "affiliation": None, "known": False})
    return rows


def _insert_records(conn: Connection, document_id: int, extraction: Extraction) -> None:
    """Every record of the extraction, keyed by ``document_id``."""
    text = extraction.document.text
    mention_rows = [{"document_id": document_id, "actor_id": a.id, "start": m.start, "end": m.end}
                    for a in extraction.actors for m in a.mentions]
    _insert(conn, mentions, mention_rows)
    _insert_events(conn, document_id, extraction)
    _insert(conn, quantities, [_quantity_row(document_id, q, text) for q in extraction.quantities])
    _insert(conn, statements, [_statement_row(document_id, s, text) for s in extraction.statements])
    _insert(conn, timexes, [{"document_id": document_id, "text": t.text, "start": t.start, "end": t.end,
                             "value": t.value, "type": t.kind, "duration": t.duration, "anchor": t.anchor}
                            for t in extraction.timexes])
    _insert_sentences(conn, document_id, extraction)


def _insert_sentences(conn: Connection, document_id: int, extraction: Extraction) -> None:
    """The document's sentences, and their entries in the full-text index."""
    text = extraction.document.text
    rows = [{"document_id": document_id, "start": s.start, "end": s.end, "text": text[s.start:s.end]}
            for s in extraction.sentences]
    if not rows:
        return
    ids = conn.execute(insert(sentences).returning(sentences.c.id, sort_by_parameter_order=True),
                       rows).scalars().all()
    search.index_sentences(conn, [(sentence_id, row["text"]) for sentence_id, row in zip(ids, rows)])


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    if rows:
        conn.execute(insert(table), rows)


def _insert_events(conn: Connection, document_id: int, extraction: Extraction) -> None:
    if not extraction.events:
        return
    text = extraction.document.text
    rows = []
    for e in extraction.events:
        lo, hi = bounds(e.date)
        rows.append({"document_id": document_id, "local_id": e.id, "cluster_id": None, "type": e.type,
                     "mode": e.mode, "quad": e.quad, "score": e.score, "date": e.date, "date_lo": lo,
                     "date_hi": hi, "evidence_start": e.evidence.start, "evidence_end": e.evidence.end,
                     "text": text[e.evidence.start:e.evidence.end], "trigger_start": e.trigger.start,
                     "trigger_end": e.trigger.end, "negated": e.negated, "hedged": e.hedged,
                     "hypothetical": e.hypothetical})
    ids = conn.execute(insert(events).returning(events.c.id, sort_by_parameter_order=True), rows).scalars().all()
    role_rows = [{"event_id": event_id, "actor_id": actor_id, "role": role}
                 for event_id, e in zip(ids, extraction.events)
                 for role, actor_ids in (("source", e.source), ("target", e.target))
                 for actor_id in dict.fromkeys(actor_ids)]
    _insert(conn, event_actors, role_rows)


def _quantity_row(document_id: int, q, text: str) -> dict:
    lo, hi = bounds(q.date)
    return {"document_id": document_id, "claim_id": None, "value": q.value, "unit": q.unit, "bound": q.bound,
            "date": q.date, "date_lo": lo, "date_hi": hi, "measure": q.measure,
            "subject": json.dumps(q.subject), "subject_key": ",".join(sorted(q.subject)),
            "cited_source": json.dumps(q.cited_source), "raw_unit": q.raw_unit,
            "evidence_start": q.evidence.start, "evidence_end": q.evidence.end,
            "mention_start": q.mention.start, "mention_end": q.mention.end,
            "text": text[q.evidence.start:q.evidence.end]}


def _statement_row(document_id: int, s, text: str) -> dict:
    lo, hi = bounds(s.date)
    return {"document_id": document_id, "speaker": json.dumps(s.speaker), "speaker_key": ",".join(sorted(s.speaker)),
            "role": s.role, "date": s.date, "date_lo": lo, "date_hi": hi, "direct": s.direct,
            "evidence_start": s.evidence.start, "evidence_end": s.evidence.end,
            "content_start": s.content.start, "content_end": s.content.end,
            "cue_start": s.cue.start, "cue_end": s.cue.end, "text": text[s.content.start:s.content.end]}


def _remove_records(conn: Connection, document_id: int) -> None:
    """Delete a document's own records, after the merge has let go of them (clusters, claims)."""
    merge.release(conn, document_id)
    event_ids = select(events.c.id).where(events.c.document_id == document_id)
    conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(event_ids)))
    search.unindex_document(conn, document_id)
    for table in (events, quantities, statements, timexes, mentions, sentences):
        conn.execute(delete(table).where(table.c.document_id == document_id))


def _actor_ids_of(conn: Connection, document_id: int) -> set[str]:
    """The actors a document mentions or its events involve."""
    mentioned = select(mentions.c.actor_id).where(mentions.c.document_id == document_id)
    involved = (select(event_actors.c.actor_id).join(events, events.c.id == event_actors.c.event_id)
                .where(events.c.document_id == document_id))
    return set(conn.execute(mentioned.union(involved)).scalars())


def _prune_actors(conn: Connection, actor_ids: set[str]) -> None:
    """Delete those of ``actor_ids`` no stored document mentions or involves any more."""
    if not actor_ids:
        return
    still_used = (select(mentions.c.actor_id).where(mentions.c.actor_id.in_(actor_ids))
                  .union(select(event_actors.c.actor_id).where(event_actors.c.actor_id.in_(actor_ids))))
    unused = actor_ids - set(conn.execute(still_used).scalars())
    if unused:
        conn.execute(delete(actors).where(actors.c.id.in_(unused)))


def _find_document(conn: Connection, name: str) -> Optional[int]:
    """The id of the document called ``name``; a number that is no name is taken as an id."""
    found = conn.execute(select(documents.c.id).where(documents.c.name == name)).scalar()
    if found is None and str(name).isdigit():
        found = conn.execute(select(documents.c.id).where(documents.c.id == int(name))).scalar()
    return found


# --- reading one document back ----------------------------------------------------------------------

def _read_records(conn: Connection, document_id: int) -> dict:
    doc = conn.execute(select(documents).where(documents.c.id == document_id)).one()
    text = doc.text
    return {"document": {"id": doc.name, "db_id": doc.id, "date": doc.date, "title": doc.title,
                         "source": doc.source, "date_source": doc.date_source, "words": doc.words,
                         "content_hash": doc.content_hash, "ingested_at": doc.ingested_at},
            "actors": _read_actors(conn, document_id, text),
            "events": _read_events(conn, document_id),
            "quantities": [_quantity_record(row, text) for row in conn.execute(
                select(quantities).where(quantities.c.document_id == document_id).order_by(quantities.c.id))],
            "statements": [_statement_record(row) for row in conn.execute(
                select(statements).where(statements.c.document_id == document_id).order_by(statements.c.id))],
            "timexes": [{"kind": "timex", "text": row.text, "start": row.start, "end": row.end, "value": row.value,
                         "type": row.type, "duration": row.duration, "anchor": row.anchor}
                        for row in conn.execute(select(timexes).where(timexes.c.document_id == document_id)
                                                .order_by(timexes.c.start, timexes.c.end))]}


def _read_actors(conn: Connection, document_id: int, text: str) -> list[dict]:
    spans: dict[str, list[dict]] = {}
    for row in conn.execute(select(mentions).where(mentions.c.document_id == document_id)
                            .order_by(mentions.c.start, mentions.c.end)):
        spans.setdefault(row.actor_id, []).append({"start": row.start, "end": row.end,
                                                   "text": text[row.start:row.end]})
    ids = _actor_ids_of(conn, document_id)
    records = []
    for row in conn.execute(select(actors).where(actors.c.id.in_(ids)).order_by(actors.c.id)):
        records.append({"kind": "actor", "id": row.id, "name": row.name, "type": row.type,
                        "aliases": json.loads(row.aliases), "codes": json.loads(row.codes), "role": row.role,
                        "affiliation": row.affiliation, "known": row.known, "mentions": spans.get(row.id, [])})
    return records


def _read_events(conn: Connection, document_id: int) -> list[dict]:
    roles: dict[int, dict[str, list[str]]] = {}
    query = (select(event_actors).join(events, events.c.id == event_actors.c.event_id)
             .where(events.c.document_id == document_id))
    for row in conn.execute(query):
        roles.setdefault(row.event_id, {"source": [], "target": []})[row.role].append(row.actor_id)
    n_sources = dict(conn.execute(select(event_clusters.c.id, event_clusters.c.n_sources)
                                  .join(events, events.c.cluster_id == event_clusters.c.id)
                                  .where(events.c.document_id == document_id)).all())
    records = []
    for row in conn.execute(select(events).where(events.c.document_id == document_id).order_by(events.c.id)):
        actor_roles = roles.get(row.id, {"source": [], "target": []})
        records.append({"kind": "event", "id": row.local_id, "type": row.type, "mode": row.mode, "quad": row.quad,
                        "score": row.score, "source": actor_roles["source"], "target": actor_roles["target"],
                        "date": row.date, "evidence": {"start": row.evidence_start, "end": row.evidence_end},
                        "trigger": _span(row.trigger_start, row.trigger_end), "negated": row.negated,
                        "hedged": row.hedged, "hypothetical": row.hypothetical, "text": row.text,
                        "cluster_id": row.cluster_id, "cluster_sources": n_sources.get(row.cluster_id)})
    return records


def _quantity_record(row, text: str) -> dict:
    return {"kind": "quantity", "value": row.value, "unit": row.unit, "bound": row.bound, "date": row.date,
            "measure": row.measure, "subject": json.loads(row.subject), "cited_source": json.loads(row.cited_source),
            "raw_unit": row.raw_unit, "evidence": {"start": row.evidence_start, "end": row.evidence_end},
            "mention": {"start": row.mention_start, "end": row.mention_end},
            "text": text[row.mention_start:row.mention_end], "claim_id": row.claim_id}


def _statement_record(row) -> dict:
    return {"kind": "statement", "speaker": json.loads(row.speaker), "role": row.role, "date": row.date,
            "direct": row.direct, "evidence": {"start": row.evidence_start, "end": row.evidence_end},
            "content": {"start": row.content_start, "end": row.content_end},
            "cue": _span(row.cue_start, row.cue_end), "text": row.text}


def _span(start: Optional[int], end: Optional[int]) -> Optional[dict]:
    return None if start is None else {"start": start, "end": end}


# --- helpers ------------------------------------------------------------------------------------------

def _display(url) -> str:
    """The database as users should see it: a SQLite path, or the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0].strip()[:300] if lines else type(err).__name__


def _is_connection_error(cause: BaseException, sqlstate: str) -> bool:
    """Whether a PostgreSQL error means the server is gone or refuses us (so nothing can be stored)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    if sqlstate:
        return sqlstate.startswith(_PG_UNAVAILABLE)
    return isinstance(cause, (psycopg.OperationalError, psycopg.InterfaceError))
