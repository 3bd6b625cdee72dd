"""The query commands: every format parses back, plots are written, problems are one line.

Runs on the SQLite file of ``analytics_kb.py`` (``--db PATH``).
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from diplograph.cli import app

COMMANDS = [
    ["timeline", "--dyad", "CHN-PRK"],
    ["dyad", "CHN", "PRK"],
    ["figures", "--measure", "trade"],
    ["actors"],
    ["network"],
    ["contradictions"],
]


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, kb_path, *args: str):
    return runner.invoke(app, [*args, "--db", str(kb_path)])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_json_output_parses(runner, kb_path, command):
    result = invoke(runner, kb_path, *command, "--format", "json")
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert parsed  # every command has something to say about this knowledge base


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_csv_output_has_a_header_and_rows(runner, kb_path, command):
    result = invoke(runner, kb_path, *command, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_table_output_is_readable(runner, kb_path, command):
    result = invoke(runner, kb_path, *command)
    assert result.exit_code == 0, result.output
    assert "┃" in result.stdout and "{" not in result.stdout  # a table, not JSON


def test_timeline_json_keeps_sources(runner, kb_path):
    rows = json.loads(invoke(runner, kb_path, "timeline", "--type", "CONSULT", "--format", "json").stdout)
    talks = next(row for row in rows if row["date"] == "2018-03")
    assert [source["document"] for source in talks["sources"]] == ["border.txt", "summit.txt"]


def test_timeline_csv_is_flat(runner, kb_path):
    result = invoke(runner, kb_path, "timeline", "--actor", "United States", "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["date"], row["type"], row["source"], row["target"], row["documents"]) == (
        "2017", "THREATEN", "United States", "North Korea", "border.txt")


def test_dyad_csv_numbers(runner, kb_path):
    result = invoke(runner, kb_path, "dyad", "PRK", "CHN", "--by", "decade", "--format", "csv")
    rows = {row["period"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["2010s"]["events"] == "4" and float(rows["2010s"]["net_cooperation"]) == 0.0


def test_figures_table_marks_contradictions(runner, kb_path):
    rows = json.loads(invoke(runner, kb_path, "figures", "--subject", "CHN,PRK", "--format", "json").stdout)
    assert {(row["value"], row["contradiction"]) for row in rows} == {(6.86e9, False), (2.3e9, True), (3.1e9, True)}


@pytest.mark.parametrize("command, suffix", [
    (["dyad", "CHN", "PRK"], "png"), (["dyad", "CHN", "PRK", "--by", "decade"], "svg"),
    (["figures", "--measure", "trade"], "png"), (["figures"], "svg"),
    (["network"], "png"), (["network", "--from", "2017"], "svg"),
])
def test_plot_option_writes_the_file(runner, kb_path, tmp_path, command, suffix):
    target = tmp_path / f"chart.{suffix}"
    result = invoke(runner, kb_path, *command, "--plot", str(target), "--format", "json")
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 1000


@pytest.mark.parametrize("args, status, message", [
    (["timeline", "--actor", "Atlantis"], 2, "no actor matches 'Atlantis'"),
    (["timeline", "--from", "soon"], 2, "not an EDTF date"),
    (["dyad", "CHN", "CHN"], 2, "two different actors"),
    (["dyad", "CHN", "PRK", "--plot", "chart.gif"], 1, "a plot file ends in"),
    (["dyad", "USA", "CHN", "--plot", "chart.png"], 1, "nothing to draw"),
])
def test_problems_are_one_line(runner, kb_path, args, status, message):
    result = invoke(runner, kb_path, *args)
    assert result.exit_code == status
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_missing_knowledge_base_is_not_created(runner, tmp_path):
    missing = tmp_path / "none.db"
    result = runner.invoke(app, ["actors", "--db", str(missing)])
    assert result.exit_code == 1 and "run `diplograph ingest` first" in result.stderr
    assert not missing.exists()
