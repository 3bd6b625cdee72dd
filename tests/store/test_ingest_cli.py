"""``diplograph ingest / documents / show / forget`` through the command line, on SQLite and PostgreSQL.

Each problem must be one line on stderr with a non-zero exit, and nothing stored may be lost.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from store_helpers import table_counts

pytestmark = pytest.mark.slow

REPORTS = {
    "hanoi-visit.txt": ("HANOI, November 12, 2023 -- Vietnam and the United States agreed to expand cooperation "
                        "on semiconductors during a visit by the American secretary of state, the Vietnamese "
                        "foreign ministry said. Trade between the two countries reached $124 billion in 2022."),
    "ankara-talks.txt": ("ANKARA, February 7, 2020 -- Turkey accused Russia of violating the ceasefire in Idlib, "
                         "and the two governments held talks in Moscow on Monday. Turkish officials said bilateral "
                         "trade fell to $26 billion in 2019."),
}


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def cli(nlp):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return invoke


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def summary(result) -> str:
    return stderr_lines(result)[-1]


def test_ingest_cli_stores_reruns_and_replaces(cli, inputs, store_url):
    files = sorted(str(path) for path in inputs.iterdir())
    first = cli("ingest", *files, "--db", store_url)
    assert first.exit_code == 0, first.stderr
    assert summary(first).startswith("diplograph: ingest: 2 added, 0 replaced, 0 skipped, 0 failed")
    counts = table_counts(store_url)
    again = cli("ingest", *files, "--db", store_url)
    assert again.exit_code == 0
    assert summary(again).startswith("diplograph: ingest: 0 added, 0 replaced, 2 skipped, 0 failed")
    assert table_counts(store_url) == counts
    (inputs / "ankara-talks.txt").write_text(REPORTS["ankara-talks.txt"].replace("$26 billion", "$21 billion"))
    changed = cli("ingest", *files, "--db", store_url)
    assert summary(changed).startswith("diplograph: ingest: 0 added, 1 replaced, 1 skipped, 0 failed")
    listed = json.loads(cli("documents", "--db", store_url, "--format", "json").stdout)
    assert sorted(row["name"] for row in listed) == ["ankara-talks", "hanoi-visit"]


def test_ingest_cli_corrupt_input_fails_alone(cli, inputs, store_url):
    (inputs / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj broken beyond repair")
    files = [str(inputs / "hanoi-visit.txt"), str(inputs / "scan.pdf"), str(inputs / "ankara-talks.txt")]
    result = cli("ingest", *files, "--db", store_url)
    assert result.exit_code == 1
    lines = stderr_lines(result)
    assert len(lines) == 2 and lines[0].startswith(f"diplograph: {inputs / 'scan.pdf'}: ")
    assert summary(result).startswith("diplograph: ingest: 2 added, 0 replaced, 0 skipped, 1 failed")


def test_ingest_cli_show_and_forget(cli, inputs, store_url):
    cli("ingest", str(inputs / "hanoi-visit.txt"), "--db", store_url)
    shown = json.loads(cli("show", "hanoi-visit", "--db", store_url, "--format", "json").stdout)
    assert shown["document"]["id"] == "hanoi-visit"
    assert {"VNM", "USA"} <= {actor["id"] for actor in shown["actors"]}
    assert any(q["value"] == 124e9 for q in shown["quantities"])
    rows = list(csv.DictReader(io.StringIO(cli("show", "hanoi-visit", "--db", store_url, "-f", "csv").stdout)))
    assert {row["kind"] for row in rows} >= {"actor", "event", "quantity", "timex"}
    assert "$124 billion" in cli("show", "hanoi-visit", "--db", store_url).stdout
    forgotten = cli("forget", "hanoi-visit", "--db", store_url)
    assert forgotten.exit_code == 0
    assert json.loads(cli("documents", "--db", store_url, "-f", "json").stdout) == []
    again = cli("forget", "hanoi-visit", "--db", store_url)
    assert again.exit_code == 1 and stderr_lines(again) == [
        f"diplograph: hanoi-visit: no such document in {_display(store_url)} (see `diplograph documents`)"]
    missing = cli("show", "hanoi-visit", "--db", store_url)
    assert missing.exit_code == 1 and len(stderr_lines(missing)) == 1


def _display(url: str) -> str:
    return url.removeprefix("sqlite:///")


def test_ingest_cli_default_database_from_environment(cli, inputs, tmp_path, monkeypatch):
    path = tmp_path / "env.db"
    monkeypatch.setenv("DIPLOGRAPH_DB", str(path))
    assert cli("ingest", str(inputs / "hanoi-visit.txt")).exit_code == 0
    assert table_counts(str(path))["documents"] == 1


def test_ingest_cli_stdin_documents_do_not_replace_each_other(cli, tmp_path):
    db = str(tmp_path / "kb.db")
    for text in REPORTS.values():
        assert cli("ingest", "-", "--db", db, input=text).exit_code == 0
    names = [row["name"] for row in json.loads(cli("documents", "--db", db, "-f", "json").stdout)]
    assert len(names) == 2 and all(name.startswith("stdin-") for name in names)


def test_ingest_cli_locked_database_fails_each_document_and_goes_on(cli, inputs, tmp_path):
    db = tmp_path / "kb.db"
    cli("ingest", str(inputs / "hanoi-visit.txt"), "--db", str(db))
    (inputs / "third.txt").write_text("PARIS, May 2, 2018 -- France and Germany signed a defence agreement.")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
    try:
        result = cli("ingest", str(inputs / "ankara-talks.txt"), str(inputs / "third.txt"), "--db", str(db),
                     "--busy-timeout", "0.2")
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    lines = stderr_lines(result)
    assert [line.split(": ", 2)[2].split(":")[0] for line in lines[:2]] == ["database is locked"] * 2
    assert summary(result).startswith("diplograph: ingest: 0 added, 0 replaced, 0 skipped, 2 failed")
    assert table_counts(str(db))["documents"] == 1


def test_ingest_cli_unreachable_postgresql_is_one_line(cli, inputs):
    result = cli("ingest", str(inputs / "hanoi-visit.txt"), "--db", "postgresql://postgres@127.0.0.1:1/kb")
    assert result.exit_code == 1
    assert stderr_lines(result) == [line for line in stderr_lines(result)
                                    if line.startswith("diplograph: cannot connect to the database")]
    assert len(stderr_lines(result)) == 1


def test_ingest_cli_not_a_database(cli, inputs, tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00spreadsheet" * 300)
    for command in (["ingest", str(inputs / "hanoi-visit.txt")], ["documents"], ["show", "x"], ["forget", "x"]):
        result = cli(*command, "--db", str(path))
        assert result.exit_code == 1
        assert stderr_lines(result) == [f"diplograph: {path}: file is not a database (not a SQLite file, or "
                                        f"encrypted); give another --db"]


def test_ingest_cli_full_disk_stops_the_batch_and_keeps_what_is_stored(cli, inputs, tmp_path, monkeypatch):
    import diplograph.store.db as db_module

    db = tmp_path / "kb.db"
    cli("ingest", str(inputs / "hanoi-visit.txt"), "--db", str(db))
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]
    real_create_engine = db_module.create_engine

    def capped_engine(*args, **kwargs):  # the database cannot grow, as on a full disk
        from sqlalchemy import event

        engine = real_create_engine(*args, **kwargs)
        event.listen(engine, "connect", lambda conn, _: conn.execute(f"PRAGMA max_page_count = {pages}"))
        return engine

    monkeypatch.setattr(db_module, "create_engine", capped_engine)
    (inputs / "long.txt").write_text(" ".join([REPORTS["ankara-talks.txt"].replace("2020", "2021")] * 60))
    result = cli("ingest", str(inputs / "long.txt"), str(inputs / "ankara-talks.txt"), "--db", str(db))
    assert result.exit_code == 1
    lines = stderr_lines(result)
    assert len(lines) == 2 and "the disk is full" in lines[0]
    assert lines[1].startswith("diplograph: ingest: 0 added, 0 replaced, 0 skipped, 1 failed")
    assert lines[1].endswith("stopped before the end of the inputs")
    monkeypatch.undo()
    assert [row["name"] for row in json.loads(cli("documents", "--db", str(db), "-f", "json").stdout)] == \
        ["hanoi-visit"]


def test_ingest_cli_dask_engine_missing_is_one_line(cli, inputs, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "diplograph.engine", None)  # as if the module were not installed
    result = cli("ingest", str(inputs / "hanoi-visit.txt"), "--engine", "dask", "--db", str(tmp_path / "kb.db"))
    assert result.exit_code == 1
    assert len(stderr_lines(result)) == 1 and stderr_lines(result)[0].startswith(
        "diplograph: --engine dask: the Dask engine is not available")


def test_ingest_cli_scheduler_needs_dask(cli, inputs, tmp_path):
    result = cli("ingest", str(inputs / "hanoi-visit.txt"), "--scheduler", "tcp://127.0.0.1:8786",
                 "--db", str(tmp_path / "kb.db"))
    assert result.exit_code == 2 and len(stderr_lines(result)) == 1
