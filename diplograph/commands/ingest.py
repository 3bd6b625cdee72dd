"""``ingest``, ``documents``, ``show``, ``forget``: put documents into the knowledge base and manage them.

``ingest`` extracts like ``extract`` (same inputs, ``-j`` worker processes, or a Dask
cluster) and stores each document in this one process, in input order, one
transaction per document. Texts already stored are skipped before extraction, so
rerunning an interrupted ingest only does the rest. Problems are one line each: a
failed input or a locked database costs that document, a full disk or an unreachable
database stops the batch (documents stored so far are kept).
"""
from __future__ import annotations

import gzip
import inspect
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional

import typer
from rich.progress import ProgressColumn
from rich.text import Text

from diplograph.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, app, is_edtf, report, warning
from diplograph.commands._output import Format, emit, format_number, write_json
from diplograph.store.db import DEFAULT_BUSY_TIMEOUT

DB_HELP = "Database: a SQLite path or sqlite:///PATH, or postgresql://USER@HOST:PORT/DB (default: $DIPLOGRAPH_DB " \
          "or ./diplograph.db)."


class EngineName(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., metavar="PATH...",
                                      help="Files (.txt .html .pdf .jsonl .jsonl.gz) or - for stdin."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    jobs: int = typer.Option(1, "-j", "--jobs", min=1,
                             help="Worker processes (each loads the model once); with --engine dask and no "
                                  "--scheduler, the local cluster's workers."),
    engine: EngineName = typer.Option(EngineName.local, "--engine",
                                      help="local: this machine's processes; dask: a Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Dask scheduler address (default: a local cluster)."),
    date: Optional[str] = typer.Option(None, "--date", help="Document date (EDTF) for every input."),
    max_chars: int = typer.Option(5_000_000, "--max-chars", min=0,
                                  help="Refuse longer documents (characters); 0 for no limit."),
    busy_timeout: float = typer.Option(DEFAULT_BUSY_TIMEOUT, "--busy-timeout", min=0,
                                       help="Seconds to wait for another process's SQLite write lock."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
) -> None:
    """Extract documents and store their records in the knowledge base (rerun to resume).

    Example: diplograph ingest reports/*.txt corpus.jsonl.gz --db kb.db -j 4
    """
    raise typer.Exit(run_ingest(paths, db=db, jobs=jobs, engine=engine.value, scheduler=scheduler, date=date,
                                max_chars=max_chars, busy_timeout=busy_timeout, debug=debug))


@dataclass
class Tally:
    """What an ingest run did so far, for the progress bar and the summary line."""

    added: int = 0
    replaced: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.added + self.replaced + self.skipped + self.failed

    def summary(self, where: str) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return (f"{self.added} added, {self.replaced} replaced, {self.skipped} skipped, {self.failed} failed "
                f"in {elapsed:.1f} s ({self.done / elapsed:.1f} documents/s, {self.words / elapsed:,.0f} words/s) "
                f"into {where}")


def run_ingest(paths: List[str], db: Optional[str] = None, jobs: int = 1, engine: str = "local",
               scheduler: Optional[str] = None, date: Optional[str] = None, max_chars: int = 5_000_000,
               busy_timeout: float = DEFAULT_BUSY_TIMEOUT, debug: bool = False,
               progress: Optional[bool] = None) -> int:
    """Ingest every input into the store; RETURNS the exit status (0: every document stored or
    already there). progress: show the bar (default: when stderr is a terminal)."""
    from diplograph.errors import DiplographError
    from diplograph.store import Store, StoreError

    if date is not None and not is_edtf(date):
        report("--date", f"{date!r} is not an EDTF date (e.g. 2024-03-26, 2024-03, 2024)")
        return EXIT_USAGE
    if scheduler and engine != "dask":
        report("--scheduler", "only means something with --engine dask")
        return EXIT_USAGE
    extract_items = _extraction_engine(engine, jobs, scheduler)
    if extract_items is None:
        return EXIT_FAILED
    try:
        store = Store(db, busy_timeout=busy_timeout)
    except StoreError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        return EXIT_FAILED
    tally = Tally()
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with store, _progress_bar(show, _count_documents(paths) if show else None) as advance:
            stopped = _ingest_all(store, paths, extract_items, tally, advance, date=date, max_chars=max_chars,
                                  debug=debug)
    except KeyboardInterrupt:
        report("interrupted", f"{tally.summary(store.display)}; rerun the same command to go on")
        return 130
    except DiplographError as err:  # nothing can run (the model is missing) or the store went away
        sys.stderr.write(f"diplograph: {err}\n")
        stopped = True
    except Exception as err:
        if debug:
            raise
        first_line = (str(err).strip().splitlines() or ["no message"])[0]
        report("internal error", f"{type(err).__name__}: {first_line}; rerun with --debug for the traceback")
        stopped = True
    report("ingest", tally.summary(store.display) + ("; stopped before the end of the inputs" if stopped else ""))
    return EXIT_FAILED if tally.failed or stopped else EXIT_OK


def _ingest_all(store, paths: List[str], extract_items: Callable, tally: Tally, advance: Callable[[Tally], None],
                date: Optional[str], max_chars: int, debug: bool) -> bool:
    """Extract and store every input in order; RETURNS True when a store error stopped the batch."""
    from diplograph.read.formats import read_inputs
    from diplograph.store import DocumentNotStored, StoreError

    items = _unstored(read_inputs(paths, date=date, warn=warning, max_chars=max_chars), store, tally, advance)
    outcomes = extract_items(items)
    stored_now: set[str] = set()
    try:
        for outcome in outcomes:
            if not outcome.ok:
                tally.failed += 1
                report(outcome.label, outcome.error)
                if debug and outcome.detail:
                    sys.stderr.write(outcome.detail)
                advance(tally)
                continue
            for message in outcome.extraction.warnings:
                warning(outcome.label, message)
            name = _document_name(outcome)
            try:
                result = store.ingest(outcome.extraction, name=name)
            except DocumentNotStored as err:
                tally.failed += 1
                report(outcome.label, str(err))
                advance(tally)
                continue
            except StoreError as err:  # full disk, database gone: every later write would fail too
                tally.failed += 1
                report(outcome.label, str(err))
                return True
            except Exception as err:  # a bug while storing one document: rolled back, go on
                if debug:
                    raise
                tally.failed += 1
                first_line = (str(err).strip().splitlines() or ["no message"])[0]
                report(outcome.label, f"not stored: internal error ({type(err).__name__}: {first_line}); "
                                      f"rerun with --debug for the traceback")
                advance(tally)
                continue
            if result.status == "replaced" and name in stored_now:
                warning(outcome.label, f"replaces the document {name!r} stored earlier in this run "
                                       f"(two inputs with the same name?)")
            stored_now.add(result.name)
            setattr(tally, result.status, getattr(tally, result.status) + 1)
            tally.words += len(outcome.extraction.document.text.split())
            advance(tally)
    finally:
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()  # stop worker processes / the cluster at once when the batch stops early
    return False


def _unstored(items: Iterable, store, tally: Tally, advance: Callable[[Tally], None]) -> Iterator:
    """The items whose text is not stored yet: a resumed ingest extracts only the rest."""
    for item in items:
        if item.document is not None and store.contains_text(item.document.text):
            tally.skipped += 1
            advance(tally)
            continue
        yield item


def _document_name(outcome) -> str:
    """What the store calls a document: its id (file stem, corpus id); stdin texts are named by
    their hash, since every text piped in has the same id and must not replace the last one."""
    from diplograph.read.formats import STDIN_LABEL
    from diplograph.store import content_hash

    document = outcome.extraction.document
    if outcome.label == STDIN_LABEL:
        return f"stdin-{content_hash(document.text)[:12]}"
    return document.id


def _extraction_engine(engine: str, jobs: int, scheduler: Optional[str]) -> Optional[Callable]:
    """items -> outcomes, on this machine or on Dask; None (after one line) when Dask is not there."""
    if engine == "local":
        from diplograph.batch import extract_items

        return lambda items: extract_items(items, jobs=jobs)
    try:
        from diplograph.engine import dask_outcomes
    except ImportError as err:
        report("--engine dask", f"the Dask engine is not available ({err})")
        return None
    accepted = inspect.signature(dask_outcomes).parameters
    size = {name: jobs for name in ("workers", "jobs") if name in accepted}  # -j: the local cluster's workers
    return lambda items: dask_outcomes(items, scheduler, **size)


# --- progress ---------------------------------------------------------------------------------------

@contextmanager
def _progress_bar(show: bool, total: Optional[int]) -> Iterator[Callable[[Tally], None]]:
    """A function to call after each document: draws documents/s, words/s, failures and the
    ETA on a terminal; does nothing in a pipe or a log."""
    if not show:
        yield lambda tally: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # Fits an 80-column terminal: bar, done/total, documents/s, words/s, failures, ETA.
    columns = [BarColumn(bar_width=20), MofNCompleteColumn() if total else TextColumn("{task.completed}"),
               TextColumn("docs"), _RateColumn(None, "docs"), _RateColumn("words", "words"),
               TextColumn("{task.fields[failed]} failed")]
    if total:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("ingest", total=total, words=0, failed=0)
        yield lambda tally: progress.update(task, completed=tally.done, words=tally.words, failed=tally.failed)


class _RateColumn(ProgressColumn):
    """Per-second rate of the completed count (field None) or of a task field, since the start."""

    def __init__(self, field_name: Optional[str], unit: str):
        super().__init__()
        self.field_name, self.unit = field_name, unit

    def render(self, task) -> Text:
        elapsed = task.elapsed or 0.0
        value = task.completed if self.field_name is None else task.fields.get(self.field_name, 0)
        rate = value / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.1f} {self.unit}/s" if rate < 100 else f"{rate:,.0f} {self.unit}/s", no_wrap=True)


def _count_documents(paths: List[str]) -> Optional[int]:
    """How many documents the inputs hold (a corpus: its non-blank lines), for the ETA; None
    when unknown (stdin)."""
    from diplograph.read.formats import STDIN, input_format

    total = 0
    for path in paths:
        if path == STDIN:
            return None
        file = Path(path)
        if input_format(file) != "jsonl":
            total += 1
            continue
        try:
            opener = gzip.open if file.suffix.lower() == ".gz" else open
            with opener(file, "rb") as stream:
                total += sum(1 for line in stream if line.strip())
        except (OSError, EOFError):
            total += 1  # unreadable: it fails as one input
    return total


# --- documents, show, forget ------------------------------------------------------------------------

@app.command()
def documents(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """List the stored documents with their record counts.

    Example: diplograph documents --db kb.db --format csv
    """
    store = _open_store(db)
    with store:
        emit(_call(store, store.documents), fmt.value, "documents")


@app.command()
def show(
    doc: str = typer.Argument(..., metavar="DOC", help="Document name (see `diplograph documents`) or id."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table or csv: one row per record; json: every field, grouped by kind."),
) -> None:
    """Show what the knowledge base holds from one document: actors, events, figures, statements, dates.

    Example: diplograph show korea-trade-2019 --format json
    """
    store = _open_store(db)
    with store:
        records = _call(store, lambda: store.document_records(doc))
    if records is None:
        report(doc, f"no such document in {store.display} (see `diplograph documents`)")
        raise typer.Exit(EXIT_FAILED)
    if fmt is Format.json:
        write_json(records, sys.stdout)
    else:
        emit(record_rows(records), fmt.value, f"records of {records['document']['id']}")


@app.command()
def forget(
    doc: str = typer.Argument(..., metavar="DOC", help="Document name (see `diplograph documents`) or id."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Remove one document and its records (merged events and figures lose its report).

    Example: diplograph forget korea-trade-2019
    """
    store = _open_store(db)
    with store:
        removed = _call(store, lambda: store.forget(doc))
    if not removed:
        report(doc, f"no such document in {store.display} (see `diplograph documents`)")
        raise typer.Exit(EXIT_FAILED)
    sys.stderr.write(f"diplograph: forgot {doc}\n")


def record_rows(records: dict) -> list[dict]:
    """One flat row per record (kind, id, type, date, who, value, offsets, text) for tables and CSV."""
    rows = []
    for actor in records["actors"]:
        first = actor["mentions"][0] if actor["mentions"] else {"start": None, "end": None}
        rows.append(_row("actor", actor["id"], actor["type"], None, None,
                         ", ".join(filter(None, (actor["name"], actor["role"]))), first["start"], first["end"],
                         "; ".join(dict.fromkeys(m["text"] for m in actor["mentions"]))))
    for event in records["events"]:
        who = f"{','.join(event['source'])} -> {','.join(event['target'])}"
        rows.append(_row("event", event["id"], event["type"], event["date"], who,
                         f"{event['quad']} ({event['score']:+g})", event["evidence"]["start"],
                         event["evidence"]["end"], event["text"]))
    for quantity in records["quantities"]:
        bound = "" if quantity["bound"] == "eq" else f"{quantity['bound']} "
        rows.append(_row("quantity", None, quantity["measure"], quantity["date"], ",".join(quantity["subject"]),
                         f"{bound}{format_number(quantity['value'])} {quantity['unit']}", quantity["mention"]["start"],
                         quantity["mention"]["end"], quantity["text"]))
    for statement in records["statements"]:
        rows.append(_row("statement", None, "direct" if statement["direct"] else "reported", statement["date"],
                         ",".join(statement["speaker"]), statement["role"], statement["content"]["start"],
                         statement["content"]["end"], statement["text"]))
    for timex in records["timexes"]:
        rows.append(_row("timex", None, timex["type"], timex["value"], None, timex["value"], timex["start"],
                         timex["end"], timex["text"]))
    return rows


def _row(kind, record_id, record_type, date, who, value, start, end, text) -> dict:
    return {"kind": kind, "id": record_id, "type": record_type, "date": date, "who": who, "value": value,
            "start": start, "end": end, "text": text}


def _open_store(db: Optional[str]):
    """The store, or exit with its one-line error."""
    from diplograph.store import Store, StoreError

    try:
        return Store(db)
    except StoreError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        raise typer.Exit(EXIT_FAILED)


def _call(store, action: Callable):
    """Run a store action; a database error ends the command with its one line."""
    from diplograph.store import StoreError

    try:
        return action()
    except StoreError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        raise typer.Exit(EXIT_FAILED)
