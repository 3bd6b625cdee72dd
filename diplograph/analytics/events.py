"""The timeline: dated events in order, one row per event (a cluster of reports), with sources.

Four queries whatever the size of the result: the matching units (ordered, limited),
their reports with document names, the reports' actors, the actors' names.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from diplograph.analytics.common import (EVENT_ACTORS, EVENTS, QueryError, actor_and_officials, actor_names,
                                         between, chunks, engine_of, events_with_clusters, involving,
                                         iso_day, parse_dyad, resolve_actor, unit_column, unit_filter, unit_key,
                                         window)
from diplograph.model import PLOVER_SCORE, PLOVER_TYPES, QUAD_CLASS
from diplograph.store import schema as s

QUADS = tuple(dict.fromkeys(QUAD_CLASS.values()))
FLAGS = ("negated", "hedged", "hypothetical")


def timeline(store: Any, actor: Optional[str] = None, dyad: Optional[str | Sequence[str]] = None,
             type: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None,
             limit: Optional[int] = None, officials: bool = True) -> list[dict]:
    """Dated events in date order, each with every report that tells it.

    store (Store | Engine): the knowledge base.
    actor (str | None): an id or name; keeps events where it is source or target.
    dyad (str | None): ``"CHN-PRK"``: events from either actor to the other (order aside).
    type (str | None): a PLOVER type (``SANCTION``) or a quad class (``material conflict``).
    date_from, date_to (str | None): EDTF; keeps events whose dates overlap the window.
    limit (int | None): at most this many events, the earliest first.
    officials (bool): count a state's office holders (its leaders, ministers) as the state.
    RETURNS (list[dict]): ``cluster_id, date, date_from, date_to, type, mode, quad, score,
        source, source_names, target, target_names, flags, n_sources, sources`` where
        ``sources`` is ``[{document, start, end, text}]``, one per report, and ``flags`` lists
        negated / hedged / hypothetical when every report says so.
    """
    with engine_of(store).connect() as conn:
        conditions = _conditions(conn, actor, dyad, type, officials)
        span = window(date_from, date_to)
        lo, hi = unit_column("date_lo"), unit_column("date_hi")
        conditions.append(span.overlaps(lo, hi))
        units = (select(unit_key().label("unit"), lo.label("lo"), hi.label("hi"))
                 .select_from(events_with_clusters()).where(*conditions).distinct().subquery())
        query = select(units.c.unit).order_by(func.coalesce(units.c.lo, units.c.hi), units.c.hi.nulls_last(),
                                             units.c.unit)
        if limit:
            query = query.limit(limit)
        keys = [row.unit for row in conn.execute(query)]
        return describe_units(conn, keys)


def _conditions(conn: Connection, actor: Optional[str], dyad, type: Optional[str], officials: bool) -> list:
    conditions = []
    if actor:
        actor_id = resolve_actor(conn, actor)
        conditions.append(involving(actor_and_officials(conn, actor_id) if officials else [actor_id]))
    if dyad:
        conditions.append(between(*dyad_sides(conn, dyad, officials)))
    if type:
        conditions.append(type_condition(type))
    return conditions


def dyad_sides(conn: Connection, dyad, officials: bool = True) -> tuple[list[str], list[str]]:
    """The two actors of a dyad, each with its office holders when ``officials``."""
    first, second = (resolve_actor(conn, text) for text in parse_dyad(dyad))
    if first == second:
        raise QueryError(f"a dyad needs two different actors; both sides are {first}")
    if not officials:
        return [first], [second]
    side_a, side_b = actor_and_officials(conn, first), actor_and_officials(conn, second)
    return side_a, [actor for actor in side_b if actor not in side_a]


def type_condition(type: str):
    """SQL for ``--type``: a PLOVER type or a quad class, case aside."""
    wanted = type.strip()
    if wanted.upper() in PLOVER_TYPES:
        return unit_column("type") == wanted.upper()
    quad = wanted.lower().replace("_", " ")
    if quad in QUADS:
        return unit_column("quad") == quad
    raise QueryError(f"unknown event type {type!r}; use a PLOVER type ({', '.join(PLOVER_TYPES)}) "
                     f"or a quad class ({', '.join(QUADS)})")


def describe_units(conn: Connection, keys: Sequence[int]) -> list[dict]:
    """One row per unit key, in the order given, built from all of its reports."""
    reports = _reports(conn, keys)
    roles = _roles(conn, [report.id for rows in reports.values() for report in rows])
    names = actor_names(conn, {actor for pairs in roles.values() for actor, _ in pairs})
    return [_unit_row(key, reports.get(key, []), roles, names) for key in keys]


class Report(NamedTuple):
    """One document's report of an event unit, with the unit's own type, quad and date."""

    unit: int
    id: int
    mode: Optional[str]
    score: float
    negated: bool
    hedged: bool
    hypothetical: bool
    evidence_start: int
    evidence_end: int
    text: str
    document: str
    unit_type: str
    unit_quad: str
    unit_date: Optional[str]
    unit_lo: Optional[int]
    unit_hi: Optional[int]


def _reports(conn: Connection, keys: Sequence[int]) -> dict[int, list[Report]]:
    found: dict[int, list[Report]] = defaultdict(list)
    columns = (unit_key(), EVENTS.c.id, EVENTS.c.mode, EVENTS.c.score, EVENTS.c.negated, EVENTS.c.hedged,
               EVENTS.c.hypothetical, EVENTS.c.evidence_start, EVENTS.c.evidence_end, EVENTS.c.text,
               s.documents.c.name, unit_column("type"), unit_column("quad"), unit_column("date"),
               unit_column("date_lo"), unit_column("date_hi"))
    source = events_with_clusters().join(s.documents, s.documents.c.id == EVENTS.c.document_id)
    for chunk in chunks(list(keys)):
        query = select(*columns).select_from(source).where(unit_filter(chunk))
        for row in conn.execute(query).all():  # one fetch: rows one by one cost more than the query
            report = Report._make(row)  # plain tuples: SQLAlchemy rows are slow to read by name
            found[report.unit].append(report)
    for rows in found.values():  # sorted here: text collation differs between databases
        rows.sort(key=lambda row: (row.document, row.evidence_start, row.id))
    return found


def _roles(conn: Connection, event_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chunk in chunks(list(event_ids)):
        rows = conn.execute(select(EVENT_ACTORS.c.event_id, EVENT_ACTORS.c.actor_id, EVENT_ACTORS.c.role)
                            .where(EVENT_ACTORS.c.event_id.in_(chunk)))
        for event_id, actor_id, role in rows.all():
            found[event_id].append((actor_id, role))
    return found


def _unit_row(key: int, reports: list, roles: dict, names: dict) -> dict:
    first = reports[0] if reports else None
    sources: dict[str, None] = {}
    targets: dict[str, None] = {}
    for report in reports:
        for actor, role in roles.get(report.id, []):
            (sources if role == "source" else targets).setdefault(actor, None)
    event_type = first.unit_type if first else None
    scores = [report.score for report in reports]
    return {
        "cluster_id": key if key > 0 else None,
        "date": first.unit_date if first else None,
        "date_from": iso_day(first.unit_lo) if first else None,
        "date_to": iso_day(first.unit_hi) if first else None,
        "type": event_type,
        "mode": next((report.mode for report in reports if report.mode), None),
        "quad": first.unit_quad if first else None,
        "score": PLOVER_SCORE.get(event_type, sum(scores) / len(scores) if scores else None),
        "source": list(sources),
        "source_names": [names.get(actor, {}).get("name", actor) for actor in sources],
        "target": list(targets),
        "target_names": [names.get(actor, {}).get("name", actor) for actor in targets],
        "flags": [flag for flag in FLAGS if reports and all(getattr(report, flag) for report in reports)],
        "n_sources": len({report.document for report in reports}),
        "sources": [{"document": report.document, "start": report.evidence_start, "end": report.evidence_end,
                     "text": report.text} for report in reports],
    }
