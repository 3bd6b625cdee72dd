"""What question answering reads from the knowledge base: sentences with the records inside them.

A candidate sentence comes with every stored record whose span lies in it (time
expressions with their EDTF values, actor mentions with the actor's name and type,
figures, events, statements), so answers are read from the same normalised records
the rest of diplograph shows, and cited by the sentence's own offsets.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from sqlalchemy import and_, bindparam, func, or_, select, text
from sqlalchemy.engine import Connection

from diplograph.store import search
from diplograph.store.schema import (actors, documents, event_actors, events, mentions, quantities, sentences,
                                     statements, timexes)


@dataclass
class Sentence:
    """One stored sentence and the records inside it (offsets are the document's)."""

    id: int
    document_id: int
    document: str
    start: int
    end: int
    text: str
    document_date: Optional[str] = None
    source: Optional[str] = None
    retrieval: float = 0.0
    #: the sentence before it in the same passage, which often names what it leaves implicit
    #: ("there", "the war", "both sides"): question words found only here count for less
    context: str = ""
    context_actors: set = field(default_factory=set)  # the actors that sentence mentions
    timexes: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    quantities: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)

    def piece(self, start: int, end: int) -> str:
        return self.text[start - self.start:end - self.start]


CONTEXT_GAP = 1  # at most one space or line break between a sentence and the one before: a blank line ends a passage


def _inside(table, start_col, end_col):
    return and_(table.c.document_id == sentences.c.document_id, start_col >= sentences.c.start,
                end_col <= sentences.c.end)


def fetch(conn: Connection, ids: Sequence[int]) -> list[Sentence]:
    """The sentences with these ids, in the given order, each with its records."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    rows = conn.execute(select(sentences.c.id, sentences.c.document_id, sentences.c.start, sentences.c.end,
                               sentences.c.text, documents.c.name, documents.c.date, documents.c.source)
                        .join(documents, documents.c.id == sentences.c.document_id)
                        .where(sentences.c.id.in_(ids)))
    by_id = {r.id: Sentence(id=r.id, document_id=r.document_id, document=r.name, start=r.start, end=r.end,
                            text=r.text, document_date=r.date, source=r.source) for r in rows}
    _add_context(conn, by_id)
    where = sentences.c.id.in_(list(by_id))
    for r in conn.execute(select(sentences.c.id, timexes.c.text, timexes.c.start, timexes.c.end, timexes.c.value,
                                 timexes.c.type, timexes.c.duration)
                          .join(timexes, _inside(timexes, timexes.c.start, timexes.c.end)).where(where)):
        by_id[r.id].timexes.append({"text": r.text, "start": r.start, "end": r.end, "value": r.value,
                                    "type": r.type, "duration": r.duration})
    for r in conn.execute(select(sentences.c.id, mentions.c.actor_id, mentions.c.start, mentions.c.end,
                                 actors.c.name, actors.c.type, actors.c.known)
                          .join(mentions, _inside(mentions, mentions.c.start, mentions.c.end))
                          .join(actors, actors.c.id == mentions.c.actor_id).where(where)):
        by_id[r.id].mentions.append({"actor": r.actor_id, "start": r.start, "end": r.end, "name": r.name,
                                     "type": r.type, "known": bool(r.known)})
    for r in conn.execute(select(sentences.c.id, quantities.c.value, quantities.c.unit, quantities.c.bound,
                                 quantities.c.date, quantities.c.measure, quantities.c.subject,
                                 quantities.c.mention_start, quantities.c.mention_end, quantities.c.raw_unit)
                          .join(quantities, _inside(quantities, quantities.c.mention_start, quantities.c.mention_end))
                          .where(where)):
        by_id[r.id].quantities.append({"value": r.value, "unit": r.unit, "bound": r.bound, "date": r.date,
                                       "measure": r.measure, "subject": json.loads(r.subject or "[]"),
                                       "start": r.mention_start, "end": r.mention_end, "raw_unit": r.raw_unit})
    for r in conn.execute(select(sentences.c.id, events.c.id.label("event_id"), events.c.type, events.c.date,
                                 events.c.trigger_start, events.c.trigger_end, events.c.negated)
                          .join(events, and_(events.c.document_id == sentences.c.document_id,
                                             events.c.trigger_start >= sentences.c.start,
                                             events.c.trigger_end <= sentences.c.end)).where(where)):
        by_id[r.id].events.append({"id": r.event_id, "type": r.type, "date": r.date, "start": r.trigger_start,
                                   "end": r.trigger_end, "negated": bool(r.negated), "actors": []})
    by_event = {e["id"]: e for s in by_id.values() for e in s.events}
    if by_event:
        for r in conn.execute(select(event_actors.c.event_id, event_actors.c.actor_id)
                              .where(event_actors.c.event_id.in_(list(by_event)))):
            by_event[r.event_id]["actors"].append(r.actor_id)
    for r in conn.execute(select(sentences.c.id, statements.c.speaker, statements.c.content_start,
                                 statements.c.content_end, statements.c.evidence_start, statements.c.evidence_end,
                                 statements.c.date)
                          .join(statements, and_(statements.c.document_id == sentences.c.document_id,
                                                 statements.c.evidence_start < sentences.c.end,
                                                 statements.c.evidence_end > sentences.c.start)).where(where)):
        by_id[r.id].statements.append({"speaker": json.loads(r.speaker or "[]"), "content_start": r.content_start,
                                       "content_end": r.content_end, "date": r.date})
    return [by_id[i] for i in ids if i in by_id]


def _add_context(conn: Connection, by_id: dict[int, Sentence]) -> None:
    """Give each sentence the text and actors of the one just before it in its document,
    unless a wider gap (a break between passages) lies between them. Two queries for all
    the sentences: the one before each (an indexed max per sentence), then their mentions."""
    this, before, other = sentences.alias("this"), sentences.alias("before"), sentences.alias("other")
    latest = (select(func.max(other.c.start))
              .where(other.c.document_id == this.c.document_id, other.c.start < this.c.start)
              .scalar_subquery())
    rows = conn.execute(select(this.c.id, before.c.id.label("before_id"), before.c.end, before.c.text)
                        .select_from(this)
                        .join(before, and_(before.c.document_id == this.c.document_id, before.c.start == latest))
                        .where(this.c.id.in_(list(by_id))))
    carried: dict[int, list[Sentence]] = {}
    for r in rows:
        sent = by_id[r.id]
        if sent.start - r.end <= CONTEXT_GAP:
            sent.context = r.text
            carried.setdefault(r.before_id, []).append(sent)
    if not carried:
        return
    for r in conn.execute(select(sentences.c.id, mentions.c.actor_id).distinct()
                          .join(mentions, _inside(mentions, mentions.c.start, mentions.c.end))
                          .where(sentences.c.id.in_(list(carried)))):
        for sent in carried[r.id]:
            sent.context_actors.add(r.actor_id)


def retrieve(conn: Connection, words: Iterable[str], limit: int) -> list[tuple[int, float]]:
    return search.search(conn, words, limit)


def sentences_at(conn: Connection, positions: Sequence[tuple[int, int]]) -> list[int]:
    """The ids of the sentences holding each (document id, character offset), in order.

    One indexed lookup per position: joining a large record table to ``sentences`` by
    range lets the planner scan every sentence, which costs seconds on a corpus.
    """
    lookup = (select(sentences.c.id)
              .where(sentences.c.document_id == bindparam("d"), sentences.c.start <= bindparam("p"),
                     sentences.c.end >= bindparam("p"))
              .limit(1))
    ids = []
    for document_id, offset in dict.fromkeys(positions):
        found = conn.execute(lookup, {"d": document_id, "p": offset}).scalar()
        if found is not None:
            ids.append(found)
    return list(dict.fromkeys(ids))


def sentences_mentioning(conn: Connection, actor_ids: Sequence[str], limit: int = 30) -> list[int]:
    """Sentences that mention one of these actors (latest stored documents first)."""
    if not actor_ids:
        return []
    rows = conn.execute(select(mentions.c.document_id, mentions.c.start)
                        .where(mentions.c.actor_id.in_(list(actor_ids)))
                        .order_by(mentions.c.document_id.desc(), mentions.c.start).limit(limit))
    return sentences_at(conn, [(r.document_id, r.start) for r in rows])


def mentions_near_dates(conn: Connection, actor_id: str, limit: int = 3000) -> list[tuple[int, int, str]]:
    """(document id, offset, EDTF value) of each mention of an actor followed closely by a date
    ("Kim Jong Il from 1994 to 2011"): where a text says when someone held a post."""
    rows = conn.execute(select(mentions.c.document_id, mentions.c.start, timexes.c.value)
                        .join(timexes, and_(timexes.c.document_id == mentions.c.document_id,
                                            timexes.c.start >= mentions.c.end,
                                            timexes.c.start <= mentions.c.end + 40))
                        .where(mentions.c.actor_id == actor_id, timexes.c.value.is_not(None)).limit(limit))
    return [(r.document_id, r.start, r.value) for r in rows]


def sentences_with_figures(conn: Connection, measure_words: Sequence[str], actor_ids: Sequence[str],
                           limit: int = 40) -> list[int]:
    """Sentences holding a figure whose measure names one of ``measure_words`` about these actors."""
    if not measure_words:
        return []
    measure_match = or_(*(func.lower(quantities.c.measure).like(f"%{w.lower()}%") for w in measure_words))
    conditions = [measure_match]
    if actor_ids:
        conditions.append(or_(*(quantities.c.subject_key.like(f"%{a}%") for a in actor_ids)))
    rows = conn.execute(select(quantities.c.document_id, quantities.c.mention_start).where(and_(*conditions))
                        .order_by(quantities.c.document_id.desc()).limit(limit))
    return sentences_at(conn, [(r.document_id, r.mention_start) for r in rows])


def sentences_with_events(conn: Connection, types: Sequence[str], actor_ids: Sequence[str],
                          limit: int = 40) -> list[int]:
    """Sentences reporting an event of these types that involves one of these actors."""
    if not types or not actor_ids:
        return []
    involved = select(event_actors.c.event_id).where(event_actors.c.actor_id.in_(list(actor_ids)))
    rows = conn.execute(select(events.c.document_id, events.c.trigger_start)
                        .where(events.c.type.in_(list(types)), events.c.id.in_(involved),
                               events.c.trigger_start.is_not(None))
                        .order_by(events.c.document_id.desc()).limit(limit))
    return sentences_at(conn, [(r.document_id, r.trigger_start) for r in rows])


def known_word(conn: Connection) -> "callable":
    """A function telling whether any stored sentence contains a word (for spelling correction)."""
    dialect = conn.engine.dialect.name

    def known(word: str) -> bool:
        terms = search.query_terms([word])
        if not terms:
            return False
        if dialect == "sqlite":
            row = conn.execute(text(f'SELECT 1 FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH :m LIMIT 1'),
                               {"m": f'"{terms[0]}"'}).first()
        else:
            row = conn.execute(text("SELECT 1 FROM sentences WHERE to_tsvector('english', text) @@ "
                                    "plainto_tsquery('english', :w) LIMIT 1"), {"w": terms[0]}).first()
        return row is not None

    return known
