"""``timeline``, ``dyad``, ``figures``, ``actors``, ``network``, ``contradictions``: ask the knowledge base.

Each command opens the store, calls one ``diplograph.analytics`` function and prints
its rows with ``--format table|json|csv`` (``json`` keeps every field, nested sources
included; ``table`` and ``csv`` show one flat row per result). ``--plot FILE`` draws the
result too (``.png``, ``.svg`` or ``.pdf``). A bad option or unknown actor is one line
and exit status 2; a database that cannot be read is one line and exit status 1.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer

from diplograph.cli import EXIT_FAILED, EXIT_USAGE, app, report
from diplograph.commands._output import DB_HELP, Format, emit, write_json

FORMAT_HELP = "table, json (every field, with sources) or csv."
# Events a timeline prints unless asked for more: a page a reader can take in, and a query
# that stays interactive on a corpus-sized knowledge base.
TIMELINE_PAGE = 200
PLOT_HELP = "Also draw the result into this file (.png, .svg or .pdf)."


class Period(str, Enum):
    year = "year"
    decade = "decade"


class ActorType(str, Enum):
    state = "state"
    person = "person"
    org = "org"
    igo = "igo"
    group = "group"


@app.command()
def timeline(
    actor: Optional[str] = typer.Option(None, "--actor", help="Actor id or name: events where it acts or is acted on."),
    dyad: Optional[str] = typer.Option(None, "--dyad", help="Two actors, e.g. CHN-PRK: events between them."),
    event_type: Optional[str] = typer.Option(None, "--type", help="PLOVER type (SANCTION) or quad class."),
    date_from: Optional[str] = typer.Option(None, "--from", help="EDTF: events from this date on."),
    date_to: Optional[str] = typer.Option(None, "--to", help="EDTF: events up to this date."),
    limit: int = typer.Option(TIMELINE_PAGE, "--limit", min=0,
                              help="At most this many events, earliest first (one page; 0: all)."),
    officials: bool = typer.Option(True, "--officials/--no-officials",
                                   help="Count a state's leaders and ministers as the state."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Dated events in order, each with the documents that report it.

    Example: diplograph timeline --dyad CHN-PRK --from 2010 --format csv
    """
    from diplograph.analytics import timeline as query

    with _store(db) as store:
        rows = query(store, actor=actor, dyad=dyad, type=event_type, date_from=date_from, date_to=date_to,
                     limit=limit or None, officials=officials)
    if fmt is Format.json:
        write_json(rows, sys.stdout)
    else:
        emit([_timeline_row(row) for row in rows], fmt.value, "timeline")


@app.command()
def dyad(
    first: str = typer.Argument(..., metavar="A", help="One actor: id (CHN) or name."),
    second: str = typer.Argument(..., metavar="B", help="The other actor."),
    by: Period = typer.Option(Period.year, "--by", help="Count per year or per decade."),
    date_from: Optional[str] = typer.Option(None, "--from", help="EDTF: events from this date on."),
    date_to: Optional[str] = typer.Option(None, "--to", help="EDTF: events up to this date."),
    officials: bool = typer.Option(True, "--officials/--no-officials",
                                   help="Count a state's leaders and ministers as the state."),
    plot: Optional[Path] = typer.Option(None, "--plot", help=PLOT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """How a relationship moved: events per quad class, mean score and net cooperation per period.

    net_cooperation = (cooperation - conflict) / events, from -1 (only conflict) to +1.
    Example: diplograph dyad CHN PRK --by decade --plot china-north-korea.svg
    """
    from diplograph.analytics import dyad_series
    from diplograph.plots import plot_dyad

    with _store(db) as store:
        rows = dyad_series(store, first, second, by=by.value, date_from=date_from, date_to=date_to,
                           officials=officials)
        if plot is not None:
            plot_dyad(rows, plot, title=f"{first} - {second}: events per {by.value}")
    emit(rows, fmt.value, f"{first} - {second} per {by.value}")


@app.command()
def figures(
    measure: Optional[str] = typer.Option(None, "--measure", help="Words of the measure, e.g. trade."),
    subject: Optional[str] = typer.Option(None, "--subject", help="Who the figures are about, e.g. CHN,PRK."),
    date_from: Optional[str] = typer.Option(None, "--from", help="EDTF: figures from this date on."),
    date_to: Optional[str] = typer.Option(None, "--to", help="EDTF: figures up to this date."),
    plot: Optional[Path] = typer.Option(None, "--plot", help=PLOT_HELP + " Contradictions are red."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """A measure's values over time, each with its sources; disagreeing sources are flagged.

    Example: diplograph figures --measure trade --subject CHN,PRK --plot trade.png
    """
    from diplograph.analytics import figure_series
    from diplograph.plots import plot_figures

    with _store(db) as store:
        points = figure_series(store, measure=measure, subject=subject, date_from=date_from, date_to=date_to)
        if plot is not None:
            plot_figures(points, plot, title=" ".join(filter(None, (measure, subject))) or "figures")
    if fmt is Format.json:
        write_json(points, sys.stdout)
    else:
        emit([_figure_row(point) for point in points], fmt.value, "figures")


@app.command()
def actors(
    actor_type: Optional[ActorType] = typer.Option(None, "--type", help="state, person, org (igo included), igo "
                                                                         "or group."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """The actors of the knowledge base with how many documents name them and their events.

    Example: diplograph actors --type person --format csv
    """
    from diplograph.analytics import actors_list

    with _store(db) as store:
        rows = actors_list(store, type=actor_type.value if actor_type else None)
    emit(rows, fmt.value, "actors")


@app.command()
def network(
    date_from: Optional[str] = typer.Option(None, "--from", help="EDTF: events from this date on."),
    date_to: Optional[str] = typer.Option(None, "--to", help="EDTF: events up to this date."),
    plot: Optional[Path] = typer.Option(None, "--plot", help=PLOT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table or csv: the edges; json: {nodes, edges}."),
) -> None:
    """Who acts on whom: edges weighted by events, with their net cooperation.

    Example: diplograph network --from 2010 --to 2019 --plot network.svg
    """
    from diplograph.analytics import network as query
    from diplograph.plots import plot_network

    with _store(db) as store:
        graph = query(store, date_from=date_from, date_to=date_to)
        if plot is not None:
            plot_network(graph, plot, title=_window_title("actor network", date_from, date_to))
    if fmt is Format.json:
        write_json(graph.as_dict(), sys.stdout)
        return
    names = {node["id"]: node["name"] for node in graph.nodes}
    rows = [{"source": edge["source"], "source_name": names.get(edge["source"]), "target": edge["target"],
             "target_name": names.get(edge["target"]), "weight": edge["weight"], "cooperation": edge["cooperation"],
             "conflict": edge["conflict"], "net_cooperation": edge["net_cooperation"]} for edge in graph.edges]
    emit(rows, fmt.value, _window_title("network edges", date_from, date_to))


@app.command()
def contradictions(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table or csv: one row per source's value; json: one object per claim."),
) -> None:
    """Figures on which sources disagree beyond rounding, with each source's value and sentence.

    Example: diplograph contradictions --format json
    """
    from diplograph.analytics import contradictions as query

    with _store(db) as store:
        claims = query(store)
    if fmt is Format.json:
        write_json(claims, sys.stdout)
        return
    rows = [{"claim_id": claim["claim_id"], "measure": claim["measure"], "subject": ",".join(claim["subject"]),
             "date": claim["date"], "unit": claim["unit"], "document": source["document"], "value": source["value"],
             "bound": source["bound"], "text": source["text"]}
            for claim in claims for source in claim["sources"]]
    emit(rows, fmt.value, "contradictions")


# --- shaping rows for tables and CSV ------------------------------------------------------------------

def _timeline_row(row: dict) -> dict:
    return {"date": row["date"], "type": row["type"], "quad": row["quad"], "score": row["score"],
            "source": ", ".join(row["source_names"]), "target": ", ".join(row["target_names"]),
            "flags": ", ".join(row["flags"]), "n_sources": row["n_sources"],
            "documents": ", ".join(dict.fromkeys(source["document"] for source in row["sources"])),
            "evidence": row["sources"][0]["text"].strip() if row["sources"] else None}


def _figure_row(point: dict) -> dict:
    return {"date": point["date"], "measure": point["measure"], "subject": ",".join(point["subject"]),
            "value": point["value"], "unit": point["unit"], "bound": point["bound"],
            "contradiction": point["contradiction"], "n_sources": point["n_sources"],
            "documents": ", ".join(dict.fromkeys(source["document"] for source in point["sources"])),
            "evidence": point["sources"][0]["text"].strip() if point["sources"] else None}


def _window_title(name: str, date_from: Optional[str], date_to: Optional[str]) -> str:
    if not (date_from or date_to):
        return name
    return f"{name}, {date_from or '..'} to {date_to or '..'}"


# --- opening the store and reporting problems ---------------------------------------------------------

@contextmanager
def _store(db: Optional[str]) -> Iterator:
    """The store for one query; every expected problem becomes one line and an exit status."""
    from sqlalchemy.exc import SQLAlchemyError

    from diplograph.analytics import QueryError
    from diplograph.plots import PlotError
    from diplograph.store import Store, StoreError

    missing = _missing_sqlite_file(db)
    if missing:
        report(missing, "no knowledge base here; run `diplograph ingest` first or give --db")
        raise typer.Exit(EXIT_FAILED)
    try:
        store = Store(db)
    except StoreError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        raise typer.Exit(EXIT_FAILED)
    try:
        yield store
    except QueryError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        raise typer.Exit(EXIT_USAGE)
    except PlotError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        raise typer.Exit(EXIT_FAILED)
    except SQLAlchemyError as err:
        cause = getattr(err, "orig", None) or err
        first_line = (str(cause).strip().splitlines() or ["no message"])[0]
        report(store.display, f"cannot read the knowledge base ({type(cause).__name__}: {first_line})")
        raise typer.Exit(EXIT_FAILED)
    finally:
        store.close()


def _missing_sqlite_file(db: Optional[str]) -> Optional[str]:
    """The path of a SQLite knowledge base that does not exist (a query must not create an empty one)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from diplograph.store import database_url

    try:
        url = make_url(database_url(db))
    except ArgumentError:
        return None  # Store says what is wrong with it
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return None if Path(url.database).expanduser().exists() else url.database
