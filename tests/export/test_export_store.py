"""End to end: documents ingested by ``Store`` come back whole through every export."""
from __future__ import annotations

import io
import json

import networkx as nx
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.export import export
from export_helpers import by_document, comparable

store_module = pytest.importorskip("diplograph.store.db", reason="the store (diplograph/store/db.py) is not there yet")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, extractions) -> str:
    path = tmp_path_factory.mktemp("store") / "kb.db"
    with store_module.Store(str(path)) as store:
        for extraction in extractions:
            assert store.ingest(extraction).status == "added"
    return str(path)


def test_export_after_ingest_gives_back_every_record(ingested, extractions):
    with store_module.Store(ingested) as store:
        out = io.StringIO()
        export(store.engine, "jsonl", out)
    documents = by_document([json.loads(line) for line in out.getvalue().splitlines()])
    for extraction in extractions:
        assert (sorted(comparable(r) for r in documents[extraction.document.id])
                == sorted(comparable(r) for r in extraction.records()))


def test_export_cli_reads_the_store_it_is_given(ingested, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["export", "-f", "polecat", "--db", ingested])
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 10
    result = runner.invoke(app, ["export", "-f", "gexf", "--db", ingested, "-o", str(tmp_path / "kb.gexf")])
    assert result.exit_code == 0 and nx.read_gexf(tmp_path / "kb.gexf").number_of_nodes() == 5
    result = runner.invoke(app, ["export", "-f", "parquet", "--db", ingested, "-o", str(tmp_path / "tables")])
    assert result.exit_code == 0 and pq.read_table(tmp_path / "tables" / "events.parquet").num_rows == 10
