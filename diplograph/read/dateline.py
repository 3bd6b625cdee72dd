"""The document date: a dateline at the top of the text, or a metadata value made EDTF.

Contract: ``make_document(text, doc_id, date=None, source=None, title=None) -> Document``.
The date given by the caller wins; else a dateline at the top of the text; else a
metadata date (HTML, corpus field); else ``None``, and relative expressions stay
unresolved. ``Document.body_start`` marks where the prose starts after the dateline.

A dateline is a date standing at the head of the text and closed off from the prose:
``March 26, 2024:``, ``2013-10-31:``, ``Monday, 04 September 2017`` alone on its line,
``WASHINGTON, May 3, 2021 --``, ``3 May 2021 -``. A date that opens a sentence
(``1950-53 was a war``, ``May 3, 2021, the ministers met``) is prose, not a dateline.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from diplograph.model import Document

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r"))\.?"
_WEEKDAY = r"(?i:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d|21\d\d)"
# The three ways a dateline writes its date.
_DATE_FORMS = (
    rf"(?P<iso>{_YEAR}-(?P<imonth>[01]\d)-(?P<iday>[0-3]\d))(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?",
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}",
)
# What may stand before the date on a dateline: a label or a place in capitals.
_LEAD = (r"(?:(?i:published|updated|posted|last\s+updated|dated?)(?:\s+on)?\s*:?\s*"
         r"|[A-Z][A-Z.'\- ]{1,40}(?:\s*\([^)\n]{1,40}\))?,\s*)?")
# What closes a dateline off from the prose: a colon, a dash, or the end of the line.
_CLOSE = r"\s*(?::|--|[-\u2013\u2014]|\.?\s*(?=\n|\Z))"
_DATELINE = [re.compile(rf"\A[ \t]*{_LEAD}{form}(?P<close>{_CLOSE})[ \t]*\n?\s*")
             for form in _DATE_FORMS]
# A dateline is short: no need to look further than this into the text.
_HEAD_CHARS = 300


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline found at the top of a text: its EDTF day and where the prose begins."""

    date: str
    start: int
    body_start: int


def find_dateline(text: str) -> Optional[Dateline]:
    """The dateline on the first non-blank line of ``text``, or ``None``.

    Only the first line counts: a date deeper in the text is something the text tells,
    not when it was written.
    """
    lead = len(text) - len(text.lstrip("\ufeff \t\r\n\f\v"))
    head = text[lead:lead + _HEAD_CHARS]
    for pattern in _DATELINE:
        match = pattern.match(head)
        if match is None or not _closes_off(match, head):
            continue
        date = _edtf_day(match)
        if date is not None:
            return Dateline(date=date, start=lead, body_start=lead + match.end())
    return None


def _closes_off(match: re.Match, head: str) -> bool:
    """A dash closes a dateline only when prose follows it, not a number (``2021-22``)."""
    close = match.group("close").strip()
    if close in ("-", "\u2013", "\u2014", "--"):
        rest = head[match.end("close"):].lstrip(" \t")
        return not rest[:1].isdigit()
    return True


def _edtf_day(match: re.Match) -> Optional[str]:
    """``YYYY-MM-DD`` for a matched date, or ``None`` when no such day exists."""
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("iso"):
        month, day = int(groups["imonth"]), int(groups["iday"])
    else:
        month, day = MONTHS[groups["month"].lower()], int(groups["day"])
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_ISO_PREFIX = re.compile(r"\A\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|[T\s])")
_ANY_DATE = [re.compile(rf"\A\s*{form}") for form in _DATE_FORMS[1:]]


def normalise_date(value: object) -> Optional[str]:
    """An EDTF day, month or year from a metadata value (``2021-05-03T10:00Z``, ``May 3, 2021``).

    Metadata holds dates in many shapes; anything that is not plainly a calendar date is
    dropped (``None``) rather than guessed, so a bad field never dates a document wrongly.
    """
    if not isinstance(value, str):
        return None
    match = _ISO_PREFIX.match(value)
    if match:
        parts = [int(p) for p in match.groups() if p]
        try:
            dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))
        except ValueError:
            return None
        return "-".join([f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]])
    for pattern in _ANY_DATE:
        match = pattern.match(value)
        if match:
            return _edtf_day(match)
    return None


def make_document(text: str, doc_id: str, date: Optional[str] = None, source: Optional[str] = None,
                  title: Optional[str] = None, meta_date: Optional[str] = None,
                  meta_date_source: Optional[str] = None) -> Document:
    """A ``Document`` dated by, in order: ``date`` (the caller), a dateline, ``meta_date``.

    text (str): the text exactly as read; offsets index into it.
    date (str | None): EDTF date given by the user; wins over everything.
    meta_date (str | None): a date from the container (HTML metadata, corpus field).
    meta_date_source (str | None): where ``meta_date`` came from (``html``, ``corpus``).
    RETURNS (Document): with ``date_source`` saying which of these dated it.
    """
    dateline = find_dateline(text)
    body_start = dateline.body_start if dateline else 0
    if date is not None:
        chosen, chosen_source = date, "cli"
    elif dateline is not None:
        chosen, chosen_source = dateline.date, "dateline"
    elif meta_date is not None:
        chosen, chosen_source = meta_date, meta_date_source
    else:
        chosen, chosen_source = None, None
    return Document(id=doc_id, text=text, date=chosen, title=title, source=source,
                    date_source=chosen_source, body_start=body_start)
