"""Exports of the knowledge base to the formats other tools read.

A small registry: each format is a name, a writer function and the kind of target it
writes to. An analyst adds a format with::

    from diplograph.export import register

    @register("myformat", target="text", suffix=".txt", help="One line per event.")
    def write_myformat(kb: KBReader, out: TextIO) -> int:
        for event in kb.events():
            out.write(f"{event['date']}\\t{event['type']}\\n")
        return len(...)

and ``diplograph export --format myformat`` finds it. A writer returns how many items
(records, rows, slides, edges) it wrote. Targets:

- ``text``: a text stream (stdout when no ``-o``): jsonl, polecat, timelinejs;
- ``binary``: a byte stream (stdout's buffer when no ``-o``): gexf, graphml;
- ``directory``: a folder created if needed, one file per table: csv, parquet.

Built-in formats (each module's docstring gives the details): ``jsonl`` (evaluation
records per document), ``csv`` and ``parquet`` (events, quantities, statements,
actors, documents), ``polecat`` (PLOVER JSON Lines), ``timelinejs`` (TimelineJS3 JSON),
``gexf`` and ``graphml`` (the actor network).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Literal, Optional, Union

from sqlalchemy.engine import Engine

from diplograph.export.select import ExportError, ExportUsageError, KBReader, Selection

Target = Literal["text", "binary", "directory"]
Writer = Callable[[KBReader, Union[IO, Path]], int]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One registered format: how to call it and what it writes to."""

    name: str
    write: Writer
    target: Target
    suffix: str
    help: str


FORMATS: dict[str, ExportFormat] = {}


def register(name: str, *, target: Target, suffix: str, help: str) -> Callable[[Writer], Writer]:
    """Decorator that adds a writer to the registry under ``name`` (a later one replaces it)."""
    if target not in ("text", "binary", "directory"):
        raise ValueError(f"unknown export target {target!r}")

    def add(write: Writer) -> Writer:
        FORMATS[name] = ExportFormat(name=name, write=write, target=target, suffix=suffix, help=help)
        return write

    return add


def get_format(name: str) -> ExportFormat:
    """The registered format called ``name``, or an ExportError listing the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ExportUsageError(f"--format: unknown format {name!r}; choose one of {known}") from None


def export(engine: Engine, fmt: str, out: Union[IO, Path], selection: Optional[Selection] = None) -> int:
    """Write the selected part of the knowledge base in one format, in one read transaction.

    engine (Engine): the store's engine (``Store(url).engine``).
    fmt (str): a registered format name.
    out (IO | Path): a text or byte stream, or a directory path, as the format's target says.
    selection (Selection | None): date window and actor; None exports everything.
    RETURNS (int): how many items the writer wrote.
    """
    export_format = get_format(fmt)
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # one snapshot for every select (SQLite's read transaction is one)
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():  # an ingest running beside the export is seen whole or not at all
            return export_format.write(KBReader(conn, selection or Selection()), out)


# The built-in formats register themselves on import.
from diplograph.export import network, polecat, records, tables, timeline  # noqa: E402,F401

__all__ = ["ExportError", "ExportUsageError", "ExportFormat", "FORMATS", "KBReader", "Selection", "export",
           "get_format", "register"]
