"""Output formats for extractions, written one document at a time (streamed).

- ``jsonl``: exactly the records of ``Extraction.records()``, one JSON object a line
  (the evaluation format of ``../shared/eval/README.md``).
- ``json``: a JSON array with one object per document, records grouped by kind.
- ``table``: a summary for people (rich): the timeline of events, the figures, the
  statements and the actors of each document.
"""
from __future__ import annotations

import json
import re
from typing import Optional, TextIO

from diplograph.model import Extraction

FORMATS = ("jsonl", "json", "table")
# Longest evidence shown in a table cell; the JSON forms always carry the offsets.
EVIDENCE_CHARS = 160


class Renderer:
    """Writes extractions to a text stream: ``begin()``, ``write()`` per document, ``end()``."""

    def __init__(self, out: TextIO):
        self.out = out

    def begin(self) -> None:
        """Anything that goes before the first document."""

    def write(self, extraction: Extraction) -> None:
        raise NotImplementedError

    def end(self) -> None:
        """Anything that goes after the last document."""


class JsonlRenderer(Renderer):
    def write(self, extraction: Extraction) -> None:
        for record in extraction.records():
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")


class JsonRenderer(Renderer):
    """A JSON array streamed element by element, so memory does not grow with the batch."""

    def begin(self) -> None:
        self.count = 0
        self.out.write("[")

    def write(self, extraction: Extraction) -> None:
        self.out.write(",\n" if self.count else "\n")
        self.out.write(json.dumps(as_object(extraction), ensure_ascii=False, indent=2))
        self.count += 1

    def end(self) -> None:
        self.out.write("\n]\n" if self.count else "]\n")


def as_object(extraction: Extraction) -> dict:
    """One document's records grouped by kind: ``{"document": {...}, "actors": [...], ...}``."""
    grouped: dict = {"document": None, "actors": [], "events": [], "quantities": [],
                     "statements": [], "timexes": [], "warnings": list(extraction.warnings)}
    plural = {"actor": "actors", "event": "events", "quantity": "quantities",
              "statement": "statements", "timex": "timexes"}
    for record in extraction.records():
        if record["kind"] == "document":
            grouped["document"] = record
        else:
            grouped[plural[record["kind"]]].append(record)
    return grouped


class TableRenderer(Renderer):
    """Rich tables grouped by kind; plain text when the stream is not a terminal."""

    def __init__(self, out: TextIO, width: Optional[int] = None):
        super().__init__(out)
        from rich.console import Console

        self.console = Console(file=out, width=width or (None if out.isatty() else 120),
                               soft_wrap=False, highlight=False)

    def write(self, extraction: Extraction) -> None:
        for renderable in document_tables(extraction):
            self.console.print(renderable)


def document_tables(extraction: Extraction) -> list:
    """The rich renderables for one document: heading, timeline, figures, statements, actors."""
    from rich.rule import Rule

    document = extraction.document
    dated = (f"dated {document.date} (from {document.date_source})" if document.date
             else "no document date: relative time expressions stay unresolved")
    from rich.text import Text

    heading = Text(document.id + (f" - {document.title}" if document.title else ""), style="bold")
    sections = [(extraction.events, "events", timeline_table), (extraction.quantities, "figures", figures_table),
                (extraction.statements, "statements", statements_table), (extraction.actors, "actors", actors_table)]
    shown = [Rule(heading), Text(f"{document.source or ''}  {dated}".strip())]
    for records, name, table in sections:  # an empty table says less than one line
        shown.append(table(extraction) if records else Text(f"No {name} found.", style="dim"))
    return shown


def timeline_table(extraction: Extraction):
    """Events in date order (undated last): date, type, who did it to whom, the evidence."""
    from rich.table import Table

    names = _actor_names(extraction)
    text = extraction.document.text
    table = Table(title=f"Timeline ({len(extraction.events)} events)", title_justify="left",
                  show_lines=False, expand=False)
    for column in ("date", "type", "source", "target", "flags", "evidence"):
        table.add_column(column, overflow="fold")
    for event in sorted(extraction.events, key=lambda e: (date_key(e.date), e.evidence.start)):
        kind = event.type + (f"/{event.mode}" if event.mode else "")
        _add_row(table, event.date or "-", kind, _names(event.source, names), _names(event.target, names),
                      _flags(event), _snippet(text, event.evidence.start, event.evidence.end))
    return table


def figures_table(extraction: Extraction):
    from rich.table import Table

    names = _actor_names(extraction)
    text = extraction.document.text
    table = Table(title=f"Figures ({len(extraction.quantities)})", title_justify="left")
    for column in ("value", "unit", "bound", "measure", "of", "date", "according to", "text"):
        table.add_column(column, overflow="fold")
    for q in sorted(extraction.quantities, key=lambda q: q.mention.start):
        _add_row(table, format_number(q.value), q.unit, q.bound, q.measure or "-", _names(q.subject, names),
                      q.date or "-", _names(q.cited_source, names),
                      _snippet(text, q.mention.start, q.mention.end))
    return table


def statements_table(extraction: Extraction):
    from rich.table import Table

    names = _actor_names(extraction)
    text = extraction.document.text
    table = Table(title=f"Statements ({len(extraction.statements)})", title_justify="left")
    for column in ("speaker", "role", "date", "quote", "content"):
        table.add_column(column, overflow="fold")
    for s in sorted(extraction.statements, key=lambda s: s.evidence.start):
        _add_row(table, _names(s.speaker, names), s.role or "-", s.date or "-", "direct" if s.direct else "reported",
                      _snippet(text, s.content.start, s.content.end))
    return table


def actors_table(extraction: Extraction):
    from rich.table import Table

    table = Table(title=f"Actors ({len(extraction.actors)})", title_justify="left")
    for column in ("id", "name", "type", "mentions", "role / affiliation", "known"):
        table.add_column(column, overflow="fold")
    for actor in sorted(extraction.actors, key=lambda a: -len(a.mentions)):
        role = ", ".join(part for part in (actor.role, actor.affiliation) if part) or "-"
        _add_row(table, actor.id, actor.name, actor.type, str(len(actor.mentions)), role,
                      "yes" if actor.known else "NER")
    return table


_YEAR = re.compile(r"-?\d{1,4}[\dX]*")


def date_key(date: Optional[str]) -> tuple:
    """A sort key for EDTF strings: by first year (``199X`` as 1990, ``../2018`` as 2018), undated last."""
    if not date:
        return (1, "")
    match = _YEAR.search(date)
    if not match:
        return (1, date)
    return (0, match.group().replace("X", "0").zfill(4) + date[match.end():])


def format_number(value: float) -> str:
    """``6860000000`` -> ``6,860,000,000``; fractions keep up to three decimals."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _add_row(table, *cells: str) -> None:
    """Cells as plain text: evidence like ``[sic]`` must not be read as rich markup."""
    from rich.text import Text

    table.add_row(*(Text(cell) for cell in cells))


def _actor_names(extraction: Extraction) -> dict[str, str]:
    return {actor.id: actor.name for actor in extraction.actors}


def _names(ids: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids) or "-"


def _flags(event) -> str:
    flags = [name for name in ("negated", "hedged", "hypothetical") if getattr(event, name)]
    return ", ".join(flags) or "-"


def _snippet(text: str, start: int, end: int) -> str:
    """The evidence on one line, shortened in the middle when long."""
    span = " ".join(text[start:end].split())
    if len(span) <= EVIDENCE_CHARS:
        return span
    half = EVIDENCE_CHARS // 2 - 2
    return f"{span[:half]} ... {span[-half:]}"


def make_renderer(fmt: str, out: TextIO) -> Renderer:
    """The renderer for ``fmt`` (one of ``FORMATS``)."""
    renderers = {"jsonl": JsonlRenderer, "json": JsonRenderer, "table": TableRenderer}
    return renderers[fmt](out)
