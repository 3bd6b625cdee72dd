"""``timelinejs``: the dated events as TimelineJS3 JSON, loadable by TimelineJS as is.

One JSON object ``{"title": slide, "events": [slide, ...]}`` in the format documented
at timeline.knightlab.com/docs/json-format.html. One slide per event as merged across
documents (an event cluster), its text listing every report's evidence with its source
document and character offsets; ``group`` is the PLOVER quad class, so TimelineJS draws
one row per quad.

Dates keep their EDTF precision: ``2021`` gives ``{"year": "2021"}``, ``2018-03`` a
month, ``1950/1953`` a ``start_date`` and an ``end_date``, ``199X`` the years 1990 to
1999 (shown as "1990s"). An open range is placed at its known end (``../2018`` starts
in 2018, shown as "until 2018"; ``199X/..`` starts in 1990, "from the 1990s"). Date
parts are strings, as in Knight Lab's own examples.
Undated events are left out (a timeline cannot place them), and so are negated and
hypothetical ones (they did not happen); hedged ones are kept and marked "reportedly".
"""
from __future__ import annotations

import calendar
import html
import json
import re
from typing import Optional, TextIO

from diplograph.export import register
from diplograph.export.select import KBReader

_POINT = re.compile(r"(\d{2})(\d|X)(\d|X)(?:-(\d{2}))?(?:-(\d{2}))?")
_SEASONS = {21: ("spring", 3, 5), 22: ("summer", 6, 8), 23: ("autumn", 9, 11), 24: ("winter", 12, 14)}

TLDate = dict[str, str]


@register("timelinejs", target="text", suffix=".json",
          help="TimelineJS3 JSON: one slide per dated event, grouped by quad class.")
def write_timelinejs(kb: KBReader, out: TextIO) -> int:
    """RETURNS (int): the number of event slides written."""
    timeline = timeline_json(kb)
    json.dump(timeline, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(timeline["events"])


def timeline_json(kb: KBReader) -> dict:
    """The TimelineJS3 object for the selected events."""
    actors = kb.actors()
    slides, documents = [], set()
    for reports in _merged_events(kb.events()):
        slide = event_slide(reports, actors)
        if slide is not None:
            slides.append(slide)
            documents.update(r["document"] for r in reports)
    return {"title": {"text": {"headline": "diplograph timeline",
                               "text": html.escape(f"{len(slides)} dated events from {len(documents)} documents"
                                                   f"{_selection_note(kb)}")}},
            "events": slides}


def _merged_events(events: list[dict]) -> list[list[dict]]:
    """Reports grouped by event cluster (an unclustered report is its own event), kept in date order."""
    groups: dict[tuple, list[dict]] = {}
    for event in events:
        key = ("cluster", event["cluster_id"]) if event["cluster_id"] is not None else ("event", event["id"])
        groups.setdefault(key, []).append(event)
    return list(groups.values())


def event_slide(reports: list[dict], actors: dict[str, dict]) -> Optional[dict]:
    """A slide for one event, or None when it has no usable date or did not happen."""
    happened = [r for r in reports if not r["negated"] and not r["hypothetical"]]
    dated = [r for r in happened if r["date"] and tl_dates(r["date"]) is not None]
    if not dated:
        return None
    narrowest = min(dated, key=_span_days)
    start, end, display = tl_dates(narrowest["date"])
    first = happened[0]
    slide = {"start_date": start}
    if end is not None:
        slide["end_date"] = end
    if display:
        slide["display_date"] = display
    slide.update({"text": {"headline": html.escape(headline(first, actors)), "text": report_text(happened)},
                  "group": first["quad"].capitalize(), "unique_id": _slide_id(first)})
    return slide


def headline(event: dict, actors: dict[str, dict]) -> str:
    """Who did what to whom, by name: "China - AGREE - North Korea"."""
    def names(ids: list[str]) -> str:
        return ", ".join(actors[a]["name"] if a in actors else a for a in ids)

    parts = [names(event["source"]) or "(unknown)", event["type"]]
    if event["target"]:
        parts.append(names(event["target"]))
    return " \u2013 ".join(parts)


def report_text(reports: list[dict]) -> str:
    """Every report's evidence (HTML-escaped) with its source document and offsets."""
    paragraphs = []
    for report in reports:
        hedge = "<em>reportedly</em> " if report["hedged"] else ""
        source = (f"{report['document_title'] or report['document']}, characters "
                  f"{report['evidence_start']}\u2013{report['evidence_end']}")
        evidence = html.escape(report["text"])
        paragraphs.append(f"<p>{hedge}{evidence}<br><small>Source: {html.escape(source)}</small></p>")
    count = len({r["document"] for r in reports})
    if count > 1:
        paragraphs.append(f"<p><small>Reported by {count} documents.</small></p>")
    return "".join(paragraphs)


def _slide_id(event: dict) -> str:
    """An HTML-safe id, unique per slide (TimelineJS uses it in URL fragments)."""
    return f"cluster-{event['cluster_id']}" if event["cluster_id"] is not None else f"event-{event['id']}"


def _span_days(event: dict) -> float:
    lo, hi = event["date_lo"], event["date_hi"]
    return (hi - lo) if lo is not None and hi is not None else float("inf")


def _selection_note(kb: KBReader) -> str:
    sel = kb.selection
    notes = [f"from {sel.date_from}" if sel.date_from else "", f"to {sel.date_to}" if sel.date_to else "",
             f"involving {sel.actor}" if sel.actor else ""]
    notes = [n for n in notes if n]
    return f" ({' '.join(notes)})" if notes else ""


# -- EDTF to TimelineJS dates ---------------------------------------------------------------

def tl_dates(edtf: str) -> Optional[tuple[TLDate, Optional[TLDate], Optional[str]]]:
    """(start_date, end_date or None, display_date or None) for an EDTF value, None when
    it names no usable time."""
    value = edtf.strip()
    if "/" not in value:
        point = _point(value)
        if point is None:
            return None
        first, last = point
        return first, (last if last != first else None), _decade_label(value)
    a, b = (part.strip() for part in value.split("/", 1))
    a_open, b_open = a in ("", ".."), b in ("", "..")
    if a_open and b_open:
        return None
    if a_open or b_open:  # an open range: placed at its known end, shown "from X" / "until X"
        known = b if a_open else a
        point = _point(known)
        if point is None:
            return None
        return point[0], None, ("until " if a_open else "from ") + _human(known, in_phrase=True)
    start, end = _point(a), _point(b)
    if start is None or end is None:
        return None
    return start[0], end[1], None


def _point(value: str) -> Optional[tuple[TLDate, TLDate]]:
    """First and last TimelineJS date of one EDTF point, at the point's own precision."""
    m = _POINT.fullmatch(value.strip().rstrip("~?%"))
    if not m:
        return None
    cc, d3, d4, mm, dd = m.groups()
    lo_y = cc + d3.replace("X", "0") + d4.replace("X", "0")
    hi_y = cc + d3.replace("X", "9") + d4.replace("X", "9")
    if mm is None:
        return {"year": str(int(lo_y))}, {"year": str(int(hi_y))}
    month = int(mm)
    if month in _SEASONS and dd is None:
        _, first, last = _SEASONS[month]
        end_year, end_month = (int(hi_y) + 1, last - 12) if last > 12 else (int(hi_y), last)
        return ({"year": str(int(lo_y)), "month": str(first)},
                {"year": str(end_year), "month": str(end_month)})
    if not 1 <= month <= 12:
        return None
    if dd is None:
        return {"year": str(int(lo_y)), "month": str(month)}, {"year": str(int(hi_y)), "month": str(month)}
    day = int(dd)
    if not 1 <= day <= calendar.monthrange(int(lo_y), month)[1]:
        return None
    date = {"year": str(int(lo_y)), "month": str(month), "day": str(day)}
    return date, dict(date)


def _decade_label(value: str) -> Optional[str]:
    """"1990s" for ``199X``, "1900s" for ``19XX``: what TimelineJS cannot say by itself."""
    m = re.fullmatch(r"(\d{2})(\d|X)X", value.strip().rstrip("~?%"))
    if not m:
        return None
    return f"{m.group(1)}{m.group(2).replace('X', '0')}0s"


def _human(value: str, in_phrase: bool = False) -> str:
    """A readable EDTF point: "2018", "March 2018", "26 March 2018", "1990s" ("the 1990s" in a phrase)."""
    decade = _decade_label(value)
    if decade:
        return f"the {decade}" if in_phrase else decade
    m = _POINT.fullmatch(value.strip().rstrip("~?%"))
    if not m or m.group(4) is None:
        return value
    year, month, day = m.group(1) + m.group(2) + m.group(3), int(m.group(4)), m.group(5)
    if month in _SEASONS:
        return f"{_SEASONS[month][0]} {year}"
    name = calendar.month_name[month] if 1 <= month <= 12 else m.group(4)
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"
