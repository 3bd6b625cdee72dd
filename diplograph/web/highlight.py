"""A document's text as HTML with its records highlighted, in the manner of spaCy's displaCy.

Actors (by type), event triggers, figures, time expressions and statements are marked
in the text, each with a small tag after it; sentences are wrapped so a record in the
side list can scroll to its own. Every piece of document text and every attribute goes
through ``html.escape``: a document can hold ``<script>`` and stays text.
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from typing import Optional

KINDS = ("actor", "event", "figure", "time", "statement")
KIND_LABELS = {"actor": "Actor", "event": "Event", "figure": "Figure", "time": "Time", "statement": "Statement"}
# Which colour a stretch of text takes when marks overlap: the narrower kinds win.
_PRIORITY = {"time": 4, "figure": 3, "event": 2, "actor": 1, "statement": 0}
_LINE = re.compile(r"[^\n]+")
EXCERPT_CHARS = 140


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted span: what kind of record, its tag, its tooltip and the side-list entry it belongs to."""

    kind: str
    start: int
    end: int
    label: str
    title: str
    ref: str
    subtype: Optional[str] = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "label": self.label, "title": self.title,
                "ref": self.ref, "subtype": self.subtype}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def marks_of(text: str, records: dict) -> list[Mark]:
    """Every span to highlight, from a stored document's records (``Store.document_records``)."""
    found: list[Mark] = []
    for actor in records.get("actors", []):
        title = ", ".join(filter(None, (actor.get("name") or actor["id"], actor.get("type"), actor.get("role"))))
        for mention in actor.get("mentions", []):
            found.append(Mark("actor", mention["start"], mention["end"], actor["id"], title,
                              f"actor-{actor['id']}", actor.get("type")))
    for index, event in enumerate(records.get("events", [])):
        trigger = event.get("trigger")
        if trigger:
            found.append(Mark("event", trigger["start"], trigger["end"], event["type"], _event_title(event),
                              f"event-{index}"))
    for index, quantity in enumerate(records.get("quantities", [])):
        mention = quantity.get("mention")
        if mention:
            found.append(Mark("figure", mention["start"], mention["end"], quantity.get("measure") or "figure",
                              _figure_title(quantity), f"figure-{index}"))
    for index, timex in enumerate(records.get("timexes", [])):
        found.append(Mark("time", timex["start"], timex["end"], timex.get("value") or "time",
                          f"{timex.get('type') or 'time'}: {timex.get('value')}", f"time-{index}"))
    for index, statement in enumerate(records.get("statements", [])):
        content = statement.get("content")
        if content:
            found.append(Mark("statement", content["start"], content["end"], "statement",
                              f"{', '.join(statement.get('speaker') or []) or 'someone'} "
                              f"({'direct' if statement.get('direct') else 'reported'})", f"statement-{index}"))
    size = len(text)
    return sorted((mark for mark in found if 0 <= mark.start < mark.end <= size),
                  key=lambda mark: (mark.start, -mark.end, mark.kind))


def sentence_blocks(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Disjoint sentence spans in order: the stored ones, else the text's lines."""
    spans = sentences or [(match.start(), match.end()) for match in _LINE.finditer(text)]
    blocks: list[tuple[int, int]] = []
    last_end = 0
    for start, end in sorted(spans):
        start, end = max(start, 0), min(end, len(text))
        if start >= last_end and start < end:
            blocks.append((start, end))
            last_end = end
    return blocks


def sentence_of(blocks: list[tuple[int, int]], offset: int) -> Optional[int]:
    """The start of the sentence holding ``offset`` (or the nearest one before it)."""
    if not blocks:
        return None
    index = bisect.bisect_right([start for start, _ in blocks], offset) - 1
    return blocks[max(index, 0)][0]


def render_html(text: str, marks: list[Mark], blocks: list[tuple[int, int]]) -> str:
    """The text as escaped HTML: sentences as ``<span class="sent" id="sent-N">``, marks as ``<mark>``."""
    cuts = {0, len(text)}
    for mark in marks:
        cuts.update((mark.start, mark.end))
    for start, end in blocks:
        cuts.update((start, end))
    points = sorted(cuts)
    starts = {start: end for start, end in blocks}
    ends = {end for _, end in blocks}
    pending = list(marks)  # sorted by start
    active: list[Mark] = []
    out: list[str] = []
    next_mark = 0
    for a, b in zip(points, points[1:]):
        active = [mark for mark in active if mark.end > a]
        while next_mark < len(pending) and pending[next_mark].start <= a:
            if pending[next_mark].end > a:
                active.append(pending[next_mark])
            next_mark += 1
        if a in starts:
            out.append(f'<span class="sent" id="sent-{a}" data-start="{a}" data-end="{starts[a]}">')
        out.append(_segment(text[a:b], active))
        for mark in active:
            if mark.end == b:
                out.append(f'<span class="tag k-{esc(mark.kind)}" aria-hidden="true">{esc(mark.label)}</span>')
        if b in ends:
            out.append("</span>")
    return "".join(out)


def _segment(piece: str, active: list[Mark]) -> str:
    if not active:
        return esc(piece)
    top = max(active, key=lambda mark: (_PRIORITY[mark.kind], -(mark.end - mark.start)))
    classes = ["hl", f"k-{top.kind}"]
    if top.subtype:
        classes.append(f"t-{top.subtype}")
    if top.kind != "statement" and any(mark.kind == "statement" for mark in active):
        classes.append("in-statement")
    title = " · ".join(dict.fromkeys(f"{KIND_LABELS[mark.kind]}: {mark.title}" for mark in active))
    return (f'<mark class="{esc(" ".join(classes))}" title="{esc(title)}" data-ref="{esc(top.ref)}">'
            f"{esc(piece)}</mark>")


def side_list(records: dict, blocks: list[tuple[int, int]]) -> list[dict]:
    """The records as the side list shows them, by kind: ``{kind, title, items: [{ref, label, detail, sentence}]}``."""
    def item(ref: str, label: str, detail: str, offset: Optional[int]) -> dict:
        return {"ref": ref, "label": label, "detail": detail,
                "sentence": sentence_of(blocks, offset) if offset is not None else None}

    actors = [item(f"actor-{a['id']}", a.get("name") or a["id"],
                   f"{a['id']} · {a.get('type') or 'actor'} · {len(a.get('mentions', []))} mentions",
                   a["mentions"][0]["start"] if a.get("mentions") else None)
              for a in records.get("actors", [])]
    events = [item(f"event-{i}", e["type"], _event_parties(e), (e.get("evidence") or {}).get("start"))
              for i, e in enumerate(records.get("events", []))]
    figures = [item(f"figure-{i}", q.get("measure") or "figure", _figure_title(q),
                    (q.get("evidence") or q.get("mention") or {}).get("start"))
               for i, q in enumerate(records.get("quantities", []))]
    statements = [item(f"statement-{i}", ", ".join(st.get("speaker") or []) or "someone",
                       _excerpt(st.get("text") or ""), (st.get("evidence") or {}).get("start"))
                  for i, st in enumerate(records.get("statements", []))]
    times = [item(f"time-{i}", t["text"], f"{t.get('type') or 'time'} · {t.get('value')}", t["start"])
             for i, t in enumerate(records.get("timexes", []))]
    groups = [("actor", "Actors", actors), ("event", "Events", events), ("figure", "Figures", figures),
              ("statement", "Statements", statements), ("time", "Time expressions", times)]
    return [{"kind": kind, "title": title, "items": items} for kind, title, items in groups]


def _event_title(event: dict) -> str:
    return f"{event['type']} {_event_parties(event)}"


def _event_parties(event: dict) -> str:
    """Who acted on whom and when, with the flags of a denied, hedged or hypothetical report."""
    who = f"{','.join(event.get('source') or []) or '?'} → {','.join(event.get('target') or []) or '?'}"
    flags = [flag for flag in ("negated", "hedged", "hypothetical") if event.get(flag)]
    return " ".join(filter(None, (who, event.get("date") or "undated", f"({', '.join(flags)})" if flags else "")))


def _figure_title(quantity: dict) -> str:
    bound = "" if quantity.get("bound") in (None, "eq") else f"{quantity['bound']} "
    subject = ",".join(quantity.get("subject") or [])
    return " ".join(filter(None, (quantity.get("measure"), subject, f"{bound}{format_value(quantity.get('value'))}",
                                  quantity.get("unit"), quantity.get("date") or "undated")))


def format_value(value: object) -> str:
    if isinstance(value, (int, float)):
        if abs(value) >= 1e9:
            return f"{value / 1e9:,.3g} billion"
        if abs(value) >= 1e6:
            return f"{value / 1e6:,.3g} million"
        return f"{value:,.6g}"
    return str(value)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"
