"""``jsonl``: every stored record in the evaluation record format, document by document.

The same JSON Lines ``diplograph extract`` writes (``../shared/eval/README.md``): for each
document a ``document`` record, then its ``actor``, ``event``, ``quantity``,
``statement`` and ``timex`` records, so a stored document can be scored again or fed
to any tool that reads extractions. Texts are cut from the stored document text by
the stored offsets. An event's ``trigger`` and a statement's ``cue`` are given when
the store kept them (``null`` otherwise); stored extras
(``cluster``, ``n_sources`` of an event; ``claim``, ``contradiction`` of a figure)
are added.

With ``--from``/``--to``/``--actor`` the events, figures and statements are narrowed;
a document with none of them left is skipped, and the actors and time expressions of
the documents kept are given whole (they are the context of what is kept).
"""
from __future__ import annotations

import json
from typing import Iterator, Optional, TextIO

from diplograph.export import register
from diplograph.export.select import KBReader


@register("jsonl", target="text", suffix=".jsonl",
          help="Evaluation records (document, actor, event, quantity, statement, timex) per document.")
def write_jsonl(kb: KBReader, out: TextIO) -> int:
    """RETURNS (int): the number of records written."""
    written = 0
    for record in stored_records(kb):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def stored_records(kb: KBReader) -> Iterator[dict]:
    """Every selected document's records, in ``Extraction.records()`` order."""
    for document in kb.documents():
        events = kb.events(document["id"])
        quantities = kb.quantities(document["id"])
        statements = kb.statements(document["id"])
        if kb.selection.narrowed and not (events or quantities or statements):
            continue
        text = kb.document_text(document["id"])
        yield document_record(document)
        yield from actor_records(kb, document["id"], text, events, quantities, statements)
        for event in events:
            yield event_record(event, text)
        for quantity in quantities:
            yield quantity_record(quantity, text)
        for statement in statements:
            yield statement_record(statement, text)
        for timex in kb.timexes(document["id"]):
            yield timex_record(timex)


def document_record(row: dict) -> dict:
    return {"kind": "document", "id": row["name"], "date": row["date"], "title": row["title"],
            "source": row["source"], "date_source": row["date_source"]}


def actor_records(kb: KBReader, document_id: int, text: str, events: list[dict],
                  quantities: list[dict], statements: list[dict]) -> Iterator[dict]:
    """The document's actors in order of first mention, then actors its records name
    without a mention of their own (e.g. a state stood for by its leader)."""
    known = kb.actors()
    mentions: dict[str, list[dict]] = {}
    for mention in kb.mentions(document_id):
        mentions.setdefault(mention["actor_id"], []).append(
            {"start": mention["start"], "end": mention["end"], "text": text[mention["start"]:mention["end"]]})
    named = [a for e in events for a in e["source"] + e["target"]]
    named += [a for q in quantities for a in q["subject"] + q["cited_source"]]
    named += [a for st in statements for a in st["speaker"]]
    for actor_id in list(mentions) + [a for a in dict.fromkeys(named) if a not in mentions]:
        actor = known.get(actor_id)
        if actor is None:  # an id with no actor row: keep the reference readable anyway
            actor = {"id": actor_id, "name": actor_id, "type": "group", "aliases": [], "codes": {},
                     "role": None, "affiliation": None, "known": False}
        yield {"kind": "actor", "id": actor["id"], "name": actor["name"], "type": actor["type"],
               "aliases": actor["aliases"], "codes": actor["codes"], "role": actor["role"],
               "affiliation": actor["affiliation"], "known": bool(actor["known"]),
               "mentions": mentions.get(actor_id, [])}


def event_record(row: dict, text: str) -> dict:
    start, end = row["evidence_start"], row["evidence_end"]
    return {"kind": "event", "id": row["local_id"], "type": row["type"], "mode": row["mode"],
            "quad": row["quad"], "score": row["score"], "source": row["source"], "target": row["target"],
            "date": row["date"], "evidence": {"start": start, "end": end},
            "trigger": _span(row, "trigger"), "negated": bool(row["negated"]), "hedged": bool(row["hedged"]),
            "hypothetical": bool(row["hypothetical"]), "text": text[start:end],
            "cluster": row["cluster_id"], "n_sources": row["n_sources"]}


def quantity_record(row: dict, text: str) -> dict:
    return {"kind": "quantity", "value": row["value"], "unit": row["unit"], "bound": row["bound"],
            "date": row["date"], "measure": row["measure"], "subject": row["subject"],
            "cited_source": row["cited_source"], "raw_unit": row["raw_unit"],
            "evidence": {"start": row["evidence_start"], "end": row["evidence_end"]},
            "mention": {"start": row["mention_start"], "end": row["mention_end"]},
            "text": text[row["mention_start"]:row["mention_end"]],
            "claim": row["claim_id"], "contradiction": row["contradiction"]}


def statement_record(row: dict, text: str) -> dict:
    return {"kind": "statement", "speaker": row["speaker"], "role": row["role"], "date": row["date"],
            "direct": bool(row["direct"]),
            "evidence": {"start": row["evidence_start"], "end": row["evidence_end"]},
            "content": {"start": row["content_start"], "end": row["content_end"]},
            "cue": _span(row, "cue"), "text": text[row["content_start"]:row["content_end"]]}


def timex_record(row: dict) -> dict:
    return {"kind": "timex", "text": row["text"], "start": row["start"], "end": row["end"],
            "value": row["value"], "type": row["type"], "duration": row.get("duration"),
            "anchor": row.get("anchor")}


def _span(row: dict, name: str) -> Optional[dict]:
    """``{"start", "end"}`` of an optional stored span (``NAME_start`` / ``NAME_end``), else None."""
    start, end = row.get(f"{name}_start"), row.get(f"{name}_end")
    return {"start": start, "end": end} if start is not None and end is not None else None
