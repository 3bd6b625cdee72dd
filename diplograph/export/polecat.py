"""``polecat``: events as PLOVER/POLECAT JSON Lines, one event record a line.

Field names follow the PLOVER manual's "Data Fields" chapter (JSON Lines, as the
manual suggests): ``id``, ``date``, ``actor`` and ``recipient`` (lists of entity
objects), ``event`` (list), ``mode`` (list), ``context`` (list), ``quad_code`` (1-4),
``event_scale`` (the PLOVER score), ``event_text`` (list: the evidence sentence),
``text_info`` (``start``/``end`` offsets of that text), ``cite_info`` (the source
document: ``citation`` its name, ``title``, ``url``), ``coder``, ``coded_date``.

- ``id`` is ``DOCUMENT#LOCAL-ID``: stable across re-ingests of the same document.
- ``date`` is ISO ``YYYY-MM-DD`` when the event is dated to a day, otherwise the EDTF
  value (``2021``, ``2018-03``, ``1950/1953``), ``null`` when undated; the first and
  last day covered are in ``diplograph.first_day`` / ``last_day``.
- an entity object is ``{"id", "name", "type", "code", "identifier_id",
  "identifier_text", "office"}``: ``code`` the ISO 3166 alpha-3 code when the actor has
  one, ``identifier_id`` its Wikidata id.
- ``context`` carries PLOVER's auxiliary ``negation`` and ``hypothetical`` where the
  text says so (diplograph codes no thematic contexts; empty otherwise).
- ``diplograph``: extras PLOVER has no field for: ``edtf``, ``first_day``,
  ``last_day``, ``negated``, ``hedged``, ``hypothetical``, ``quad_class``,
  ``cluster_id``, ``n_sources`` (documents reporting the merged event).
"""
from __future__ import annotations

import json
import re
from typing import Iterator, Optional, TextIO

from diplograph import __version__
from diplograph.export import register
from diplograph.export.select import KBReader, iso_day

# The PLOVER manual's numeric quad categories.
QUAD_CODE = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3, "material conflict": 4}
CODER = f"diplograph {__version__}"
CODEBOOK = "plover"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@register("polecat", target="text", suffix=".jsonl",
          help="PLOVER/POLECAT event records, one JSON object a line.")
def write_polecat(kb: KBReader, out: TextIO) -> int:
    """RETURNS (int): the number of event records written."""
    written = 0
    for record in polecat_records(kb):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def polecat_records(kb: KBReader) -> Iterator[dict]:
    actors = kb.actors()
    documents = {d["name"]: d for d in kb.documents()}
    for event in kb.events():
        yield polecat_record(event, actors, documents.get(event["document"], {}))


def polecat_record(event: dict, actors: dict[str, dict], document: dict) -> dict:
    """One stored event as a PLOVER record."""
    return {
        "id": f"{event['document']}#{event['local_id']}",
        "date": plover_date(event["date"]),
        "actor": [entity(a, actors) for a in event["source"]],
        "recipient": [entity(a, actors) for a in event["target"]],
        "event": [event["type"]],
        "mode": [event["mode"]] if event["mode"] else [],
        "context": auxiliary_context(event),
        "quad_code": QUAD_CODE[event["quad"]],
        "event_scale": event["score"],
        "event_text": [event["text"]],
        "text_info": {"start": event["evidence_start"], "end": event["evidence_end"]},
        "cite_info": {"citation": event["document"], "title": document.get("title"),
                      "url": _url(document.get("source")), "coder": CODER, "codebook": CODEBOOK},
        "coder": CODER,
        "coded_date": (document.get("ingested_at") or "")[:10] or None,
        "diplograph": {
            "edtf": event["date"], "first_day": iso_day(event["date_lo"]), "last_day": iso_day(event["date_hi"]),
            "negated": bool(event["negated"]), "hedged": bool(event["hedged"]),
            "hypothetical": bool(event["hypothetical"]), "quad_class": event["quad"],
            "cluster_id": event["cluster_id"], "n_sources": event["n_sources"],
        },
    }


def plover_date(edtf: Optional[str]) -> Optional[str]:
    """ISO day when the EDTF value is one day, else the EDTF value itself (None stays None)."""
    if edtf and _ISO_DAY.fullmatch(edtf):
        return edtf
    return edtf or None


def entity(actor_id: str, actors: dict[str, dict]) -> dict:
    """A PLOVER entity object for a stored actor id."""
    actor = actors.get(actor_id, {"name": actor_id, "type": None, "codes": {}, "role": None})
    codes = actor["codes"]
    return {"id": actor_id, "name": actor["name"], "type": actor["type"], "code": codes.get("iso3"),
            "identifier_id": codes.get("wikidata"), "identifier_text": actor["name"] if codes.get("wikidata") else None,
            "office": actor["role"]}


def auxiliary_context(event: dict) -> list[str]:
    """PLOVER's auxiliary contexts the stored flags support."""
    context = []
    if event["negated"]:
        context.append("negation")
    if event["hypothetical"]:
        context.append("hypothetical")
    return context


def _url(source: Optional[str]) -> Optional[str]:
    return source if source and source.startswith(("http://", "https://")) else None
