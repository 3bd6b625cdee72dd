"""What every query shares: reading the engine, naming actors, date windows, event units.

An *event unit* is what the queries count: an event cluster (the reports of one event
merged across documents), or a single report the merge has not clustered. Its key is
the cluster id, or minus the event id for an unclustered report, so one integer names
it in SQL and in Python; its date, type and quad are the cluster's when there is one.

Only SQLAlchemy Core, so SQLite and PostgreSQL answer the same.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Iterator, Optional, Sequence

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from diplograph.dates import bounds
from diplograph.errors import DiplographError
from diplograph.store import schema as s

#: How many ids one ``IN (...)`` carries: far below SQLite's and PostgreSQL's parameter limits.
IN_CHUNK = 2000

EVENTS, CLUSTERS, EVENT_ACTORS = s.events, s.event_clusters, s.event_actors


class QueryError(DiplographError):
    """A query cannot run as asked: an unknown actor, a date that is not EDTF, a bad option."""


def engine_of(store: Any) -> Engine:
    """The SQLAlchemy engine of a ``Store`` (anything with ``.engine``) or an engine itself."""
    if isinstance(store, Engine):
        return store
    engine = getattr(store, "engine", None)
    if engine is None:
        raise TypeError(f"expected a diplograph Store or an SQLAlchemy Engine, got {type(store).__name__}")
    return engine


# --------------------------------------------------------------------------- actors


def resolve_actor(conn: Connection, text: str) -> str:
    """The actor id a user means by ``text``: an id (CHN), a name or an alias ("North Korea").

    Tries, in order: a stored id (case aside), the gazetteer (names, aliases, capitals,
    demonyms), then stored names and aliases of actors found by NER only.
    RAISES QueryError when nothing matches.
    """
    wanted = text.strip()
    if not wanted:
        raise QueryError("an actor is empty; give an id such as CHN or a name such as 'North Korea'")
    for candidate in dict.fromkeys((wanted, wanted.upper())):
        if conn.execute(select(s.actors.c.id).where(s.actors.c.id == candidate)).first():
            return candidate
    from diplograph.data.gazetteer import load_gazetteer

    entry = load_gazetteer().resolve(wanted)
    if entry is not None:
        return entry.id
    folded = wanted.casefold()
    rows = conn.execute(select(s.actors.c.id, s.actors.c.name, s.actors.c.aliases).where(
        or_(func.lower(s.actors.c.name) == folded,
            func.lower(s.actors.c.aliases).contains(folded, autoescape=True))))
    for actor_id, name, aliases in rows:
        if name.casefold() == folded or folded in (a.casefold() for a in json.loads(aliases or "[]")):
            return actor_id
    raise QueryError(f"no actor matches {wanted!r}; give an id such as CHN or a name such as 'North Korea' "
                     f"(`diplograph actors` lists the stored ones)")


def resolve_actors(conn: Connection, texts: str | Sequence[str]) -> list[str]:
    """Several actors given as ``"CHN,PRK"`` or a list; ids in the order given, without repeats."""
    items = texts.split(",") if isinstance(texts, str) else list(texts)
    return list(dict.fromkeys(resolve_actor(conn, item) for item in items if item.strip()))


def parse_dyad(dyad: str | Sequence[str]) -> tuple[str, str]:
    """``"CHN-PRK"``, ``"CHN,PRK"`` or a pair as the two actors' texts (not yet resolved)."""
    if isinstance(dyad, str):
        separator = "," if "," in dyad else "-"
        parts = [part.strip() for part in dyad.split(separator)]
    else:
        parts = [str(part).strip() for part in dyad]
    if len(parts) != 2 or not all(parts):
        raise QueryError(f"a dyad is two actors, e.g. CHN-PRK or 'China,North Korea'; got {dyad!r}")
    return parts[0], parts[1]


def actor_and_officials(conn: Connection, actor_id: str) -> list[str]:
    """The actor and the people who act for it: office holders (gazetteer terms) and affiliates.

    Why: reports name leaders as often as states ("Xi met Kim"); a state's relations
    include what its heads of state and ministers did. The terms are not checked against
    the event's date: a leader's acts out of office are rare in reporting.
    """
    members = [actor_id, *_officials_by_state().get(actor_id, ())]
    affiliated = conn.execute(select(s.actors.c.id).where(s.actors.c.affiliation == actor_id))
    members.extend(row[0] for row in affiliated)
    return list(dict.fromkeys(members))


@lru_cache(maxsize=1)
def _officials_by_state() -> dict[str, tuple[str, ...]]:
    from diplograph.data.gazetteer import load_gazetteer

    found: dict[str, list[str]] = {}
    for entry in load_gazetteer().entries.values():
        for term in entry.terms:
            found.setdefault(term.state, [])
            if entry.id not in found[term.state]:
                found[term.state].append(entry.id)
    return {state: tuple(ids) for state, ids in found.items()}


def actor_names(conn: Connection, ids: Iterable[str]) -> dict[str, dict]:
    """``{id: {"name", "type"}}`` for the given ids, in one query per chunk."""
    found: dict[str, dict] = {}
    for chunk in chunks(sorted(set(ids))):
        rows = conn.execute(select(s.actors.c.id, s.actors.c.name, s.actors.c.type)
                            .where(s.actors.c.id.in_(chunk)))
        found.update({row.id: {"name": row.name, "type": row.type} for row in rows})
    return found


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True, slots=True)
class Window:
    """A date window as ordinal days; None on a side means open."""

    first_day: Optional[int] = None
    last_day: Optional[int] = None

    @property
    def open(self) -> bool:
        return self.first_day is None and self.last_day is None

    def overlaps(self, lo: ColumnElement, hi: ColumnElement) -> ColumnElement:
        """SQL: the record's [lo, hi] meets the window and the record is dated at all."""
        conditions = [or_(lo.is_not(None), hi.is_not(None))]
        if self.first_day is not None:
            conditions.append(or_(hi.is_(None), hi >= self.first_day))
        if self.last_day is not None:
            conditions.append(or_(lo.is_(None), lo <= self.last_day))
        return and_(*conditions)


def window(date_from: Optional[str], date_to: Optional[str]) -> Window:
    """The window from the first day of ``date_from`` to the last day of ``date_to`` (EDTF)."""
    return Window(_edge(date_from, first=True), _edge(date_to, first=False))


def _edge(value: Optional[str], first: bool) -> Optional[int]:
    if value is None or not str(value).strip():
        return None
    lo, hi = bounds(str(value))
    day = lo if first else hi
    if day is None:
        day = hi if first else lo
    if day is None:
        side = "start" if first else "end"
        raise QueryError(f"the window's {side} {value!r} is not an EDTF date (e.g. 2018, 2018-03, 2018-03-26)")
    return day


def iso_day(ordinal: Optional[int]) -> Optional[str]:
    return date.fromordinal(ordinal).isoformat() if ordinal is not None else None


def start_year(lo: Optional[int], hi: Optional[int]) -> Optional[int]:
    """The year an event began: its first day's, or its last day's when the start is open."""
    day = lo if lo is not None else hi
    return date.fromordinal(day).year if day is not None else None


# --------------------------------------------------------------------------- event units


def unit_key() -> ColumnElement:
    """SQL: the cluster id of a report, or minus its own id when it is not clustered."""
    return case((EVENTS.c.cluster_id.is_(None), -EVENTS.c.id), else_=EVENTS.c.cluster_id)


def unit_column(name: str) -> ColumnElement:
    """SQL: the unit's ``name`` column (date, date_lo, date_hi, type, quad): the cluster's if any."""
    return case((CLUSTERS.c.id.is_(None), EVENTS.c[name]), else_=CLUSTERS.c[name])


def events_with_clusters():
    """FROM clause: every report with its cluster, if it has one."""
    return EVENTS.outerjoin(CLUSTERS, EVENTS.c.cluster_id == CLUSTERS.c.id)


def happened() -> ColumnElement:
    """SQL: a report that says the event took place (not denied, not a mere possibility)."""
    return and_(EVENTS.c.negated.is_not(True), EVENTS.c.hypothetical.is_not(True))


def involving(actor_ids: Sequence[str]) -> ColumnElement:
    """SQL: the report names one of ``actor_ids`` as source or target (index on actor_id)."""
    return EVENTS.c.id.in_(select(EVENT_ACTORS.c.event_id).where(EVENT_ACTORS.c.actor_id.in_(actor_ids)))


def between(side_a: Sequence[str], side_b: Sequence[str]) -> ColumnElement:
    """SQL: the report has a source on one side and a target on the other, either direction."""
    src, tgt = EVENT_ACTORS.alias("src"), EVENT_ACTORS.alias("tgt")
    pairs = (select(src.c.event_id)
             .join(tgt, and_(tgt.c.event_id == src.c.event_id, tgt.c.role == "target"))
             .where(src.c.role == "source",
                    or_(and_(src.c.actor_id.in_(side_a), tgt.c.actor_id.in_(side_b)),
                        and_(src.c.actor_id.in_(side_b), tgt.c.actor_id.in_(side_a)))))
    return EVENTS.c.id.in_(pairs)


def unit_filter(keys: Sequence[int]) -> ColumnElement:
    """SQL: the reports that belong to the given unit keys."""
    clustered = [key for key in keys if key > 0]
    single = [-key for key in keys if key < 0]
    conditions = []
    if clustered:
        conditions.append(EVENTS.c.cluster_id.in_(clustered))
    if single:
        conditions.append(EVENTS.c.id.in_(single))
    return or_(*conditions) if conditions else EVENTS.c.id.is_(None)


def chunks(items: Sequence, size: int = IN_CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
