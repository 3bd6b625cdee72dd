"""The issue's bar on the shared seed: ingest it, then ask the dyad and figure questions.

Needs ``../shared`` (skipped without it) and the spaCy model (marked slow).
"""
from __future__ import annotations

import pytest

from diplograph.analytics import dyad_series, figure_series, timeline

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, shared_dir, nlp):
    from diplograph.pipeline import extract_document
    from diplograph.read.dateline import make_document
    from diplograph.store import Store

    text = (shared_dir / "eval" / "seed.txt").read_text(encoding="utf-8")
    store = Store(str(tmp_path_factory.mktemp("seed") / "kb.db"))
    store.ingest(extract_document(make_document(text, doc_id="seed.txt")), name="seed.txt")
    yield store
    store.close()


def test_seed_dyad_spans_1950_to_2023_with_cooperation_and_conflict(seed_store):
    rows = dyad_series(seed_store, "CHN", "PRK")
    assert rows[0]["start"] == 1950 and rows[-1]["start"] == 2023
    total = {key: sum(row[key] for row in rows)
             for key in ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")}
    assert total["verbal_cooperation"] and total["material_cooperation"]
    assert total["verbal_conflict"] and total["material_conflict"]
    assert all(-1.0 <= row["net_cooperation"] <= 1.0 for row in rows)
    decades = dyad_series(seed_store, "China", "North Korea", by="decade")
    assert sum(row["events"] for row in decades) == sum(row["events"] for row in rows)


def test_seed_timeline_cites_the_seed(seed_store):
    rows = timeline(seed_store, dyad="CHN-PRK")
    assert rows and all(source["document"] == "seed.txt" for row in rows for source in row["sources"])


def test_seed_trade_figures_for_china_and_north_korea(seed_store):
    points = figure_series(seed_store, subject="CHN,PRK")
    usd = {(point["date"], point["value"]) for point in points if point["unit"] == "USD"}
    assert {("2014", 6.86e9), ("2023", 2.3e9)} <= usd
    assert all(source["document"] == "seed.txt" for point in points for source in point["sources"])


def test_seed_trade_figures_by_measure(seed_store):
    points = figure_series(seed_store, measure="bilateral trade")
    usd = {(point["date"], point["value"]) for point in points if point["unit"] == "USD"}
    assert {("2014", 6.86e9), ("2023", 2.3e9)} <= usd
    assert all(source["document"] == "seed.txt" for point in points for source in point["sources"])
