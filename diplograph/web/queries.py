"""Reads the pages need beyond ``diplograph.analytics``: a document's text and sentences, the years
the events span, the commonest figure measures, the stored name of a text.

SQLAlchemy Core only, so SQLite and PostgreSQL answer the same.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

from sqlalchemy import func, or_, select

from diplograph.analytics.common import engine_of
from diplograph.store import content_hash
from diplograph.store import schema as s

#: a document id the store can look up; longer digit strings are names (or nothing)
MAX_ID_DIGITS = 18


def usable_name(name: str) -> bool:
    """Whether ``name`` can be looked up at all (the store reads an all-digit name as an id)."""
    if name.isdigit():
        return name.isascii() and len(name) <= MAX_ID_DIGITS
    return bool(name)


def document_text(store: Any, name: str) -> Optional[tuple[int, str]]:
    """``(db id, text)`` of the document called ``name`` (or with that id); None when there is none."""
    conditions = [s.documents.c.name == name]
    if name.isdigit() and usable_name(name):
        conditions.append(s.documents.c.id == int(name))
    query = select(s.documents.c.id, s.documents.c.text).where(or_(*conditions)).order_by(
        (s.documents.c.name != name), s.documents.c.id).limit(1)
    with engine_of(store).connect() as conn:
        row = conn.execute(query).first()
    return (row.id, row.text) if row else None


def document_sentences(store: Any, document_id: int) -> list[tuple[int, int]]:
    """The stored sentence spans of a document, in order ([] for a knowledge base without them)."""
    table = getattr(s, "sentences", None)
    if table is None:
        return []
    with engine_of(store).connect() as conn:
        if not engine_of(store).dialect.has_table(conn, table.name):
            return []
        rows = conn.execute(select(table.c.start, table.c.end).where(table.c.document_id == document_id)
                            .order_by(table.c.start))
        return [(row.start, row.end) for row in rows]


def name_for_text(store: Any, text: str) -> Optional[str]:
    """The name of the stored document with exactly this text, if any."""
    with engine_of(store).connect() as conn:
        return conn.execute(select(s.documents.c.name)
                            .where(s.documents.c.content_hash == content_hash(text))).scalar()


def event_years(store: Any) -> Optional[tuple[int, int]]:
    """The first and last year of any dated event; None when no event is dated."""
    events = s.events
    with engine_of(store).connect() as conn:
        row = conn.execute(select(func.min(func.coalesce(events.c.date_lo, events.c.date_hi)),
                                  func.max(func.coalesce(events.c.date_hi, events.c.date_lo)))).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return date.fromordinal(row[0]).year, date.fromordinal(row[1]).year


def document_count(store: Any) -> int:
    with engine_of(store).connect() as conn:
        return conn.execute(select(func.count()).select_from(s.documents)).scalar() or 0


def common_measures(store: Any, limit: int) -> list[dict]:
    """The measures with the most figures: ``[{measure, figures}]``, most first."""
    quantities = s.quantities
    query = (select(quantities.c.measure, func.count().label("figures"))
             .where(quantities.c.measure.is_not(None)).group_by(quantities.c.measure)
             .order_by(func.count().desc(), quantities.c.measure).limit(limit))
    with engine_of(store).connect() as conn:
        return [{"measure": row.measure, "figures": row.figures} for row in conn.execute(query)]
