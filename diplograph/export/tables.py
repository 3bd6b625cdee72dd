"""``csv`` and ``parquet``: the knowledge base as flat tables, one file per table.

``-o DIR`` is a directory (created if needed) that receives ``events``, ``quantities``,
``statements``, ``actors`` and ``documents`` (``.csv`` or ``.parquet``): one file per
table rather than the events alone, because figures and statements are half of what
diplograph extracts and a join on ``actor_id`` / ``document`` is what analysts do next.

- events: one row per report (a document's event), with its ``cluster_id`` and
  ``n_sources`` (documents reporting the merged event), ``source_ids`` / ``target_ids``,
  the EDTF ``date`` and its first and last day ``date_lo`` / ``date_hi``, type, mode,
  quad, PLOVER score, flags, the evidence offsets and text;
- quantities: value, unit, bound, measure, subjects, date, claim id, contradiction flag;
- statements: speakers, role, date, direct or reported, the content text;
- actors: id, name, type, iso2/iso3/wikidata codes, role, affiliation, aliases;
- documents: name, title, source, date, words, content hash (not the text).

Types: Parquet keeps them (int64, float64, bool, date32, list<string> for id lists) so
pandas, polars and DuckDB read them as is; CSV writes lists joined by ``;``, dates as
ISO strings, booleans as ``true``/``false`` and missing values as empty cells.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal

from diplograph.export import register
from diplograph.export.select import ExportError, KBReader, day

Kind = Literal["int", "float", "str", "bool", "date", "list"]
LIST_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: its name, its type and how to read it from a row."""

    name: str
    kind: Kind
    get: Callable[[dict], Any]


def _field(name: str) -> Callable[[dict], Any]:
    return lambda row: row[name]


def col(name: str, kind: Kind, source: str | None = None) -> Column:
    return Column(name, kind, _field(source or name))


def first_day() -> Column:
    """``date_lo``: the first day the record's EDTF date covers (stored as an ordinal)."""
    return Column("date_lo", "date", lambda row: day(row["date_lo"]))


def last_day() -> Column:
    return Column("date_hi", "date", lambda row: day(row["date_hi"]))


def code(name: str) -> Column:
    return Column(name, "str", lambda row: row["codes"].get(name))


EVENT_COLUMNS = (
    col("id", "int"), col("document", "str"), col("local_id", "str"), col("cluster_id", "int"),
    col("n_sources", "int"), col("type", "str"), col("mode", "str"), col("quad", "str"), col("score", "float"),
    col("source_ids", "list", "source"), col("target_ids", "list", "target"), col("date", "str"),
    first_day(), last_day(),
    col("negated", "bool"), col("hedged", "bool"), col("hypothetical", "bool"),
    col("evidence_start", "int"), col("evidence_end", "int"), col("evidence", "str", "text"),
)
QUANTITY_COLUMNS = (
    col("id", "int"), col("document", "str"), col("claim_id", "int"), col("value", "float"), col("unit", "str"),
    col("bound", "str"), col("measure", "str"), col("subject_ids", "list", "subject"),
    col("cited_source_ids", "list", "cited_source"), col("date", "str"),
    first_day(), last_day(),
    col("raw_unit", "str"), col("contradiction", "bool"), col("claim_sources", "int"),
    col("evidence_start", "int"), col("evidence_end", "int"), col("mention_start", "int"), col("mention_end", "int"),
    col("evidence", "str", "text"),
)
STATEMENT_COLUMNS = (
    col("id", "int"), col("document", "str"), col("speaker_ids", "list", "speaker"), col("role", "str"),
    col("date", "str"), first_day(), last_day(), col("direct", "bool"),
    col("evidence_start", "int"), col("evidence_end", "int"), col("content_start", "int"), col("content_end", "int"),
    col("content", "str", "text"),
)
ACTOR_COLUMNS = (
    col("id", "str"), col("name", "str"), col("type", "str"), code("iso3"), code("iso2"), code("wikidata"),
    col("role", "str"), col("affiliation", "str"), col("known", "bool"), col("aliases", "list"),
)
DOCUMENT_COLUMNS = (
    col("id", "int"), col("name", "str"), col("title", "str"), col("source", "str"), col("date", "str"),
    col("date_source", "str"), col("words", "int"), col("content_hash", "str"), col("ingested_at", "str"),
)


def table_rows(kb: KBReader) -> dict[str, tuple[tuple[Column, ...], list[dict]]]:
    """Each exported table: its columns and its selected rows."""
    events = kb.events()
    quantities = kb.quantities()
    statements = kb.statements()
    actors = list(kb.actors().values())
    documents = kb.documents()
    if kb.selection.narrowed:  # keep the actors and documents the kept records refer to
        named = {a for e in events for a in e["source"] + e["target"]} | set(kb.actor_ids or ())
        named |= {a for q in quantities for a in q["subject"] + q["cited_source"]}
        named |= {a for st in statements for a in st["speaker"]}
        actors = [a for a in actors if a["id"] in named]
        used = {row["document"] for row in events + quantities + statements}
        documents = [d for d in documents if d["name"] in used]
    return {"events": (EVENT_COLUMNS, events), "quantities": (QUANTITY_COLUMNS, quantities),
            "statements": (STATEMENT_COLUMNS, statements), "actors": (ACTOR_COLUMNS, actors),
            "documents": (DOCUMENT_COLUMNS, documents)}


def _directory(out: Path) -> Path:
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: csv and parquet write one file per table; give a directory with -o")
    out.mkdir(parents=True, exist_ok=True)
    return out


@register("csv", target="directory", suffix="",
          help="One CSV file per table (events, quantities, statements, actors, documents) in -o DIR.")
def write_csv(kb: KBReader, out: Path) -> int:
    """RETURNS (int): the number of rows written over all tables."""
    folder = _directory(out)
    written = 0
    for name, (columns, rows) in table_rows(kb).items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.name for c in columns])
            for row in rows:
                writer.writerow([_csv_cell(c.kind, c.get(row)) for c in columns])
        written += len(rows)
    return written


def _csv_cell(kind: Kind, value: Any) -> str:
    if value is None:
        return ""
    if kind == "list":
        return LIST_SEPARATOR.join(value)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "date":
        return value.isoformat()
    return str(value)


@register("parquet", target="directory", suffix="",
          help="One Parquet file per table (events, quantities, statements, actors, documents) in -o DIR.")
def write_parquet(kb: KBReader, out: Path) -> int:
    """RETURNS (int): the number of rows written over all tables."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_(),
                   "date": pa.date32(), "list": pa.list_(pa.string())}
    folder = _directory(out)
    written = 0
    for name, (columns, rows) in table_rows(kb).items():
        schema = pa.schema([pa.field(c.name, arrow_types[c.kind]) for c in columns])
        data = {c.name: [_parquet_value(c.kind, c.get(row)) for row in rows] for c in columns}
        pq.write_table(pa.Table.from_pydict(data, schema=schema), folder / f"{name}.parquet")
        written += len(rows)
    return written


def _parquet_value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind == "bool":
        return bool(value)  # SQLite hands booleans back as 0/1
    return value
