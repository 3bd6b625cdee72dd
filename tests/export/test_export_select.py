"""What --from, --to and --actor keep: the same rows in every format."""
from __future__ import annotations

import pytest

from diplograph.export import ExportError, ExportUsageError, KBReader, Selection

ALL_EVENTS = {("visit-2019", f"ev-{n}") for n in range(1, 7)} | {("review-2020", f"ev-{n}") for n in range(1, 5)}


def selected_events(engine, selection: Selection) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return {(e["document"], e["local_id"]) for e in KBReader(conn, selection).events()}


@pytest.mark.parametrize("selection, expected", [
    (Selection(), ALL_EVENTS),
    # the window keeps what overlaps it; the undated ev-6 cannot be placed and is left out;
    # "199X/.." (from the 1990s on) is still running in 2019
    (Selection(date_from="2019", date_to="2019"),
     {("visit-2019", "ev-1"), ("visit-2019", "ev-2"), ("visit-2019", "ev-4"), ("visit-2019", "ev-5"),
      ("review-2020", "ev-1"), ("review-2020", "ev-2"), ("review-2020", "ev-3")}),
    (Selection(date_to="1989"), {("review-2020", "ev-4")}),
    (Selection(date_from="2019-07"), {("review-2020", "ev-2"), ("review-2020", "ev-3")}),
    (Selection(date_from="1951", date_to="1952-06"), {("review-2020", "ev-4")}),
    # an actor by id, by name or by alias, case aside, as source or target
    (Selection(actor="USA"), {("review-2020", "ev-2"), ("review-2020", "ev-4")}),
    (Selection(actor="united states"), {("review-2020", "ev-2"), ("review-2020", "ev-4")}),
    (Selection(actor="Seoul"), {("visit-2019", "ev-5"), ("visit-2019", "ev-6")}),
    (Selection(actor="UN", date_from="2018"), set()),
    (Selection(actor="PRK", date_from="2019-12", date_to="2020"), {("review-2020", "ev-2"), ("review-2020", "ev-3")}),
])
def test_export_selection_keeps_overlapping_events(kb_engine, selection, expected):
    assert selected_events(kb_engine, selection) == expected


def test_export_events_carry_actors_and_cluster_size(kb_engine):
    with kb_engine.connect() as conn:
        events = {(e["document"], e["local_id"]): e for e in KBReader(conn).events()}
    assert events[("visit-2019", "ev-3")]["source"] == ["CHN", "UN"]
    assert events[("visit-2019", "ev-3")]["target"] == ["PRK"]
    # the agreement both reports tell is one cluster with two sources
    assert events[("visit-2019", "ev-2")]["cluster_id"] == events[("review-2020", "ev-1")]["cluster_id"]
    assert events[("visit-2019", "ev-2")]["n_sources"] == events[("review-2020", "ev-1")]["n_sources"] == 2


def test_export_events_come_in_date_order_undated_last(kb_engine):
    with kb_engine.connect() as conn:
        days = [e["date_lo"] for e in KBReader(conn).events()]
    dated = [d for d in days if d is not None]
    assert dated == sorted(dated)
    assert days[-1] is None


@pytest.mark.parametrize("selection, kept_figures, kept_statements", [
    (Selection(), 2, 1),
    (Selection(actor="CHN"), 2, 0),
    (Selection(actor="KOR"), 0, 1),
    (Selection(date_from="2019"), 0, 1),
    (Selection(date_to="2018"), 2, 0),
])
def test_export_selection_narrows_figures_and_statements(kb_engine, selection, kept_figures, kept_statements):
    with kb_engine.connect() as conn:
        reader = KBReader(conn, selection)
        assert len(reader.quantities()) == kept_figures
        assert len(reader.statements()) == kept_statements


@pytest.mark.parametrize("selection, error, option", [
    (Selection(date_from="last spring"), ExportUsageError, "--from"),
    (Selection(date_to="2019-13-45"), ExportUsageError, "--to"),
    (Selection(actor="Atlantis"), ExportError, "--actor"),
])
def test_export_selection_rejects_what_it_cannot_read(kb_engine, selection, error, option):
    with kb_engine.connect() as conn:
        with pytest.raises(error, match=option):
            KBReader(conn, selection)
