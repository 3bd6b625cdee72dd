"""Command line: a thin shell over the library.

Each command parses its options, calls one library function and formats the result.
Problems are one line on stderr, ``diplograph: INPUT: reason``; a traceback is shown
only with ``--debug``. Exit status: 0 all inputs done, 1 some input failed, 2 bad usage.
"""
from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional, TextIO

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Rebuild the system of international relations a text describes.")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


@app.callback()
def main() -> None:
    """diplograph: actors, dated PLOVER events, figures and statements, with their evidence."""


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., metavar="PATH...",
                                      help="Files (.txt .html .pdf .jsonl .jsonl.gz) or - for stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    fmt: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f",
                                     help="jsonl: evaluation records; json: one object per document; "
                                          "table: readable summary."),
    date: Optional[str] = typer.Option(None, "--date",
                                       help="Document date (EDTF, e.g. 2024-03-26); wins over datelines."),
    jobs: int = typer.Option(1, "-j", "--jobs", min=1, help="Worker processes (each loads the model once)."),
    max_chars: int = typer.Option(5_000_000, "--max-chars", min=0,
                                  help="Refuse longer documents (characters); 0 for no limit."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
) -> None:
    """Extract actors, events, figures, statements and time expressions from documents.

    Example: diplograph extract report.txt page.html corpus.jsonl.gz -o out.jsonl -j 4
    """
    raise typer.Exit(run_extract(paths, output=output, fmt=fmt.value, date=date, jobs=jobs, debug=debug,
                                 max_chars=max_chars))


def run_extract(paths: List[str], output: Optional[Path] = None, fmt: str = "jsonl",
                date: Optional[str] = None, jobs: int = 1, debug: bool = False,
                max_chars: int = 5_000_000) -> int:
    """Run a batch and write its records; RETURNS the exit status."""
    from diplograph.batch import run_batch
    from diplograph.errors import DiplographError
    from diplograph.render import make_renderer

    if date is not None and not is_edtf(date):
        report("--date", f"{date!r} is not an EDTF date (e.g. 2024-03-26, 2024-03, 2024)")
        return EXIT_USAGE
    out = _open_output(output)
    if out is None:
        return EXIT_USAGE
    failed = 0
    try:
        renderer = make_renderer(fmt, out)
        renderer.begin()
        for outcome in _with_progress(run_batch(paths, date=date, jobs=jobs, warn=warning, max_chars=max_chars), out):
            if outcome.ok:
                renderer.write(outcome.extraction)
                for message in outcome.extraction.warnings:
                    warning(outcome.label, message)
            else:
                failed += 1
                report(outcome.label, outcome.error)
                if debug and outcome.detail:
                    sys.stderr.write(outcome.detail)
        renderer.end()
        out.flush()
    except BrokenPipeError:  # the reader stopped listening (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        report("interrupted", "stopped before the end of the inputs")
        return 130
    except DiplographError as err:  # nothing can run at all, e.g. the model is missing
        sys.stderr.write(f"diplograph: {err}\n")
        return EXIT_FAILED
    except Exception as err:
        if debug:
            raise
        first_line = (str(err).strip().splitlines() or ["no message"])[0]
        report("internal error", f"{type(err).__name__}: {first_line}; rerun with --debug for the traceback")
        return EXIT_FAILED
    finally:
        if output is not None:
            out.close()
    return EXIT_FAILED if failed else EXIT_OK


def _with_progress(outcomes: Iterator, out: TextIO) -> Iterator:
    """Count documents on stderr while a long batch runs, only when a person is watching."""
    if not sys.stderr.isatty() or out.isatty():
        yield from outcomes
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.completed} documents, {task.fields[failed]} failed"),
               TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("extract", total=None, failed=0)
        failed = 0
        for outcome in outcomes:
            failed += not outcome.ok
            progress.update(task, advance=1, failed=failed)
            yield outcome


def is_edtf(value: str) -> bool:
    """Whether ``value`` is an EDTF date, interval or season (Library of Congress format)."""
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parse_edtf(value)
    except EDTFParseException:
        return False
    return True


def report(label: str, reason: Optional[str]) -> None:
    """One line on stderr that names the input and what went wrong."""
    sys.stderr.write(f"diplograph: {label}: {reason}\n")
    sys.stderr.flush()


def warning(label: str, message: str) -> None:
    """One line on stderr for a problem that was worked around."""
    report(label, f"warning: {message}")


def _open_output(output: Optional[Path]) -> Optional[TextIO]:
    if output is None:
        return sys.stdout
    try:
        return open(output, "w", encoding="utf-8")
    except OSError as err:
        report(str(output), f"cannot write the output ({err.strerror or err})")
        return None


def _register_commands() -> None:
    """Import the command modules so their ``@app.command()`` decorators run."""
    import importlib
    import pkgutil

    import diplograph.commands as commands

    for module in pkgutil.iter_modules(commands.__path__):
        importlib.import_module(f"diplograph.commands.{module.name}")


_register_commands()
