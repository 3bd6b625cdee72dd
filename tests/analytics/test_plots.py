"""Charts: written as PNG and SVG from query rows, clear errors when there is nothing to draw."""
from __future__ import annotations

import pytest

from diplograph import plots
from diplograph.analytics import Network

DYAD_ROWS = [
    {"period": "1950", "start": 1950, "verbal_cooperation": 0, "material_cooperation": 0, "verbal_conflict": 1,
     "material_conflict": 2, "events": 3, "mean_score": -7.0, "net_cooperation": -1.0},
    {"period": "1951", "start": 1951, "verbal_cooperation": 1, "material_cooperation": 1, "verbal_conflict": 0,
     "material_conflict": 0, "events": 2, "mean_score": 6.0, "net_cooperation": 1.0},
    {"period": "1960", "start": 1960, "verbal_cooperation": 1, "material_cooperation": 0, "verbal_conflict": 1,
     "material_conflict": 0, "events": 2, "mean_score": -0.25, "net_cooperation": 0.0},
]
POINTS = [
    {"measure": "bilateral trade", "subject": ["AAA", "BBB"], "unit": "USD", "value": 1.2e9, "bound": "eq",
     "date": "2010", "date_from": "2010-01-01", "date_to": "2010-12-31", "claim_id": 1, "contradiction": False,
     "n_sources": 1, "sources": [{"document": "a.txt", "start": 0, "end": 10, "text": "..."}]},
    {"measure": "bilateral trade", "subject": ["AAA", "BBB"], "unit": "USD", "value": 1.5e9, "bound": "eq",
     "date": "2012", "date_from": "2012-01-01", "date_to": "2012-12-31", "claim_id": 2, "contradiction": True,
     "n_sources": 1, "sources": [{"document": "a.txt", "start": 0, "end": 10, "text": "..."}]},
    {"measure": "bilateral trade", "subject": ["AAA", "BBB"], "unit": "USD", "value": 1.9e9, "bound": "eq",
     "date": "2012", "date_from": "2012-01-01", "date_to": "2012-12-31", "claim_id": 2, "contradiction": True,
     "n_sources": 1, "sources": [{"document": "b.txt", "start": 0, "end": 10, "text": "..."}]},
    {"measure": "troops", "subject": ["AAA"], "unit": "person", "value": 28500, "bound": "approx",
     "date": None, "date_from": None, "date_to": None, "claim_id": None, "contradiction": False,
     "n_sources": 1, "sources": [{"document": "b.txt", "start": 0, "end": 10, "text": "..."}]},
]
NETWORK = Network(
    nodes=[{"id": "AAA", "name": "Aland", "type": "state", "events": 4},
           {"id": "BBB", "name": "Bland", "type": "state", "events": 3},
           {"id": "CCC", "name": "Cland", "type": "state", "events": 1}],
    edges=[{"source": "AAA", "target": "BBB", "weight": 3, "cooperation": 1, "conflict": 2, "net_cooperation": -0.333},
           {"source": "CCC", "target": "AAA", "weight": 1, "cooperation": 1, "conflict": 0, "net_cooperation": 1.0}])


def _draw(kind: str, path):
    if kind == "dyad":
        return plots.plot_dyad(DYAD_ROWS, path, title="Aland - Bland")
    if kind == "figures":
        return plots.plot_figures(POINTS, path, title="trade")
    return plots.plot_network(NETWORK, path, title="network")


@pytest.mark.parametrize("kind", ["dyad", "figures", "network"])
@pytest.mark.parametrize("suffix, signature", [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_plot_writes_a_real_image(tmp_path, kind, suffix, signature):
    written = _draw(kind, tmp_path / f"{kind}.{suffix}")
    data = written.read_bytes()
    assert len(data) > 2000
    assert signature in data[:600]


def test_figures_plot_annotates_disagreeing_sources(tmp_path):
    svg = plots.plot_figures(POINTS, tmp_path / "f.svg").read_text()
    assert "1.5 bn (a.txt)" in svg and "1.9 bn (b.txt)" in svg
    assert "sources disagree" in svg


def test_dyad_plot_keeps_a_gap_between_silent_years():
    xs, ys = plots._broken_line([1950, 1951, 1960], [-1.0, 1.0, 0.0], step=1)
    assert xs[:2] == [1950, 1951] and xs[2] != xs[2]  # NaN: the line stops over 1952-1959


@pytest.mark.parametrize("call, message", [
    (lambda path: plots.plot_dyad([], path), "nothing to draw"),
    (lambda path: plots.plot_figures(POINTS[3:], path), "nothing to draw"),
    (lambda path: plots.plot_network(Network(), path), "nothing to draw"),
])
def test_empty_results_say_so(tmp_path, call, message):
    with pytest.raises(plots.PlotError, match=message):
        call(tmp_path / "x.png")


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(plots.PlotError, match="ends in .png, .svg, .pdf"):
        plots.plot_dyad(DYAD_ROWS, tmp_path / "x.jpg")
