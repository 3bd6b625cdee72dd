"""csv and parquet: one file per table, read back by the csv module and by pyarrow."""
from __future__ import annotations

import csv
import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from diplograph.export import ExportError, Selection
from export_helpers import run_export

ROWS = {"events": 10, "quantities": 2, "statements": 1, "actors": 7, "documents": 2}


def read_csv(folder, table: str) -> list[dict]:
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("table, rows", ROWS.items())
def test_export_csv_writes_every_row(kb_engine, tmp_path, table, rows):
    assert len(read_csv(run_export(kb_engine, "csv", tmp_path), table)) == rows


def test_export_csv_cells(kb_engine, tmp_path):
    folder = run_export(kb_engine, "csv", tmp_path)
    events = {(e["document"], e["local_id"]): e for e in read_csv(folder, "events")}
    sanction = events[("visit-2019", "ev-3")]
    assert sanction["source_ids"] == "CHN;UN" and sanction["target_ids"] == "PRK"
    assert (sanction["date"], sanction["date_lo"], sanction["date_hi"]) == ("2017", "2017-01-01", "2017-12-31")
    assert sanction["evidence"].startswith("In 2017, China had backed")
    assert events[("visit-2019", "ev-4")]["negated"] == "true"
    aid = events[("review-2020", "ev-3")]
    assert (aid["date_lo"], aid["date_hi"]) == ("1990-01-01", "")  # from the 1990s on: no end
    undated = events[("visit-2019", "ev-6")]
    assert (undated["date"], undated["date_lo"]) == ("", "")
    assert events[("review-2020", "ev-1")]["n_sources"] == "2"
    actors = {a["id"]: a for a in read_csv(folder, "actors")}
    north = actors["PRK"]
    assert (north["iso3"], north["wikidata"], north["aliases"]) == ("PRK", "Q423", "Pyongyang;DPRK")
    figures = read_csv(folder, "quantities")
    assert sorted(float(f["value"]) for f in figures) == [2.4e9, 2.8e9]
    assert {f["contradiction"] for f in figures} == {"true"}


@pytest.mark.parametrize("table, rows", ROWS.items())
def test_export_parquet_writes_every_row(kb_engine, tmp_path, table, rows):
    assert pq.read_table(run_export(kb_engine, "parquet", tmp_path) / f"{table}.parquet").num_rows == rows


@pytest.mark.parametrize("table, column, arrow_type", [
    ("events", "id", pa.int64()), ("events", "n_sources", pa.int64()), ("events", "score", pa.float64()),
    ("events", "source_ids", pa.list_(pa.string())), ("events", "date_lo", pa.date32()),
    ("events", "negated", pa.bool_()), ("events", "evidence", pa.string()),
    ("quantities", "value", pa.float64()), ("quantities", "subject_ids", pa.list_(pa.string())),
    ("statements", "direct", pa.bool_()), ("actors", "aliases", pa.list_(pa.string())),
    ("documents", "words", pa.int64()),
])
def test_export_parquet_column_types(kb_engine, tmp_path, table, column, arrow_type):
    schema = pq.read_table(run_export(kb_engine, "parquet", tmp_path) / f"{table}.parquet").schema
    assert schema.field(column).type == arrow_type


def test_export_parquet_values(kb_engine, tmp_path):
    events = pq.read_table(run_export(kb_engine, "parquet", tmp_path) / "events.parquet").to_pylist()
    assault = next(e for e in events if e["type"] == "ASSAULT")
    assert assault["source_ids"] == ["CHN"] and assault["target_ids"] == ["USA"]
    assert (assault["date_lo"], assault["date_hi"]) == (dt.date(1950, 1, 1), dt.date(1953, 12, 31))
    assert assault["negated"] is False and assault["score"] == -9.0


def test_export_tables_narrowed_keep_what_kept_rows_name(kb_engine, tmp_path):
    folder = run_export(kb_engine, "csv", tmp_path, Selection(actor="USA"))
    assert {e["local_id"] for e in read_csv(folder, "events")} == {"ev-2", "ev-4"}
    assert {a["id"] for a in read_csv(folder, "actors")} == {"CHN", "PRK", "USA"}
    assert [d["name"] for d in read_csv(folder, "documents")] == ["review-2020"]
    assert read_csv(folder, "quantities") == []


def test_export_tables_refuse_a_file_as_directory(kb_engine, tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("already here")
    from diplograph.export import export

    with pytest.raises(ExportError, match="directory"):
        export(kb_engine, "csv", target)
    assert target.read_text() == "already here"
