"""``diplograph export``: the registry and the command line around it."""
from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

import diplograph.store
from diplograph.cli import app
from diplograph.export import FORMATS, ExportUsageError, Selection, export, get_format, register

BUILT_IN = {"jsonl", "csv", "parquet", "polecat", "timelinejs", "gexf", "graphml"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def store_of(monkeypatch, kb_engine):
    """``Store(url)`` answering with the test knowledge base, whatever the store module holds."""
    opened = []

    class TestStore:
        def __init__(self, url=None):
            opened.append(url)
            self.engine = kb_engine

        def close(self):
            pass

    monkeypatch.setattr(diplograph.store, "Store", TestStore, raising=False)
    return opened


def test_export_registry_lists_built_in_formats():
    assert BUILT_IN <= set(FORMATS)
    assert {FORMATS[name].target for name in ("csv", "parquet")} == {"directory"}
    assert {FORMATS[name].target for name in ("gexf", "graphml")} == {"binary"}


def test_export_registry_takes_a_new_format(kb_engine, monkeypatch):
    monkeypatch.setitem(FORMATS, "dyads", FORMATS["jsonl"])  # restored after the test

    @register("dyads", target="text", suffix=".tsv", help="source, target, type: one event a line.")
    def write_dyads(kb, out) -> int:
        events = kb.events()
        for e in events:
            out.write(f"{','.join(e['source'])}\t{','.join(e['target'])}\t{e['type']}\n")
        return len(events)

    out = io.StringIO()
    assert export(kb_engine, "dyads", out, Selection(actor="USA")) == 2
    assert out.getvalue().splitlines() == ["CHN\tUSA\tASSAULT", "PRK\tUSA\tACCUSE"]


def test_export_registry_names_known_formats_on_a_typo():
    with pytest.raises(ExportUsageError, match="choose one of .*timelinejs"):
        get_format("timeline")


@pytest.mark.parametrize("fmt, parse, count", [
    ("jsonl", lambda out: [json.loads(line) for line in out.splitlines()], 34),
    ("polecat", lambda out: [json.loads(line) for line in out.splitlines()], 10),
    ("timelinejs", lambda out: json.loads(out)["events"], 7),
])
def test_export_cli_text_formats_go_to_stdout(runner, store_of, fmt, parse, count):
    result = runner.invoke(app, ["export", "--format", fmt, "--db", "sqlite:///kb.db"])
    assert result.exit_code == 0, result.output
    assert len(parse(result.stdout)) == count
    assert store_of == ["sqlite:///kb.db"]


def test_export_cli_network_to_stdout(runner, store_of):
    result = runner.invoke(app, ["export", "-f", "graphml"])
    assert result.exit_code == 0
    assert nx.read_graphml(io.BytesIO(result.stdout_bytes)).number_of_edges() == 5


def test_export_cli_writes_a_file_whole(runner, store_of, tmp_path):
    target = tmp_path / "network.gexf"
    result = runner.invoke(app, ["export", "-f", "gexf", "-o", str(target), "--from", "2019"])
    assert result.exit_code == 0
    assert nx.read_gexf(target).number_of_edges() == 3
    assert "exported 3 edges" in result.stderr
    assert list(tmp_path.iterdir()) == [target]  # no .part left behind


def test_export_cli_tables_into_a_directory(runner, store_of, tmp_path):
    result = runner.invoke(app, ["export", "-f", "parquet", "-o", str(tmp_path / "kb"), "--actor", "Pyongyang"])
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "kb").iterdir()) == [
        "actors.parquet", "documents.parquet", "events.parquet", "quantities.parquet", "statements.parquet"]


@pytest.mark.parametrize("args, status, message", [
    (["-f", "csv"], 2, "give a directory with -o DIR"),
    (["-f", "excel"], 2, "unknown format 'excel'"),
    (["-f", "jsonl", "--from", "the nineties"], 2, "--from: 'the nineties' is not an EDTF date"),
    (["-f", "polecat", "--actor", "Ruritania"], 1, "--actor: no stored actor"),
])
def test_export_cli_refuses_in_one_line(runner, store_of, args, status, message):
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == status
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_export_cli_unreadable_database_is_one_line(runner, monkeypatch, tmp_path):
    from sqlalchemy import create_engine

    class BrokenStore:
        def __init__(self, url=None):
            self.engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'kb.db'}")

        def close(self):
            self.engine.dispose()

    monkeypatch.setattr(diplograph.store, "Store", BrokenStore, raising=False)
    result = runner.invoke(app, ["export", "-f", "jsonl", "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    assert "cannot export" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "out.jsonl.part").exists()
