"""polecat: PLOVER field names (PLOVER manual, "Data Fields") with the right types."""
from __future__ import annotations

import json

import jsonschema
import pytest

from diplograph.export.polecat import QUAD_CODE, plover_date
from diplograph.model import PLOVER_TYPES, QUAD_CLASS
from export_helpers import run_export

NULLABLE_STRING = {"type": ["string", "null"]}
ENTITY = {"type": "object", "required": ["id", "name", "type", "code"],
          "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "type": NULLABLE_STRING,
                         "code": NULLABLE_STRING, "identifier_id": NULLABLE_STRING,
                         "identifier_text": NULLABLE_STRING, "office": NULLABLE_STRING}}
# What a POLECAT/PLOVER reader relies on; the manual requires id, date, actor and event.
PLOVER_RECORD = {
    "type": "object",
    "required": ["id", "date", "actor", "recipient", "event", "mode", "context", "quad_code", "event_scale",
                 "event_text", "text_info", "cite_info", "diplograph"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "date": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2}|[0-9X./~?%-]+)$"}]},
        "actor": {"type": "array", "items": ENTITY},
        "recipient": {"type": "array", "items": ENTITY},
        "event": {"type": "array", "minItems": 1, "items": {"enum": list(PLOVER_TYPES)}},
        "mode": {"type": "array", "items": {"type": "string"}},
        "context": {"type": "array", "items": {"type": "string"}},
        "quad_code": {"enum": [1, 2, 3, 4]},
        "event_scale": {"type": "number", "minimum": -10, "maximum": 10},
        "event_text": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "text_info": {"type": "object", "required": ["start", "end"],
                      "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}}},
        "cite_info": {"type": "object", "required": ["citation"], "properties": {"citation": {"type": "string"}}},
        "diplograph": {"type": "object", "required": ["edtf", "first_day", "last_day", "n_sources", "negated"],
                       "properties": {"n_sources": {"type": "integer", "minimum": 1},
                                      "negated": {"type": "boolean"}, "hedged": {"type": "boolean"}}},
    },
}


def records(engine) -> dict[str, dict]:
    lines = run_export(engine, "polecat").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def test_export_polecat_one_valid_record_per_event(kb_engine):
    exported = records(kb_engine)
    assert len(exported) == 10
    for record in exported.values():
        jsonschema.validate(record, PLOVER_RECORD)


def test_export_polecat_fields(kb_engine):
    visit = records(kb_engine)["visit-2019#ev-1"]
    assert visit["date"] == "2019-06-20" and visit["event"] == ["CONSULT"] and visit["mode"] == ["visit"]
    assert visit["actor"][0] == {"id": "CHN", "name": "China", "type": "state", "code": "CHN", "identifier_id": "Q148",
                                 "identifier_text": "China", "office": None}
    assert [e["code"] for e in visit["recipient"]] == ["PRK"]
    assert visit["quad_code"] == 1 and visit["event_scale"] == 2.5
    assert visit["event_text"][0].startswith("SEOUL, June 20, 2019")
    assert visit["cite_info"]["citation"] == "visit-2019" and visit["cite_info"]["title"] == "Xi visits Pyongyang"
    assert visit["text_info"]["start"] == 0


@pytest.mark.parametrize("record_id, date, context, extras", [
    ("visit-2019#ev-3", "2017", [], {"first_day": "2017-01-01", "last_day": "2017-12-31", "n_sources": 1}),
    ("visit-2019#ev-4", "2019-06-20", ["negation"], {"negated": True}),
    ("visit-2019#ev-6", None, ["hypothetical"], {"hedged": True, "first_day": None}),
    ("review-2020#ev-1", "2019-06", [], {"n_sources": 2, "quad_class": "verbal cooperation"}),
    ("review-2020#ev-3", "199X/..", [], {"first_day": "1990-01-01", "last_day": None}),
])
def test_export_polecat_dates_and_flags(kb_engine, record_id, date, context, extras):
    record = records(kb_engine)[record_id]
    assert record["date"] == date and record["context"] == context
    assert {k: record["diplograph"][k] for k in extras} == extras


def test_export_polecat_source_url_only_for_web_documents(kb_engine):
    exported = records(kb_engine)
    assert exported["review-2020#ev-2"]["cite_info"]["url"] == "https://example.org/review-2020"
    assert exported["visit-2019#ev-2"]["cite_info"]["url"] is None


@pytest.mark.parametrize("event_type", PLOVER_TYPES)
def test_export_polecat_quad_codes_follow_quad_classes(event_type):
    cooperation = QUAD_CLASS[event_type].endswith("cooperation")
    verbal = QUAD_CLASS[event_type].startswith("verbal")
    assert QUAD_CODE[QUAD_CLASS[event_type]] == {(True, True): 1, (False, True): 2, (True, False): 3,
                                                 (False, False): 4}[(verbal, cooperation)]


@pytest.mark.parametrize("edtf, date", [
    ("2018-03-26", "2018-03-26"), ("2018-03", "2018-03"), ("2021", "2021"), ("1950/1953", "1950/1953"),
    (None, None), ("", None),
])
def test_export_polecat_date(edtf, date):
    assert plover_date(edtf) == date
