"""Who is in the knowledge base and who acts on whom: the actor list and the event network.

Counts are of events (clusters: a twice-reported event counts once) in SQL
aggregates, so the cost does not grow with the number of rows returned to Python.
Network edges run from source to target; ``net_cooperation`` is, as in the dyad
series, ``(cooperation - conflict) / events`` over the edge's events. Denied and
hypothetical reports are not counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import and_, case, distinct, func, select

from diplograph.analytics.common import (EVENT_ACTORS, EVENTS, QueryError, actor_names, engine_of,
                                         events_with_clusters, happened, unit_column, unit_key, window)
from diplograph.store import schema as s

#: ``--type`` values that stand for several stored types ("org" is any organisation).
TYPE_GROUPS = {"org": ("org", "igo"), "organisation": ("org", "igo"), "organization": ("org", "igo")}
ACTOR_TYPES = ("state", "person", "org", "igo", "group")


def actors_list(store: Any, type: Optional[str] = None) -> list[dict]:
    """Stored actors with how often documents name them and how many events they take part in.

    type (str | None): ``state``, ``person``, ``org`` (organisations, intergovernmental ones
        included), ``igo`` or ``group``.
    RETURNS (list[dict]): ``id, name, type, known, documents, mentions, events``, the most
        active first.
    """
    actors = s.actors
    conditions = []
    if type:
        wanted = type.strip().lower()
        if wanted not in ACTOR_TYPES and wanted not in TYPE_GROUPS:
            raise QueryError(f"unknown actor type {type!r}; use one of {', '.join(ACTOR_TYPES)}")
        conditions.append(actors.c.type.in_(TYPE_GROUPS.get(wanted, (wanted,))))
    mentions = (select(s.mentions.c.actor_id, func.count().label("mentions"),
                       func.count(distinct(s.mentions.c.document_id)).label("documents"))
                .group_by(s.mentions.c.actor_id).subquery())
    events = (select(EVENT_ACTORS.c.actor_id, func.count(distinct(unit_key())).label("events"))
              .select_from(EVENT_ACTORS.join(EVENTS, EVENTS.c.id == EVENT_ACTORS.c.event_id))
              .group_by(EVENT_ACTORS.c.actor_id).subquery())
    query = (select(actors.c.id, actors.c.name, actors.c.type, actors.c.known,
                    func.coalesce(mentions.c.documents, 0).label("documents"),
                    func.coalesce(mentions.c.mentions, 0).label("mentions"),
                    func.coalesce(events.c.events, 0).label("events"))
             .select_from(actors.outerjoin(mentions, mentions.c.actor_id == actors.c.id)
                          .outerjoin(events, events.c.actor_id == actors.c.id))
             .where(*conditions))
    with engine_of(store).connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    for row in rows:
        row["known"] = bool(row["known"])
    return sorted(rows, key=lambda row: (-row["events"], -row["mentions"], row["id"]))


@dataclass
class Network:
    """Actors as nodes, source-to-target event counts as directed edges."""

    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"nodes": self.nodes, "edges": self.edges}

    def to_networkx(self):
        """A ``networkx.DiGraph`` with the node and edge fields as attributes."""
        import networkx as nx

        graph = nx.DiGraph()
        for node in self.nodes:
            graph.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
        for edge in self.edges:
            graph.add_edge(edge["source"], edge["target"],
                           **{k: v for k, v in edge.items() if k not in ("source", "target")})
        return graph


def network(store: Any, date_from: Optional[str] = None, date_to: Optional[str] = None) -> Network:
    """The actor graph of the events in a date window (all events when no window).

    RETURNS (Network): ``nodes`` ``[{id, name, type, events}]`` (actors with at least one
        edge, most active first) and ``edges`` ``[{source, target, weight, cooperation,
        conflict, net_cooperation}]`` (heaviest first); ``weight`` counts events.
    """
    src, tgt = EVENT_ACTORS.alias("src"), EVENT_ACTORS.alias("tgt")
    unit = unit_key()
    quad = unit_column("quad")
    conditions = [happened()]  # for nodes and edges alike
    span = window(date_from, date_to)
    if not span.open:
        conditions.append(span.overlaps(unit_column("date_lo"), unit_column("date_hi")))
    pairs = (events_with_clusters()
             .join(src, and_(src.c.event_id == EVENTS.c.id, src.c.role == "source"))
             .join(tgt, and_(tgt.c.event_id == EVENTS.c.id, tgt.c.role == "target")))
    edge_query = (select(src.c.actor_id.label("source"), tgt.c.actor_id.label("target"),
                         func.count(distinct(unit)).label("weight"),
                         func.count(distinct(case((quad.like("%cooperation"), unit)))).label("cooperation"),
                         func.count(distinct(case((quad.like("%conflict"), unit)))).label("conflict"))
                  .select_from(pairs).where(*conditions, src.c.actor_id != tgt.c.actor_id)
                  .group_by(src.c.actor_id, tgt.c.actor_id))
    node_query = (select(EVENT_ACTORS.c.actor_id, func.count(distinct(unit)).label("events"))
                  .select_from(events_with_clusters().join(EVENT_ACTORS, EVENT_ACTORS.c.event_id == EVENTS.c.id))
                  .where(*conditions).group_by(EVENT_ACTORS.c.actor_id))
    with engine_of(store).connect() as conn:
        edges = [_edge(row) for row in conn.execute(edge_query)]
        in_graph = {edge["source"] for edge in edges} | {edge["target"] for edge in edges}
        counts = {row.actor_id: row.events for row in conn.execute(node_query) if row.actor_id in in_graph}
        names = actor_names(conn, in_graph)
    nodes = [{"id": actor, "name": names.get(actor, {}).get("name", actor), "type": names.get(actor, {}).get("type"),
              "events": counts.get(actor, 0)} for actor in in_graph]
    nodes.sort(key=lambda node: (-node["events"], node["id"]))
    edges.sort(key=lambda edge: (-edge["weight"], edge["source"], edge["target"]))
    return Network(nodes=nodes, edges=edges)


def _edge(row) -> dict:
    return {"source": row.source, "target": row.target, "weight": row.weight, "cooperation": row.cooperation,
            "conflict": row.conflict, "net_cooperation": round((row.cooperation - row.conflict) / row.weight, 3)}
