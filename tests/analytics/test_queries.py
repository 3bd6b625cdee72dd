"""The analytics functions on a knowledge base of known content (tests/analytics/conftest.py).

Every test runs on SQLite and, when ``DIPLOGRAPH_TEST_PG`` is set, on PostgreSQL: the
same rows must come back from both.
"""
from __future__ import annotations

import pytest

from diplograph.analytics import (QueryError, actors_list, contradictions, dyad_series, figure_series, network,
                                  resolve_actor, timeline)


# --------------------------------------------------------------------------- timeline


def test_timeline_orders_dated_events_and_leaves_out_undated(kb):
    rows = timeline(kb.engine)
    assert [(row["date"], row["type"]) for row in rows] == [
        ("1950/1953", "ASSAULT"), ("1991", "AID"), ("2017", "SANCTION"), ("2017", "ACCUSE"),
        ("2017", "THREATEN"), ("2018", "AGREE"), ("2018-03", "CONSULT"), ("2019-06", "CONSULT")]
    assert "SUPPORT" not in {row["type"] for row in rows}  # undated: cannot be placed


def test_timeline_one_row_per_cluster_with_every_source(kb):
    talks = next(row for row in timeline(kb.engine, type="CONSULT") if row["date"] == "2018-03")
    assert talks["cluster_id"] == 1
    assert talks["n_sources"] == 2
    assert [source["document"] for source in talks["sources"]] == ["border.txt", "summit.txt"]
    assert all(source["text"].endswith(".") and source["end"] > source["start"] for source in talks["sources"])
    assert talks["source_names"][0] == "China" and talks["quad"] == "verbal cooperation"
    assert talks["score"] == 2.5


def test_timeline_sources_point_at_their_sentence(kb):
    from analytics_kb import DOCUMENTS

    for row in timeline(kb.engine):
        for source in row["sources"]:
            assert DOCUMENTS[source["document"]][source["start"]:source["end"]] == source["text"]


@pytest.mark.parametrize("filters, expected", [
    ({"actor": "USA"}, ["THREATEN"]),
    ({"actor": "United States"}, ["THREATEN"]),
    ({"actor": "CHN", "officials": False}, ["ASSAULT", "AID", "SANCTION", "ACCUSE", "AGREE", "CONSULT"]),
    ({"actor": "China"}, ["ASSAULT", "AID", "SANCTION", "ACCUSE", "AGREE", "CONSULT", "CONSULT"]),
    ({"dyad": "USA-PRK"}, ["THREATEN"]),
    ({"dyad": "CHN-USA"}, []),
    ({"type": "sanction"}, ["SANCTION"]),
    ({"type": "material conflict"}, ["ASSAULT", "SANCTION"]),
    ({"date_from": "2017", "date_to": "2017"}, ["SANCTION", "ACCUSE", "THREATEN"]),
    ({"date_from": "2018-02", "date_to": "2018-04"}, ["AGREE", "CONSULT"]),  # "2018" overlaps March 2018
    ({"date_to": "1952"}, ["ASSAULT"]),  # the war 1950/1953 overlaps any window that reaches 1950
    ({"date_from": "2019"}, ["CONSULT"]),
    ({"dyad": "PRK-CHN", "date_from": "2017", "type": "ACCUSE"}, ["ACCUSE"]),
    ({"limit": 2}, ["ASSAULT", "AID"]),
])
def test_timeline_filters(kb, filters, expected):
    assert [row["type"] for row in timeline(kb.engine, **filters)] == expected


@pytest.mark.parametrize("dyad", ["CHN-PRK", "PRK-CHN", "China,North Korea", ("DPRK", "chn")])
def test_timeline_dyad_is_order_insensitive_and_takes_names(kb, dyad):
    rows = timeline(kb.engine, dyad=dyad)
    assert [row["type"] for row in rows] == ["ASSAULT", "AID", "SANCTION", "ACCUSE", "AGREE", "CONSULT", "CONSULT"]


def test_timeline_flags_a_denied_event(kb):
    agree = next(row for row in timeline(kb.engine, type="AGREE"))
    assert agree["flags"] == ["negated"]


@pytest.mark.parametrize("filters, message", [
    ({"actor": "Atlantis"}, "no actor matches 'Atlantis'"),
    ({"dyad": "CHN"}, "a dyad is two actors"),
    ({"dyad": "CHN-China"}, "two different actors"),
    ({"type": "HUG"}, "unknown event type"),
    ({"date_from": "last spring"}, "not an EDTF date"),
])
def test_timeline_bad_input_is_one_clear_error(kb, filters, message):
    with pytest.raises(QueryError, match=message):
        timeline(kb.engine, **filters)


@pytest.mark.parametrize("text, expected", [
    ("PRK", "PRK"), ("prk", "PRK"), ("North Korea", "PRK"), ("DPRK", "PRK"), ("China", "CHN"),
    ("Xi Jinping", "XJP"), ("the customs office", "CUSTOMS_OFFICE"),
])
def test_resolve_actor_by_id_name_or_alias(kb, text, expected):
    with kb.engine.connect() as conn:
        assert resolve_actor(conn, text) == expected


# --------------------------------------------------------------------------- dyad series


def test_dyad_series_counts_each_quad_per_year(kb):
    rows = dyad_series(kb.engine, "CHN", "PRK")
    assert [row["period"] for row in rows] == ["1950", "1991", "2017", "2018", "2019"]
    by_year = {row["start"]: row for row in rows}
    assert by_year[1950]["material_conflict"] == 1 and by_year[1950]["net_cooperation"] == -1.0
    assert by_year[1991]["material_cooperation"] == 1 and by_year[1991]["mean_score"] == 10.0
    assert (by_year[2017]["verbal_conflict"], by_year[2017]["material_conflict"]) == (1, 1)
    assert by_year[2017]["mean_score"] == -4.5  # (SANCTION -6 + ACCUSE -3) / 2
    # Two documents tell the March 2018 talks: one event. The denied agreement is not counted.
    assert by_year[2018]["events"] == 1 and by_year[2018]["verbal_cooperation"] == 1
    # Xi meeting Kim counts for China - North Korea (office holders stand for their states).
    assert by_year[2019]["verbal_cooperation"] == 1


def test_dyad_series_by_decade_net_index(kb):
    rows = dyad_series(kb.engine, "North Korea", "China", by="decade")
    assert [(row["period"], row["events"], row["net_cooperation"], row["mean_score"]) for row in rows] == [
        ("1950s", 1, -1.0, -9.0), ("1990s", 1, 1.0, 10.0), ("2010s", 4, 0.0, -1.0)]
    quads = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
    assert all(sum(row[q] for q in quads) == row["events"] for row in rows)


def test_dyad_series_without_officials_leaves_leaders_out(kb):
    years = [row["start"] for row in dyad_series(kb.engine, "CHN", "PRK", officials=False)]
    assert 2019 not in years


def test_dyad_series_window_and_bad_period(kb):
    assert [row["period"] for row in dyad_series(kb.engine, "CHN", "PRK", date_from="2000")] == [
        "2017", "2018", "2019"]
    with pytest.raises(QueryError, match="--by"):
        dyad_series(kb.engine, "CHN", "PRK", by="month")


# --------------------------------------------------------------------------- figures


def test_figure_series_points_with_sources(kb):
    points = figure_series(kb.engine, measure="trade", subject="CHN,PRK")
    assert [(p["date"], p["value"], p["contradiction"]) for p in points] == [
        ("2014", 6.86e9, False), ("2023", 2.3e9, True), ("2023", 3.1e9, True)]
    agreed = points[0]
    assert agreed["n_sources"] == 2 and agreed["claim_id"] == 1 and agreed["unit"] == "USD"
    assert [source["document"] for source in agreed["sources"]] == ["border.txt", "summit.txt"]
    assert "$6.86 billion" in agreed["sources"][0]["text"]


@pytest.mark.parametrize("kwargs, expected", [
    ({}, [6.86e9, 2.3e9, 3.1e9, -4.5]),
    ({"subject": "North Korea, China"}, [6.86e9, 2.3e9, 3.1e9]),
    ({"subject": ["PRK"]}, [-4.5]),
    ({"measure": "ECONOMY"}, [-4.5]),
    ({"measure": "trade", "date_from": "2020"}, [2.3e9, 3.1e9]),
    ({"measure": "arms sales"}, []),
])
def test_figure_series_filters(kb, kwargs, expected):
    assert [point["value"] for point in figure_series(kb.engine, **kwargs)] == expected


# --------------------------------------------------------------------------- actors, network, contradictions


def test_actors_list_counts_mentions_and_events(kb):
    rows = {row["id"]: row for row in actors_list(kb.engine)}
    assert rows["PRK"]["events"] == 8 and rows["CHN"]["events"] == 7
    assert rows["CHN"]["documents"] == 3
    assert rows["UN"]["events"] == 0 and rows["UN"]["mentions"] == 1
    assert list(rows)[:2] == ["PRK", "CHN"]  # the most active first


@pytest.mark.parametrize("kind, expected", [
    ("state", {"CHN", "PRK", "USA"}), ("person", {"XJP", "KJU"}), ("org", {"UN", "CUSTOMS_OFFICE"}),
    ("igo", {"UN"}),
])
def test_actors_list_by_type(kb, kind, expected):
    assert {row["id"] for row in actors_list(kb.engine, type=kind)} == expected


def test_network_weights_and_net_cooperation(kb):
    graph = network(kb.engine)
    edges = {(edge["source"], edge["target"]): edge for edge in graph.edges}
    # CHN -> PRK: war, aid, sanction, talks, undated support (the denied agreement does not count)
    assert edges["CHN", "PRK"]["weight"] == 5
    assert (edges["CHN", "PRK"]["cooperation"], edges["CHN", "PRK"]["conflict"]) == (3, 2)
    assert edges["CHN", "PRK"]["net_cooperation"] == 0.2
    assert edges["USA", "PRK"]["net_cooperation"] == -1.0
    assert edges["XJP", "KJU"]["weight"] == 1
    assert {node["id"] for node in graph.nodes} == {"CHN", "PRK", "USA", "XJP", "KJU"}
    assert graph.nodes[0]["id"] == "PRK"


def test_network_in_a_window(kb):
    edges = {(e["source"], e["target"]): e["weight"] for e in network(kb.engine, "2017", "2018").edges}
    assert edges == {("CHN", "PRK"): 2, ("PRK", "CHN"): 2, ("USA", "PRK"): 1}


def test_network_as_networkx_graph(kb):
    graph = network(kb.engine).to_networkx()
    assert graph["CHN"]["PRK"]["weight"] == 5
    assert graph.nodes["XJP"]["type"] == "person"


def test_contradictions_list_each_source_value(kb):
    (claim,) = contradictions(kb.engine)
    assert (claim["measure"], claim["date"], claim["unit"]) == ("bilateral trade", "2023", "USD")
    assert sorted((source["document"], source["value"]) for source in claim["sources"]) == [
        ("summit.txt", 3.1e9), ("trade.txt", 2.3e9)]
