"""Figure series: what the documents say a measure was, date by date, each value with its sources.

One point per value a claim cluster holds: reports of the same measure, subject and
date that agree make one point with several sources; a claim whose sources disagree
(a contradiction) gives one point per value, all flagged, so a plot shows the spread.
A figure the merge has not clustered is a point of its own.
"""
from __future__ import annotations

import json
from typing import Any, Optional, Sequence

from sqlalchemy import func, select

from diplograph.analytics.common import engine_of, iso_day, resolve_actors, window
from diplograph.store import schema as s

Q = s.quantities


def figure_series(store: Any, measure: Optional[str] = None, subject: Optional[str | Sequence[str]] = None,
                  date_from: Optional[str] = None, date_to: Optional[str] = None) -> list[dict]:
    """The figures stored for a measure and subject, in order of measure, unit and date.

    store (Store | Engine): the knowledge base.
    measure (str | None): words of the measure, case aside (``trade`` finds "bilateral trade").
    subject (str | list | None): the actors the figure is about, exactly: ``"CHN,PRK"``
        (ids or names, in any order) keeps figures about China and North Korea together.
    date_from, date_to (str | None): EDTF window; figures whose dates overlap it.
    RETURNS (list[dict]): ``measure, subject, unit, value, bound, date, date_from, date_to,
        claim_id, contradiction, n_sources, sources`` with ``sources`` as
        ``[{document, start, end, text}]`` (the evidence sentence of each report).
    """
    with engine_of(store).connect() as conn:
        conditions = []
        if measure and measure.strip():
            conditions.append(func.lower(Q.c.measure).contains(measure.strip().lower(), autoescape=True))
        if subject:
            conditions.append(Q.c.subject_key == ",".join(sorted(resolve_actors(conn, subject))))
        span = window(date_from, date_to)
        if not span.open:
            conditions.append(span.overlaps(Q.c.date_lo, Q.c.date_hi))
        query = (select(Q.c.id, Q.c.claim_id, Q.c.measure, Q.c.subject, Q.c.unit, Q.c.value, Q.c.bound,
                        Q.c.date, Q.c.date_lo, Q.c.date_hi, Q.c.evidence_start, Q.c.evidence_end, Q.c.text,
                        s.documents.c.name.label("document"), s.claims.c.contradiction)
                 .select_from(Q.join(s.documents, s.documents.c.id == Q.c.document_id)
                              .outerjoin(s.claims, s.claims.c.id == Q.c.claim_id))
                 .where(*conditions).order_by(Q.c.id))
        return sorted(group_points(conn.execute(query)), key=_series_order)


def _series_order(point: dict) -> tuple:
    """Measure, unit, then time (undated last), then value: sorted here, as collations differ by database."""
    day = point["date_from"] or point["date_to"]
    return (point["measure"] or "", point["unit"], day is None, day or "", point["value"])


def group_points(rows) -> list[dict]:
    """Join reports of one claim that give the same value and bound into one point."""
    points: dict[tuple, dict] = {}
    for row in rows:
        key = (row.claim_id, row.value, row.bound, row.unit) if row.claim_id is not None else ("single", row.id)
        point = points.get(key)
        if point is None:
            point = points[key] = {
                "measure": row.measure, "subject": json.loads(row.subject or "[]"), "unit": row.unit,
                "value": row.value, "bound": row.bound, "date": row.date,
                "date_from": iso_day(row.date_lo), "date_to": iso_day(row.date_hi),
                "claim_id": row.claim_id, "contradiction": bool(row.contradiction), "n_sources": 0,
                "sources": [],
            }
        point["sources"].append({"document": row.document, "start": row.evidence_start,
                                 "end": row.evidence_end, "text": row.text})
        point["n_sources"] = len({source["document"] for source in point["sources"]})
    return list(points.values())
