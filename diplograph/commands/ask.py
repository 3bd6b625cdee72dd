"""``ask``: answer a plain question from the knowledge base, with the sentences that prove it.

One question prints the answer, its value and each cited sentence with the answer
marked; ``--json`` prints the whole answer object. ``--batch FILE`` answers a JSON list
of ``{"id", "question"}`` and writes one JSON Lines record per question (the format
``qa_score.py`` reads). A question the knowledge base cannot answer says so, shows the
closest passages, and is not an error.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from diplograph.cli import EXIT_FAILED, EXIT_USAGE, app, report
from diplograph.commands._output import DB_HELP


@app.command()
def ask(
    question: Optional[str] = typer.Argument(None, metavar="QUESTION", help="A question in plain English."),
    batch: Optional[Path] = typer.Option(None, "--batch", help='A JSON list of {"id", "question"} to answer.'),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write --batch answers here (default stdout)."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole answer as JSON."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Answer a question from the knowledge base, citing the sentences it rests on.

    Example: diplograph ask "When did China and North Korea renew their treaty?" --db kb.db
    """
    from diplograph.commands.query import _store
    from diplograph.qa import ask as answer_question

    if (question is None) == (batch is None):
        report("ask", "give one QUESTION or --batch FILE")
        raise typer.Exit(EXIT_USAGE)
    items = _read_batch(batch) if batch is not None else [{"id": "1", "question": question}]
    with _store(db) as store:
        if batch is None:
            answer = answer_question(question, store)
            if as_json:
                json.dump(answer.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
                sys.stdout.write("\n")
            else:
                _print_answer(answer)
            return
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
        try:
            for item in items:
                answer = answer_question(item["question"], store)
                out.write(json.dumps(answer.score_record(item["id"]), ensure_ascii=False) + "\n")
        finally:
            if output:
                out.close()


def _read_batch(path: Path) -> list[dict]:
    """The questions of a --batch file; a bad file is one line and exit status 1."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        report(str(path), "no such file")
        raise typer.Exit(EXIT_FAILED)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        report(str(path), f"not a JSON file ({err})")
        raise typer.Exit(EXIT_FAILED)
    except OSError as err:
        report(str(path), err.strerror or str(err))
        raise typer.Exit(EXIT_FAILED)
    if not isinstance(raw, list) or not all(isinstance(q, dict) and "id" in q and "question" in q for q in raw):
        report(str(path), 'expected a JSON list of {"id", "question"} objects')
        raise typer.Exit(EXIT_FAILED)
    return [{"id": str(q["id"]), "question": str(q["question"])} for q in raw]


def _print_answer(answer) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    if not answer.found:
        console.print(f"[bold]{escape(answer.answer)}[/bold]")
        if answer.passages:
            console.print("Closest passages:")
        for p in answer.passages:
            console.print(f"  [dim]{escape(p.document)} {p.start}-{p.end}[/dim] {escape(p.sentence)}")
        return
    value = "" if answer.value is None or str(answer.value) == answer.answer else f"  (value: {answer.value})"
    console.print(f"[bold]{escape(answer.answer)}[/bold]{escape(value)}  [dim]{answer.method}[/dim]")
    for c in answer.citations:
        marked = escape(c.highlighted(("\x00", "\x01"))).replace("\x00", "[reverse]").replace("\x01", "[/reverse]")
        console.print(f"  [dim]{escape(c.document)} {c.start}-{c.end}[/dim] {marked}")
