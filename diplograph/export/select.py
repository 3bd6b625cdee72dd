"""What an export reads: the knowledge base's rows, narrowed by date and actor.

Every writer reads through one ``KBReader`` so ``--from``, ``--to`` and ``--actor``
mean the same thing in every format:

- a date window keeps the records whose EDTF interval overlaps it; an open end
  (``../2018``, ``2023-11/..``) reaches as far as it says; undated records are left
  out, since they cannot be placed in any window;
- an actor keeps events where the actor is source or target, figures whose subject
  or cited source it is, and statements it made.

Only SQLAlchemy Core selects, so SQLite and PostgreSQL read the same.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Iterator, Optional

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.engine import Connection

from diplograph.dates import bounds
from diplograph.errors import DiplographError
from diplograph.store import schema as s


class ExportError(DiplographError):
    """An export cannot run as asked (e.g. no stored actor matches ``--actor``)."""


class ExportUsageError(ExportError):
    """The export was asked for wrongly: an unknown format, a window date that is not EDTF."""


@dataclass(frozen=True, slots=True)
class Selection:
    """Which records an export covers; the default is everything stored.

    date_from / date_to (str | None): EDTF dates; the window runs from the first day of
        ``date_from`` to the last day of ``date_to``.
    actor (str | None): an actor id (``CHN``), name or alias, case aside.
    """

    date_from: Optional[str] = None
    date_to: Optional[str] = None
    actor: Optional[str] = None

    @property
    def narrowed(self) -> bool:
        return any((self.date_from, self.date_to, self.actor))


def iso_day(ordinal: Optional[int]) -> Optional[str]:
    """An ordinal day (as stored) as an ISO date string."""
    return dt.date.fromordinal(ordinal).isoformat() if ordinal is not None else None


def day(ordinal: Optional[int]) -> Optional[dt.date]:
    return dt.date.fromordinal(ordinal) if ordinal is not None else None


def json_list(value: Optional[str]) -> list:
    """A JSON list column as a list (an empty or absent value is no items)."""
    return json.loads(value) if value else []


def json_object(value: Optional[str]) -> dict:
    return json.loads(value) if value else {}


class KBReader:
    """Reads the selected rows of one knowledge base as plain dicts.

    conn (Connection): an open SQLAlchemy connection.
    selection (Selection): the window and actor; raises ExportError when a date is not
        EDTF or no stored actor matches.
    """

    def __init__(self, conn: Connection, selection: Selection = Selection()):
        self.conn = conn
        self.selection = selection
        self._actors: Optional[dict[str, dict]] = None
        self.first_day = _window_edge(selection.date_from, "--from", first=True)
        self.last_day = _window_edge(selection.date_to, "--to", first=False)
        self.actor_ids = self._resolve_actor(selection.actor) if selection.actor else None

    # -- actors ---------------------------------------------------------------------------

    def _resolve_actor(self, wanted: str) -> frozenset[str]:
        """Every stored actor whose id, name or alias is ``wanted``, case aside."""
        key = wanted.strip().casefold()
        found = {row["id"] for row in self.actors().values()
                 if key == row["id"].casefold() or key == row["name"].casefold()
                 or key in (alias.casefold() for alias in row["aliases"])}
        if not found:
            raise ExportError(f"--actor: no stored actor has the id, name or alias {wanted!r}")
        return frozenset(found)

    def actors(self) -> dict[str, dict]:
        """Every stored actor by id, with ``aliases`` and ``codes`` decoded."""
        if self._actors is None:
            rows = self.conn.execute(select(s.actors).order_by(s.actors.c.id)).mappings()
            self._actors = {row["id"]: {**row, "aliases": json_list(row["aliases"]),
                                        "codes": json_object(row["codes"])} for row in rows}
        return self._actors

    # -- documents ------------------------------------------------------------------------

    def documents(self, with_text: bool = False) -> list[dict]:
        """The documents in name order (without their text unless asked)."""
        columns = [c for c in s.documents.c if with_text or c.name != "text"]
        query = select(*columns).order_by(s.documents.c.name)
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def document_text(self, document_id: int) -> str:
        return self.conn.execute(select(s.documents.c.text).where(s.documents.c.id == document_id)).scalar_one()

    # -- events ---------------------------------------------------------------------------

    def _event_filter(self, document_id: Optional[int]):
        conditions = [self._window(s.events)]
        if document_id is not None:
            conditions.append(s.events.c.document_id == document_id)
        if self.actor_ids is not None:
            involved = select(s.event_actors.c.event_id).where(s.event_actors.c.actor_id.in_(sorted(self.actor_ids)))
            conditions.append(s.events.c.id.in_(involved))
        return and_(*conditions)

    def events(self, document_id: Optional[int] = None) -> list[dict]:
        """Selected events, each with ``source`` and ``target`` ids, its ``document`` name and the
        ``n_sources`` of its cluster (1 when not clustered); in date order (undated last), or in
        extraction order for one document."""
        where = self._event_filter(document_id)
        query = (select(s.events, s.documents.c.name.label("document"),
                        s.documents.c.title.label("document_title"),
                        func.coalesce(s.event_clusters.c.n_sources, 1).label("n_sources"))
                 .join(s.documents, s.documents.c.id == s.events.c.document_id)
                 .outerjoin(s.event_clusters, s.event_clusters.c.id == s.events.c.cluster_id)
                 .where(where))
        if document_id is not None:  # one document's events in extraction order
            query = query.order_by(s.events.c.id)
        else:
            query = query.order_by(s.events.c.date_lo.is_(None), s.events.c.date_lo, s.documents.c.name,
                                   s.events.c.evidence_start, s.events.c.id)
        rows = [dict(row) for row in self.conn.execute(query).mappings()]
        roles = self._event_roles(where)
        for row in rows:
            row["source"], row["target"] = roles.get(row["id"], ([], []))
        return rows

    def _event_roles(self, where) -> dict[int, tuple[list[str], list[str]]]:
        chosen = select(s.events.c.id).where(where)
        query = select(s.event_actors).where(s.event_actors.c.event_id.in_(chosen))
        roles: dict[int, tuple[list[str], list[str]]] = {}
        for row in self.conn.execute(query).mappings():
            source, target = roles.setdefault(row["event_id"], ([], []))
            (source if row["role"] == "source" else target).append(row["actor_id"])
        return roles

    # -- figures, statements, time expressions ---------------------------------------------

    def quantities(self, document_id: Optional[int] = None) -> list[dict]:
        """Selected figures with ``subject`` / ``cited_source`` decoded, their claim's
        ``n_sources`` and ``contradiction`` flag, and the ``document`` name."""
        query = (select(s.quantities, s.documents.c.name.label("document"),
                        s.claims.c.n_sources.label("claim_sources"),
                        s.claims.c.contradiction.label("contradiction"))
                 .join(s.documents, s.documents.c.id == s.quantities.c.document_id)
                 .outerjoin(s.claims, s.claims.c.id == s.quantities.c.claim_id)
                 .where(self._window(s.quantities), *self._of_document(s.quantities, document_id))
                 .order_by(s.documents.c.name, s.quantities.c.id))
        rows = []
        for row in self.conn.execute(query).mappings():
            row = {**row, "subject": json_list(row["subject"]), "cited_source": json_list(row["cited_source"]),
                   "contradiction": bool(row["contradiction"])}
            if self._involves(row["subject"], row["cited_source"]):
                rows.append(row)
        return rows

    def statements(self, document_id: Optional[int] = None) -> list[dict]:
        """Selected statements with ``speaker`` decoded and the ``document`` name."""
        query = (select(s.statements, s.documents.c.name.label("document"))
                 .join(s.documents, s.documents.c.id == s.statements.c.document_id)
                 .where(self._window(s.statements), *self._of_document(s.statements, document_id))
                 .order_by(s.documents.c.name, s.statements.c.id))
        rows = []
        for row in self.conn.execute(query).mappings():
            row = {**row, "speaker": json_list(row["speaker"])}
            if self._involves(row["speaker"]):
                rows.append(row)
        return rows

    def timexes(self, document_id: int) -> list[dict]:
        """A document's time expressions in text order (context: never narrowed)."""
        query = (select(s.timexes).where(s.timexes.c.document_id == document_id)
                 .order_by(s.timexes.c.start, s.timexes.c.end))
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def mentions(self, document_id: int) -> Iterator[dict]:
        """A document's actor mentions in text order."""
        query = (select(s.mentions).where(s.mentions.c.document_id == document_id)
                 .order_by(s.mentions.c.start, s.mentions.c.end))
        return (dict(row) for row in self.conn.execute(query).mappings())

    # -- shared conditions ------------------------------------------------------------------

    def _window(self, table):
        """The date-window condition on a table with ``date_lo`` / ``date_hi`` ordinals."""
        lo, hi = table.c.date_lo, table.c.date_hi
        conditions = []
        if self.first_day is not None:  # ends on or after the window's first day (or never ends)
            conditions.append(or_(hi >= self.first_day, and_(hi.is_(None), lo.is_not(None))))
        if self.last_day is not None:   # starts on or before its last day (or has no known start)
            conditions.append(or_(lo <= self.last_day, and_(lo.is_(None), hi.is_not(None))))
        return and_(*conditions) if conditions else true()

    @staticmethod
    def _of_document(table, document_id: Optional[int]) -> list:
        return [table.c.document_id == document_id] if document_id is not None else []

    def _involves(self, *actor_lists: list[str]) -> bool:
        if self.actor_ids is None:
            return True
        return any(actor in self.actor_ids for actors in actor_lists for actor in actors)


def _window_edge(value: Optional[str], option: str, first: bool) -> Optional[int]:
    """The first (or last) day of an EDTF window edge, or an ExportError naming the option."""
    if value is None:
        return None
    lo, hi = bounds(value)
    edge = lo if first else hi
    if edge is None:
        raise ExportUsageError(f"{option}: {value!r} is not an EDTF date (e.g. 2021, 2018-03, 2018-03-26)")
    return edge
