"""timelinejs: TimelineJS3 JSON that validates against its documented format.

The JSON Schema below is written from Knight Lab's "TimelineJS JSON data format" page
(timeline.knightlab.com/docs/json-format.html): an object with ``events`` (slides) and
optional ``title``, ``eras`` and ``scale``; a slide needs ``start_date`` (except the
title); a date needs ``year``; month 1-12, day 1-31. Unknown keys are refused so a
misspelt field (which TimelineJS would silently ignore) fails the test.
"""
from __future__ import annotations

import json

import jsonschema
import pytest

from diplograph.export import Selection
from diplograph.export.timeline import report_text, tl_dates
from export_helpers import run_export


def number(low: int, high: int) -> dict:
    """TimelineJS reads date parts given as numbers or as strings of digits."""
    return {"anyOf": [{"type": "integer", "minimum": low, "maximum": high},
                      {"type": "string", "pattern": r"^-?\d+$"}]}


TL_DATE = {
    "type": "object", "required": ["year"], "additionalProperties": False,
    "properties": {"year": number(-271821, 275760), "month": number(1, 12), "day": number(1, 31),
                   "hour": number(0, 23), "minute": number(0, 59), "second": number(0, 59),
                   "millisecond": number(0, 999), "display_date": {"type": "string"}, "format": {"type": "string"}},
}
TL_TEXT = {"type": "object", "additionalProperties": False,
           "properties": {"headline": {"type": "string"}, "text": {"type": "string"}}}
TL_MEDIA = {"type": "object", "required": ["url"],
            "properties": {k: {"type": "string"} for k in
                           ("url", "caption", "credit", "thumbnail", "alt", "title", "link", "link_target")}}
SLIDE_PROPERTIES = {
    "start_date": TL_DATE, "end_date": TL_DATE, "text": TL_TEXT, "media": TL_MEDIA, "group": {"type": "string"},
    "display_date": {"type": "string"}, "autolink": {"type": "boolean"}, "unique_id": {"type": "string"},
    "background": {"type": "object", "properties": {"url": {"type": "string"}, "alt": {"type": "string"},
                                                    "color": {"type": "string"}}},
}
TIMELINEJS3 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["events"], "additionalProperties": False,
    "properties": {
        "events": {"type": "array", "items": {"type": "object", "required": ["start_date"],
                                              "additionalProperties": False, "properties": SLIDE_PROPERTIES}},
        "title": {"type": "object", "additionalProperties": False, "properties": SLIDE_PROPERTIES},
        "eras": {"type": "array", "items": {"type": "object", "required": ["start_date", "end_date"],
                                            "properties": {"start_date": TL_DATE, "end_date": TL_DATE,
                                                           "text": TL_TEXT}}},
        "scale": {"enum": ["human", "cosmological"]},
    },
}


def timeline(engine, selection=None) -> dict:
    return json.loads(run_export(engine, "timelinejs", selection=selection))


def _as_tuple(date: dict) -> tuple[int, int, int]:
    return int(date["year"]), int(date.get("month", 1)), int(date.get("day", 1))


def test_export_timeline_validates_against_timelinejs3_format(kb_engine):
    document = timeline(kb_engine)
    jsonschema.Draft202012Validator.check_schema(TIMELINEJS3)
    jsonschema.validate(document, TIMELINEJS3, cls=jsonschema.Draft202012Validator)
    ids = [slide["unique_id"] for slide in document["events"]]
    assert len(ids) == len(set(ids))
    for slide in document["events"]:
        if "end_date" in slide:
            assert _as_tuple(slide["end_date"]) >= _as_tuple(slide["start_date"])


def test_export_timeline_one_slide_per_dated_event_that_happened(kb_engine):
    slides = timeline(kb_engine)["events"]
    # 10 reports: the agreement told twice is one slide; undated, negated and hypothetical ones are left out
    assert len(slides) == 7
    headlines = [s["text"]["headline"] for s in slides]
    assert headlines.count("China \u2013 AGREE \u2013 North Korea") == 1
    assert not any("did not impose" in s["text"]["text"] for s in slides)
    assert not any("seek further talks" in s["text"]["text"] for s in slides)
    groups = {s["group"] for s in slides}
    assert groups == {"Verbal cooperation", "Material cooperation", "Verbal conflict", "Material conflict"}


def test_export_timeline_merged_event_cites_every_source(kb_engine):
    slide = next(s for s in timeline(kb_engine)["events"] if "AGREE" in s["text"]["headline"])
    text = slide["text"]["text"]
    assert "pledged to deepen cooperation" in text and "agreed to expand cooperation" in text
    assert "Source: Xi visits Pyongyang, characters" in text and "Source: review-2020, characters" in text
    assert "Reported by 2 documents" in text
    assert slide["start_date"] == {"year": "2019", "month": "6"}


def test_export_timeline_respects_selection(kb_engine):
    document = timeline(kb_engine, Selection(actor="USA"))
    assert [s["text"]["headline"] for s in document["events"]] == [
        "China \u2013 ASSAULT \u2013 United States", "North Korea \u2013 ACCUSE \u2013 United States"]
    assert "involving USA" in document["title"]["text"]["text"]


@pytest.mark.parametrize("edtf, start, end, display", [
    ("2021", {"year": "2021"}, None, None),
    ("2018-03", {"year": "2018", "month": "3"}, None, None),
    ("2018-03-26", {"year": "2018", "month": "3", "day": "26"}, None, None),
    ("1950/1953", {"year": "1950"}, {"year": "1953"}, None),
    ("2017-05/2018-02-11", {"year": "2017", "month": "5"}, {"year": "2018", "month": "2", "day": "11"}, None),
    ("199X", {"year": "1990"}, {"year": "1999"}, "1990s"),
    ("19XX", {"year": "1900"}, {"year": "1999"}, "1900s"),
    ("2021-22", {"year": "2021", "month": "6"}, {"year": "2021", "month": "8"}, None),  # summer
    ("2019-24", {"year": "2019", "month": "12"}, {"year": "2020", "month": "2"}, None),  # winter
    ("../2018", {"year": "2018"}, None, "until 2018"),
    ("2023-11/..", {"year": "2023", "month": "11"}, None, "from November 2023"),
    ("199X/..", {"year": "1990"}, None, "from the 1990s"),
    ("2014~", {"year": "2014"}, None, None),
])
def test_export_timeline_dates(edtf, start, end, display):
    assert tl_dates(edtf) == (start, end, display)


@pytest.mark.parametrize("edtf", ["../..", "/", "soon", "2021-02-30", "2021-13"])
def test_export_timeline_unplaceable_dates(edtf):
    assert tl_dates(edtf) is None


def test_export_timeline_escapes_evidence_html():
    report = {"hedged": True, "document": "cable-7", "document_title": "Cable <7>", "evidence_start": 5,
              "evidence_end": 60, "text": "Officials said <b>talks</b> would resume & continue."}
    text = report_text([report])
    assert "&lt;b&gt;talks&lt;/b&gt;" in text and "&amp; continue" in text and "Cable &lt;7&gt;" in text
    assert text.startswith("<p><em>reportedly</em> ")
