"""One way to print query results: ``--format table|json|csv`` for every command.

Commands build plain dicts and hand them to :func:`emit`, so a table a person reads,
JSON a program parses and CSV a spreadsheet opens all come from the same rows:

- ``json``: the rows as one JSON array (numbers stay numbers, lists stay lists);
- ``csv``: a header of every key, in first-seen order; a list or object cell is
  written as JSON, so nothing is lost and the file still has one value per cell;
- ``table``: a rich table; lists are joined with ", ", a source dict shows its
  document name, floats are shown with at most 4 significant digits.
"""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from typing import Any, Iterable, Optional, Sequence, TextIO

FORMATS = ("table", "json", "csv")
DB_HELP = ("Database: a SQLite path or sqlite:///PATH, or postgresql://USER@HOST:PORT/DB "
           "(default: $DIPLOGRAPH_DB or ./diplograph.db).")


class Format(str, Enum):
    """The choices of ``--format``, for Typer options."""

    table = "table"
    json = "json"
    csv = "csv"


def emit(rows: list[dict], fmt: str, title: str, *, columns: Optional[Sequence[str]] = None,
         stream: Optional[TextIO] = None) -> None:
    """Write ``rows`` to ``stream`` (stdout) as a table, JSON or CSV.

    rows (list[dict]): the result rows, all plain values (str, int, float, bool, None,
        lists and dicts of them).
    fmt (str): ``table``, ``json`` or ``csv`` (a :class:`Format` is accepted too).
    title (str): the table's caption (tables only).
    columns (Sequence[str] | None): the keys to show and their order; all keys when None.
        JSON keeps whole rows, CSV and tables keep only these columns.
    """
    fmt = fmt.value if isinstance(fmt, Enum) else fmt
    stream = stream or sys.stdout
    if fmt == "json":
        write_json(rows, stream)
    elif fmt == "csv":
        write_csv(rows, stream, columns)
    elif fmt == "table":
        write_table(rows, stream, title, columns)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_json(value: Any, stream: TextIO) -> None:
    """Any JSON-able value, indented, UTF-8 as is; dates and other objects as their str()."""
    json.dump(value, stream, indent=2, ensure_ascii=False, default=str)
    stream.write("\n")


def write_csv(rows: list[dict], stream: TextIO, columns: Optional[Sequence[str]] = None) -> None:
    fieldnames = list(columns) if columns else column_names(rows)
    writer = csv.DictWriter(stream, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(row.get(key)) for key in fieldnames})


def write_table(rows: list[dict], stream: TextIO, title: str,
                columns: Optional[Sequence[str]] = None) -> None:
    from rich.console import Console
    from rich.table import Table

    names = list(columns) if columns else column_names(rows)
    table = Table(title=f"{title} ({len(rows)})", show_lines=False, expand=False)
    for name in names:
        table.add_column(name, overflow="fold",
                         justify="right" if _numeric_column(rows, name) else "left")
    for row in rows:
        table.add_row(*(table_cell(row.get(name)) for name in names))
    width = None if stream.isatty() else 200  # pipes and files: wide rows, no hard wrapping
    Console(file=stream, width=width, highlight=False, soft_wrap=False).print(table)


def column_names(rows: Iterable[dict]) -> list[str]:
    """Every key of the rows, in the order keys are first seen."""
    names: dict[str, None] = {}
    for row in rows:
        for key in row:
            names.setdefault(key, None)
    return list(names)


def table_cell(value: Any) -> str:
    """How one value reads in a table cell (short, no JSON punctuation)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, dict):
        if "document" in value:
            return str(value["document"])
        return ", ".join(f"{k}={table_cell(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        cells = [table_cell(item) for item in value]
        return ", ".join(dict.fromkeys(cell for cell in cells if cell))  # a document named once
    return str(value)


def format_number(value: float) -> str:
    """Whole numbers in full (6860000000), others with 4 significant digits (0.3333)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.4g}"


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _numeric_column(rows: list[dict], name: str) -> bool:
    values = [row.get(name) for row in rows if row.get(name) is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
