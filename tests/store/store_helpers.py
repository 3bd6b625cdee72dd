"""Helpers of the store tests: hand-built extractions, seeded reports, PostgreSQL schemas, row counts.

``build_extraction`` makes an ``Extraction`` by hand from a text and the substrings each
record rests on, so store tests know exactly what they stored without the spaCy model.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator, Optional, Sequence

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from diplograph.model import Actor, Document, Event, Extraction, Mention, Quantity, Span, Statement, Timex

PG_ENV = "DIPLOGRAPH_TEST_PG"

# Two short reports of the same agreement that disagree on one figure (written for these tests).
REPORT_BEIJING = (
    "BEIJING, March 14, 2019 -- China and North Korea signed an agreement on economic cooperation on "
    "Tuesday, the Chinese commerce ministry said. Trade between China and North Korea reached $2.7 billion "
    "in 2018, according to Chinese customs data. South Korea welcomed the agreement, while Japan protested "
    "North Korea's missile launch in 2017."
)
REPORT_SEOUL = (
    "SEOUL, April 2, 2019 -- China and North Korea signed an agreement on economic cooperation in March, "
    "officials in Seoul said. Bilateral trade between China and North Korea was $2.5 billion in 2018, "
    "the Korea Trade-Investment Promotion Agency estimated. \"The sanctions remain in place,\" South "
    "Korea's foreign minister told reporters. The United States imposed sanctions on North Korean "
    "shipping companies in 2018."
)
SEEDED = {"beijing-agreement-2019": (REPORT_BEIJING, "2019-03-14"),
          "seoul-review-2019": (REPORT_SEOUL, "2019-04-02")}


def pg_base_url() -> Optional[str]:
    return os.environ.get(PG_ENV) or None




@contextmanager
def fresh_pg_schema(base: str) -> Iterator[str]:
    """A new schema on the server, as a URL whose search_path is it; dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


# --- hand-built extractions ------------------------------------------------------------------------

ACTORS = {
    "CHN": ("China", "state"), "PRK": ("North Korea", "state"), "KOR": ("South Korea", "state"),
    "JPN": ("Japan", "state"), "USA": ("United States", "state"), "IND": ("India", "state"),
    "PAK": ("Pakistan", "state"),
}


def span_of(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return Span(start, start + len(part))


def build_extraction(doc_id: str, text: str, date: Optional[str] = None, *,
                     events: Sequence[tuple] = (), quantities: Sequence[tuple] = (),
                     statements: Sequence[tuple] = (), timexes: Sequence[tuple] = (),
                     roles: Optional[dict] = None) -> Extraction:
    """An Extraction from substrings of ``text``.

    events: (type, source ids, target ids, date, evidence, trigger)
    quantities: (value, unit, measure, subject ids, date, evidence, number phrase)
    statements: (speaker ids, content, cue, direct)
    timexes: (text, EDTF value)
    Actors are every ``ACTORS`` entry whose name occurs in the text (each occurrence a mention).
    """
    roles = roles or {}
    actors = []
    for actor_id, (name, kind) in ACTORS.items():
        mentions, at = [], text.find(name)
        while at >= 0:
            mentions.append(Mention(at, at + len(name), name))
            at = text.find(name, at + len(name))
        if mentions:
            actors.append(Actor(actor_id, name, kind, aliases=[name.upper()], codes={"iso3": actor_id},
                                role=roles.get(actor_id), mentions=mentions))
    document = Document(id=doc_id, text=text, date=date, title=f"Report {doc_id}", source=f"{doc_id}.txt")
    return Extraction(
        document=document, actors=actors,
        events=[Event(f"ev-{n}", kind, list(source), list(target), when, span_of(text, evidence),
                      span_of(text, trigger, span_of(text, evidence).start))
                for n, (kind, source, target, when, evidence, trigger) in enumerate(events, start=1)],
        quantities=[Quantity(value, unit, span_of(text, evidence), span_of(text, phrase), date=when,
                             measure=measure, subject=list(subject), raw_unit=unit)
                    for value, unit, measure, subject, when, evidence, phrase in quantities],
        statements=[Statement(list(speaker), date, span_of(text, cue), span_of(text, content), span_of(text, cue),
                              direct=direct)
                    for speaker, content, cue, direct in statements],
        timexes=[Timex(part, *_bounds(span_of(text, part)), value) for part, value in timexes],
    )


def _bounds(span: Span) -> tuple[int, int]:
    return span.start, span.end


def table_counts(url: str) -> dict[str, int]:
    """Rows per table of the knowledge base at ``url`` (meta included)."""
    from diplograph.store.db import database_url
    from diplograph.store.schema import metadata

    engine = create_engine(database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for table in metadata.sorted_tables}
    finally:
        engine.dispose()


def document_counts(url: str) -> dict[str, dict[str, int]]:
    """Per stored document (by name): how many records of each kind it has."""
    from diplograph.store.db import database_url
    from diplograph.store.schema import documents, event_actors, events, mentions, quantities, statements, timexes

    engine = create_engine(database_url(url), poolclass=NullPool)
    counts: dict[str, dict[str, int]] = {}
    try:
        with engine.connect() as conn:
            names = dict(conn.execute(select(documents.c.id, documents.c.name)).all())
            for table in (events, quantities, statements, timexes, mentions):
                query = select(table.c.document_id, func.count()).group_by(table.c.document_id)
                for document_id, count in conn.execute(query):
                    counts.setdefault(names[document_id], {})[table.name] = count
            roles = (select(events.c.document_id, func.count())
                     .join(event_actors, event_actors.c.event_id == events.c.id).group_by(events.c.document_id))
            for document_id, count in conn.execute(roles):
                counts.setdefault(names[document_id], {})["event_actors"] = count
            for name in names.values():
                counts.setdefault(name, {})
    finally:
        engine.dispose()
    return counts
