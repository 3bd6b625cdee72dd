"""Time expressions -> EDTF, and the narrative time each clause is told in.

STUB: the owner replaces this with the real stage. Contract used by the other stages:

- ``extract_timexes(ctx) -> (list[Timex], Timeline)``
- ``Timeline.date_for(start, end, trigger=None) -> str | None``: the EDTF date of a
  clause/record spanning ``[start, end)``: a timex of its own clause, else the narrative
  time of its paragraph when the text still speaks of that period, else ``None``.
  ``trigger`` (a spaCy Token) lets tense decide (a present-tense "has backed" takes no
  narrative past date).
- ``Timeline.document_date`` -> str | None
"""
from __future__ import annotations

from typing import Optional

from diplograph.model import Timex


class Timeline:
    def __init__(self, timexes: list[Timex], document_date: Optional[str]):
        self.timexes = timexes
        self.document_date = document_date

    def date_for(self, start: int, end: int, trigger=None) -> Optional[str]:
        for t in self.timexes:
            if start <= t.start and t.end <= end and t.value:
                return t.value
        return None


def extract_timexes(ctx) -> tuple[list[Timex], Timeline]:
    out = []
    for ent in ctx.doc.ents:
        if ent.label_ == "DATE":
            out.append(Timex(ent.text, ent.start_char, ent.end_char, None))
    return out, Timeline(out, ctx.document.date)
