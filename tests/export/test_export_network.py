"""gexf and graphml: the actor network, read back by networkx."""
from __future__ import annotations

import io

import networkx as nx
import pytest

from diplograph.export import Selection
from export_helpers import run_export

READERS = {"gexf": nx.read_gexf, "graphml": nx.read_graphml}
# Distinct events that happened, per directed pair: the agreement told twice counts once,
# the negated sanction and the hypothetical talks not at all.
WEIGHTS = {("CHN", "PRK"): 4, ("UN", "PRK"): 1, ("KOR", "CHN"): 1, ("PRK", "USA"): 1, ("CHN", "USA"): 1}


def graph(engine, fmt: str, selection=None):
    return READERS[fmt](io.BytesIO(run_export(engine, fmt, selection=selection)))


@pytest.mark.parametrize("fmt", READERS)
def test_export_network_nodes_and_weights(kb_engine, fmt):
    g = graph(kb_engine, fmt)
    assert g.is_directed()
    assert set(g.nodes) == {"CHN", "PRK", "KOR", "USA", "UN"}
    assert {(u, v): d["weight"] for u, v, d in g.edges(data=True)} == WEIGHTS


@pytest.mark.parametrize("fmt", READERS)
def test_export_network_edge_attributes(kb_engine, fmt):
    edge = graph(kb_engine, fmt).edges["CHN", "PRK"]
    # CONSULT and AGREE (verbal cooperation), AID (material cooperation), SANCTION (material conflict)
    assert (edge["verbal_cooperation"], edge["material_cooperation"], edge["verbal_conflict"],
            edge["material_conflict"]) == (2, 1, 0, 1)
    assert edge["reports"] == 5
    assert edge["net_cooperation"] == pytest.approx(0.5)
    assert edge["mean_score"] == pytest.approx((2.5 + 2.5 + 10.0 - 6.0) / 4)
    assert (edge["first_date"], edge["last_date"]) == ("1990-01-01", "2019-06-30")


@pytest.mark.parametrize("fmt", READERS)
def test_export_network_node_attributes(kb_engine, fmt):
    g = graph(kb_engine, fmt)
    assert g.nodes["PRK"]["label"] == "North Korea"
    assert (g.nodes["PRK"]["type"], g.nodes["PRK"]["iso3"], g.nodes["PRK"]["wikidata"]) == ("state", "PRK", "Q423")
    assert g.nodes["UN"]["type"] == "igo" and "iso3" not in g.nodes["UN"]
    assert g.nodes["CHN"]["events"] == 6


@pytest.mark.parametrize("fmt", READERS)
def test_export_network_respects_selection(kb_engine, fmt):
    g = graph(kb_engine, fmt, Selection(date_from="2019"))
    assert {(u, v): d["weight"] for u, v, d in g.edges(data=True)} == {
        ("CHN", "PRK"): 3, ("KOR", "CHN"): 1, ("PRK", "USA"): 1}


def test_export_network_conflict_edge_is_negative(kb_engine):
    edge = graph(kb_engine, "gexf").edges["CHN", "USA"]
    assert edge["net_cooperation"] == -1.0 and edge["material_conflict"] == 1
