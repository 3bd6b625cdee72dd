"""``diplograph export``: the knowledge base in the formats other tools read.

Text formats (jsonl, polecat, timelinejs) and the network formats (gexf, graphml) go
to stdout without ``-o``; csv and parquet write one file per table into the directory
``-o`` names. A file is written under a temporary name and renamed when complete, so
a failed export never leaves half a file.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from diplograph.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, app, report


@app.command("export")
def export_command(
    fmt: str = typer.Option(..., "--format", "-f", help="jsonl|csv|parquet|polecat|timelinejs|gexf|graphml "
                                                       "(or any format registered in diplograph.export)."),
    db: Optional[str] = typer.Option(None, "--db", help="Database URL or SQLite path (default: $DIPLOGRAPH_DB "
                                                        "or ./diplograph.db)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                          help="File to write (stdout when absent); a directory for csv/parquet."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Keep records from this EDTF date on."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Keep records up to this EDTF date."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Keep records involving this actor (id or name)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
) -> None:
    """Export the knowledge base: evaluation records, tables, PLOVER events, a timeline or the actor network.

    Example: diplograph export --format timelinejs --from 2010 --actor PRK -o timeline.json
    """
    raise typer.Exit(run_export(fmt, db=db, output=output, date_from=date_from, date_to=date_to, actor=actor,
                                debug=debug))


def run_export(fmt: str, db: Optional[str] = None, output: Optional[Path] = None,
               date_from: Optional[str] = None, date_to: Optional[str] = None,
               actor: Optional[str] = None, debug: bool = False) -> int:
    """Run one export; RETURNS the exit status (errors are one line on stderr)."""
    from sqlalchemy.exc import SQLAlchemyError

    from diplograph.errors import DiplographError
    from diplograph.export import ExportError, ExportUsageError, Selection, get_format

    try:
        export_format = get_format(fmt)
    except ExportUsageError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        return EXIT_USAGE
    if export_format.target == "directory" and output is None:
        report("-o", f"{fmt} writes one file per table: give a directory with -o DIR")
        return EXIT_USAGE
    selection = Selection(date_from=date_from, date_to=date_to, actor=actor)
    try:
        count = _export_to(export_format, db, output, selection)
    except ExportError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        return EXIT_USAGE if isinstance(err, ExportUsageError) else EXIT_FAILED
    except BrokenPipeError:  # the reader stopped listening (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except (DiplographError, SQLAlchemyError, OSError) as err:
        if debug:
            raise
        first_line = (str(err).strip().splitlines() or [type(err).__name__])[0]
        report(db or "database", f"cannot export ({first_line})")
        return EXIT_FAILED
    if output is not None:
        sys.stderr.write(f"diplograph: exported {count} {_unit(export_format.name)} to {output}\n")
    return EXIT_OK


def _export_to(export_format, db: Optional[str], output: Optional[Path], selection) -> int:
    """Open the store and the target the format needs, and write."""
    from diplograph.export import export
    from diplograph.store import Store

    store = Store(db)
    try:
        if export_format.target == "directory":
            return export(store.engine, export_format.name, Path(output), selection)
        if output is None:
            stream = sys.stdout if export_format.target == "text" else sys.stdout.buffer
            count = export(store.engine, export_format.name, stream, selection)
            stream.flush()
            return count
        return _write_file(store.engine, export_format, Path(output), selection)
    finally:
        store.close()


def _write_file(engine, export_format, output: Path, selection) -> int:
    """Write to OUTPUT.part, then rename: a failed export leaves the old file (or none)."""
    from diplograph.export import export

    partial = output.with_name(output.name + ".part")
    mode, encoding = ("w", "utf-8") if export_format.target == "text" else ("wb", None)
    try:
        with open(partial, mode, encoding=encoding) as handle:
            count = export(engine, export_format.name, handle, selection)
        os.replace(partial, output)
    finally:
        if partial.exists():
            partial.unlink()
    return count


def _unit(fmt: str) -> str:
    return {"jsonl": "records", "polecat": "events", "timelinejs": "events", "gexf": "edges",
            "graphml": "edges"}.get(fmt, "rows")
