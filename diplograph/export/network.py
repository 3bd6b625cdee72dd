"""``gexf`` (Gephi) and ``graphml``: the actor network, built with networkx.

A directed graph: one node per actor taking part in a selected event (attributes
``label`` = name, ``type``, and ``iso3``, ``iso2``, ``wikidata`` where known, ``events``
= how many events it took part in); one edge source -> target per pair that acted on
each other. Edge attributes:

- ``weight``: distinct events (reports merged across documents count once, so a story
  told by three papers is not three events); ``reports``: the stored reports behind them;
- ``verbal_cooperation``, ``material_cooperation``, ``verbal_conflict``,
  ``material_conflict``: events per PLOVER quad class;
- ``net_cooperation``: (cooperation - conflict) / weight, from -1 (all conflict) to 1;
- ``mean_score``: the mean PLOVER score of its events;
- ``first_date`` / ``last_date``: ISO first and last day of its dated events.

Negated and hypothetical events are left out: they did not happen.
"""
from __future__ import annotations

from collections import Counter
from typing import BinaryIO

from diplograph.export import register
from diplograph.export.select import KBReader, iso_day

QUAD_ATTRIBUTES = {"verbal cooperation": "verbal_cooperation", "material cooperation": "material_cooperation",
                   "verbal conflict": "verbal_conflict", "material conflict": "material_conflict"}
COOPERATION = {"verbal cooperation", "material cooperation"}


def actor_network(kb: KBReader):
    """The selected events as a networkx DiGraph of actors (see the module docstring)."""
    import networkx as nx

    actors = kb.actors()
    events = _distinct_events(kb.events())
    graph = nx.DiGraph(name="diplograph actor network")
    involvement: Counter[str] = Counter()
    edges: dict[tuple[str, str], list[dict]] = {}
    for reports in events:
        first = reports[0]
        sources = list(dict.fromkeys(a for r in reports for a in r["source"]))
        targets = list(dict.fromkeys(a for r in reports for a in r["target"]))
        involvement.update(set(sources) | set(targets))
        for source in sources:
            for target in targets:
                if source != target:
                    edges.setdefault((source, target), []).append(
                        {"quad": first["quad"], "score": first["score"], "reports": len(reports),
                         "lo": min((r["date_lo"] for r in reports if r["date_lo"] is not None), default=None),
                         "hi": max((r["date_hi"] for r in reports if r["date_hi"] is not None), default=None)})
    for actor_id, count in sorted(involvement.items()):
        graph.add_node(actor_id, **_node_attributes(actor_id, actors.get(actor_id), count))
    for (source, target), items in sorted(edges.items()):
        graph.add_edge(source, target, **_edge_attributes(items))
    return graph


def _distinct_events(events: list[dict]) -> list[list[dict]]:
    """Reports that happened, grouped by event cluster (an unclustered report stands alone)."""
    groups: dict[tuple, list[dict]] = {}
    for event in events:
        if event["negated"] or event["hypothetical"]:
            continue
        key = ("cluster", event["cluster_id"]) if event["cluster_id"] is not None else ("event", event["id"])
        groups.setdefault(key, []).append(event)
    return list(groups.values())


def _node_attributes(actor_id: str, actor: dict | None, events: int) -> dict:
    if actor is None:
        return {"label": actor_id, "type": "unknown", "events": events}
    attributes = {"label": actor["name"], "type": actor["type"], "events": events}
    for code in ("iso3", "iso2", "wikidata"):
        if actor["codes"].get(code):
            attributes[code] = str(actor["codes"][code])
    return attributes


def _edge_attributes(items: list[dict]) -> dict:
    weight = len(items)
    quads = Counter(item["quad"] for item in items)
    cooperation = sum(n for quad, n in quads.items() if quad in COOPERATION)
    attributes = {"weight": weight, "reports": sum(item["reports"] for item in items),
                  **{name: quads.get(quad, 0) for quad, name in QUAD_ATTRIBUTES.items()},
                  "net_cooperation": round((2 * cooperation - weight) / weight, 4),
                  "mean_score": round(sum(item["score"] for item in items) / weight, 4)}
    first = min((item["lo"] for item in items if item["lo"] is not None), default=None)
    last = max((item["hi"] for item in items if item["hi"] is not None), default=None)
    if first is not None:
        attributes["first_date"] = iso_day(first)
    if last is not None:
        attributes["last_date"] = iso_day(last)
    return attributes


@register("gexf", target="binary", suffix=".gexf", help="Actor network for Gephi (GEXF 1.2).")
def write_gexf(kb: KBReader, out: BinaryIO) -> int:
    """RETURNS (int): the number of edges written."""
    import networkx as nx

    graph = actor_network(kb)
    nx.write_gexf(graph, out)
    return graph.number_of_edges()


@register("graphml", target="binary", suffix=".graphml", help="Actor network as GraphML.")
def write_graphml(kb: KBReader, out: BinaryIO) -> int:
    """RETURNS (int): the number of edges written."""
    import networkx as nx

    graph = actor_network(kb)
    nx.write_graphml(graph, out)
    return graph.number_of_edges()
