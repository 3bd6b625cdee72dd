"""Time expressions -> EDTF, and the narrative time each clause is told in.

Contract used by the other stages:

- ``extract_timexes(ctx) -> (list[Timex], Timeline)``
- ``Timeline.date_for(start, end, trigger=None) -> str | None``: the EDTF date of a
  clause/record spanning ``[start, end)``: a timex of its own clause, else the narrative
  time of its paragraph when the text still speaks of that period, else ``None``.
  ``trigger`` (a spaCy Token) lets tense decide (a present-tense "has backed" takes no
  narrative past date).
- ``Timeline.narrative_at(offset)``, ``Timeline.timexes_in(start, end)``,
  ``Timeline.document_date``.

How it works: regular patterns built from the word lists in ``data/time.yaml`` find
calendar expressions (dates, years, decades, centuries, ranges, open intervals),
relative phrases and durations; spaCy DATE entities fill in what the patterns miss.
One pass in text order then resolves relative phrases against a running narrative
time (the period the text is speaking of), which each absolute date moves and each
paragraph break clears.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import yaml
from pydantic import BaseModel, field_validator

from diplograph.model import Timex

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "time.yaml"


# --------------------------------------------------------------------------- lexicon

class TimeSignals(BaseModel):
    open_start: list[str]
    open_end: list[str]
    before: list[str]
    after: list[str]
    by: list[str]


class TimeLexicon(BaseModel):
    """Schema of ``data/time.yaml``: calendar words, signals and relative phrases by meaning."""

    months: dict[str, int]
    seasons: dict[str, int]
    number_words: dict[str, int]
    ordinals: dict[str, int]
    decade_words: dict[str, int]
    period_modifiers: list[str]
    signals: TimeSignals
    relative: dict[str, list[str]]
    duration_units: dict[str, float]
    vague_quantities: list[str]
    non_year_before: list[str]
    non_year_after: list[str]
    ignore_ner: list[str]

    @field_validator("months")
    @classmethod
    def _months_in_range(cls, v: dict[str, int]) -> dict[str, int]:
        if any(not 1 <= m <= 12 for m in v.values()):
            raise ValueError("month numbers must be 1..12")
        return v

    @field_validator("seasons")
    @classmethod
    def _seasons_edtf(cls, v: dict[str, int]) -> dict[str, int]:
        if any(not 21 <= s <= 24 for s in v.values()):
            raise ValueError("seasons use EDTF codes 21..24")
        return v

    @field_validator("relative")
    @classmethod
    def _known_meanings(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(v) - set(RELATIVE_MEANINGS)
        if unknown:
            raise ValueError(f"unknown relative meanings: {sorted(unknown)}")
        return v


RELATIVE_MEANINGS = (
    "same_year", "next_year", "previous_year", "same_month", "next_month", "previous_month",
    "narrative_time", "since_narrative", "until_narrative", "document_now",
    "document_previous_year", "document_next_year", "document_month", "document_previous_month",
    "document_next_month", "vague",
)


@lru_cache(maxsize=1)
def load_lexicon(path: Path = DATA_FILE) -> TimeLexicon:
    """The validated time lexicon (read once)."""
    with open(path, encoding="utf-8") as fh:
        return TimeLexicon.model_validate(yaml.safe_load(fh))


def _alternation(words) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace.

    Ties are broken alphabetically so the pattern is the same in every process (set order
    follows the hash seed, and worker processes must extract exactly what one process does).
    """
    parts = sorted({w.strip() for w in words if w.strip()}, key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


# --------------------------------------------------------------------------- EDTF helpers

def _y(year: int) -> str:
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def _shift_month(value: str, months: int) -> str:
    year, month = int(value[:4]), int(value[5:7])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _year_of(value: Optional[str]) -> Optional[str]:
    """The year part of a point or the last known year of an interval (decades keep their X)."""
    if not value:
        return None
    if "/" in value:
        first, last = value.split("/", 1)
        value = last if last not in ("", "..") else first
    return value[:4] if len(value) >= 4 and value[:4] not in ("..",) else None


def _point_of(value: Optional[str]) -> Optional[str]:
    """A point that stands for a value as narrative time (an open interval's known end)."""
    if not value:
        return None
    if value.startswith("../"):
        return value[3:]
    if value.endswith("/.."):
        return value[:-3]
    return value


def _range_end(value: str) -> str:
    """The last point of a closed range (a point stays itself): 'since then' after 1948/1994 is 1994/..."""
    return value.split("/", 1)[1] if "/" in value else value


def _before(value: str) -> str:
    """The last unit before a point: ../1989 for "before 1990", ../2020-02 for "before March 2020"."""
    if "X" in value:
        return f"../{int(value[:4].replace('X', '0')) - 1:04d}"
    if len(value) == 4:
        return f"../{int(value) - 1:04d}"
    if len(value) == 7:
        return f"../{_shift_month(value, -1)}"
    return f"../{value}"


def _after(value: str) -> str:
    if "X" in value:
        width = 10 ** value.count("X")
        return f"{int(value[:4].replace('X', '0')) + width:04d}/.."
    if len(value) == 4:
        return f"{int(value) + 1:04d}/.."
    if len(value) == 7:
        return f"{_shift_month(value, 1)}/.."
    return f"{value}/.."


# --------------------------------------------------------------------------- candidates

@dataclass
class Candidate:
    """A time expression found in the text, before relative values are resolved.

    ``value`` is set for absolute expressions; ``resolve`` (a name) says how to place a
    relative one, with ``arg`` (a month number, a year offset, ...).
    """

    start: int
    end: int
    kind: str = "date"
    value: Optional[str] = None
    resolve: Optional[str] = None
    arg: object = None
    duration: Optional[float] = None
    grain: str = "year"  # year | month | day | decade | century | range

    def overlaps(self, other: "Candidate") -> bool:
        return self.start < other.end and other.start < self.end


class Patterns:
    """The compiled regular expressions, built once from the lexicon."""

    def __init__(self, lex: TimeLexicon):
        self.lex = lex
        month = "(?:" + _alternation(lex.months) + r")\.?"
        self.month_re = month
        mod = _alternation(lex.period_modifiers)
        day = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
        dash = r"\s*(?:-|–|—|to|through)\s*"
        year = r"(?:1\d{3}|20\d{2}|2100)"
        ordinal = r"(?:\d{1,2}(?:st|nd|rd|th)|" + _alternation(lex.ordinals) + ")"
        era = r"(?:A\.?\s?D\.?|B\.?\s?C\.?(?:\s?E\.?)?|C\.?E\.?)(?![A-Za-z])"
        flags = re.IGNORECASE
        self.iso = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
        self.month_day_year = re.compile(
            rf"\b(?P<m>{month})\s+(?P<d1>{day})(?:{dash}(?:(?P<m2>{month})\s+)?(?P<d2>{day}))?,?\s+(?P<y>{year})\b",
            flags)
        self.day_month_year = re.compile(
            rf"\b(?P<d1>{day})(?:{dash}(?P<d2>{day}))?\s+(?P<m>{month}),?\s+(?P<y>{year})\b", flags)
        self.month_year = re.compile(rf"\b(?:(?P<mod>{mod})[\s-]+)?(?P<m>{month}),?\s+(?:of\s+)?(?P<y>{year})\b",
                                     flags)
        self.season_year = re.compile(
            rf"\b(?:(?P<mod>{mod})[\s-]+)?(?:the\s+)?(?P<s>{_alternation(lex.seasons)})\s+(?:of\s+)?(?P<y>{year})\b",
            flags)
        self.month_day = re.compile(rf"\b(?P<m>{month})\s+(?P<d1>{day})(?:{dash}(?P<d2>{day}))?\b(?!,?\s+\d)", flags)
        self.month_alone = re.compile(
            rf"\b(?P<pre>that|the same|last|next|this|in|early|late|mid-?|since|until|by|during|through|"
            rf"throughout|from|the following|the previous)?\s*(?P<m>{month})\b(?![\s,]+\d)", flags)
        decade = r"(?P<dec>(?:1\d|20)\d0)'?s"
        self.season_alone = re.compile(
            rf"\b(?P<pre>that|the same|that same|last|next|this|in the|during the|by the|early|late)\s+"
            rf"(?P<s>{_alternation(lex.seasons)})\b(?!\s+(?:of\s+)?\d)", flags)
        self.decade = re.compile(
            rf"(?:\bthe\s+)?(?:\b(?P<mod>{mod})[\s-]+)?(?:{decade}|\b(?P<dw>{_alternation(lex.decade_words)})\b"
            rf"|'(?P<short>\d)0s)", flags)
        self.century = re.compile(
            rf"(?:\bthe\s+)?(?:\b(?:{mod})[\s-]+)?(?:the\s+)?\b(?P<c1>{ordinal})(?:\s+(?:and|or|to|through)\s+"
            rf"(?:(?:{mod})[\s-]+)?(?P<c2>{ordinal}))?[\s-]+centur(?:y|ies)\b(?:,?\s*(?P<era>{era}))?", flags)
        self.modified_year = re.compile(rf"\b(?P<mod>{mod})[\s-]+(?:of\s+)?(?P<y>{year})\b(?!\s*[-–]\s*\d)", flags)
        self.year_range = re.compile(
            r"(?<![\d,.$#/])(?P<a>\d{3,4})\s?(?:-|–|—)\s?(?P<b>\d{2,4})(?![\d%]|[.,]\d)")
        self.era_year = re.compile(
            rf"(?:\b(?P<approx>approximately|about|around|circa|c\.|ca\.)\s+)?\b(?P<y>\d{{1,4}})\s*(?P<era>{era})",
            flags)
        self.bare_year = re.compile(r"(?<![\w$£€¥#.,/])(?P<y>(?:1\d{3}|20\d{2}|2100))(?![\w%]|[.,]\d)")
        number = _alternation(list(lex.number_words)) + r"|\d+(?:\.\d+)?"
        units = r"(?P<unit>years?|months?|weeks?|days?|decades?|centur(?:y|ies))"
        self.relative_shift = re.compile(
            rf"\b(?P<n>{number})\s+(?P<unit>years?|months?)\s+(?P<dir>later|earlier|afterwards?|before|ago)\b",
            flags)
        vague_q = _alternation(lex.vague_quantities)
        self.duration = re.compile(
            rf"\b(?:(?:another|the\s+(?:past|last|next|first|previous|following))\s+)?"
            rf"(?:(?:(?P<n>{number})|(?P<q>{vague_q}))[\s-]+)?{units}\b", flags)
        self.hyphen_duration = re.compile(rf"\b(?P<n>{number})-(?P<unit>year|month|week|day|decade)\b", flags)
        self.relative = [(meaning, re.compile(rf"(?<![\w-])(?:{_alternation(words)})(?![\w-])", flags))
                         for meaning, words in lex.relative.items()]
        sig = lex.signals
        self.signal_before = re.compile(
            rf"(?P<sig>(?<![\w-])(?:{_alternation(sig.open_start + sig.open_end + sig.before + sig.after + sig.by)}))"
            rf"(?:\s+(?:in|on|from|the\s+end\s+of))?\s*$", flags)
        self.signal_kind: dict[str, str] = {}
        for kind in ("open_start", "open_end", "before", "after", "by"):
            for word in getattr(sig, kind):
                self.signal_kind[re.sub(r"\s+", " ", word.lower())] = kind
        self.non_year_before = {w.lower().rstrip(".") for w in lex.non_year_before}
        self.non_year_after = {w.lower() for w in lex.non_year_after}
        self.first_since = re.compile(rf"\bfirst\b[^.;]{{0,60}}$", flags)


@lru_cache(maxsize=1)
def _patterns() -> Patterns:
    return Patterns(load_lexicon())


def _month_number(word: str, lex: TimeLexicon) -> int:
    return lex.months[word.lower().rstrip(".")]


def _number(word: str, lex: TimeLexicon) -> Optional[float]:
    word = word.lower()
    if word in lex.number_words:
        return float(lex.number_words[word])
    try:
        return float(word)
    except ValueError:
        return None


def _ordinal(word: str, lex: TimeLexicon) -> int:
    word = re.sub(r"\s+", " ", word.lower())
    if word in lex.ordinals:
        return lex.ordinals[word]
    return int(re.match(r"\d+", word).group())


def _day(word: str) -> int:
    return int(re.match(r"\d+", word).group())


# --------------------------------------------------------------------------- finders

Finder = Callable[[str, Patterns], list[Candidate]]


def _find_calendar_dates(text: str, p: Patterns) -> list[Candidate]:
    """Full dates, month-years, seasons and day ranges: the most specific forms first."""
    out = []
    lex = p.lex
    for m in p.iso.finditer(text):
        y, mo, d = m.groups()
        if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
            out.append(Candidate(m.start(), m.end(), value=f"{y}-{mo}-{d}", grain="day"))
    for rx in (p.month_day_year, p.day_month_year):
        for m in rx.finditer(text):
            month, year = _month_number(m["m"], lex), m["y"]
            first = f"{year}-{month:02d}-{_day(m['d1']):02d}"
            if m["d2"]:
                month2 = _month_number(m["m2"], lex) if "m2" in m.groupdict() and m["m2"] else month
                last = f"{year}-{month2:02d}-{_day(m['d2']):02d}"
                out.append(Candidate(m.start(), m.end(), kind="range", value=f"{first}/{last}", grain="range"))
            else:
                out.append(Candidate(m.start(), m.end(), value=first, grain="day"))
    for m in p.month_year.finditer(text):
        out.append(Candidate(m.start(), m.end(), value=f"{m['y']}-{_month_number(m['m'], lex):02d}", grain="month"))
    for m in p.season_year.finditer(text):
        out.append(Candidate(m.start(), m.end(), value=f"{m['y']}-{lex.seasons[m['s'].lower()]}", grain="month"))
    return out


def _find_yearless_dates(text: str, p: Patterns) -> list[Candidate]:
    """Month-day and month names without a year: the year comes from narrative time."""
    out = []
    lex = p.lex
    for m in p.month_day.finditer(text):
        if not 1 <= _day(m["d1"]) <= 31:
            continue
        arg = (_month_number(m["m"], lex), _day(m["d1"]), _day(m["d2"]) if m["d2"] else None)
        out.append(Candidate(m.start(), m.end(), resolve="month_day", arg=arg, grain="day"))
    for m in p.month_alone.finditer(text):
        word = m["m"]
        if not word[0].isupper() or len(word.rstrip(".")) < 3:
            continue
        pre = (m["pre"] or "").lower()
        if word.lower() in ("may", "march", "mar") and not pre:
            continue  # the modal verb and the verb "march" need a time word before them
        if not pre and not _capitalised_in_context(text, m.start("m")):
            continue
        start = m.start("pre") if pre in ("that", "the same", "last", "next", "this", "the following",
                                          "the previous") else m.start("m")
        out.append(Candidate(start, m.end(), resolve="month_" + ("document" if pre in ("last", "next", "this")
                                                               else "narrative"),
                             arg=(_month_number(word, lex), pre), grain="month"))
    for m in p.season_alone.finditer(text):
        pre = re.sub(r"\s+", " ", m["pre"].lower())
        where = "document" if pre in ("last", "next", "this") else "narrative"
        out.append(Candidate(m.start(), m.end(), resolve="season_" + where,
                             arg=(lex.seasons[m["s"].lower()], pre), grain="month"))
    return out


def _capitalised_in_context(text: str, at: int) -> bool:
    """A bare month name counts when a preposition of time stands right before it."""
    before = text[max(0, at - 12):at].lower()
    return bool(re.search(r"\b(?:in|on|of|during|until|since|by|before|after)\s+$", before))


def _find_periods(text: str, p: Patterns) -> list[Candidate]:
    """Decades (199X) and centuries (08XX), alone or paired into a range."""
    out = []
    lex = p.lex
    for m in p.decade.finditer(text):
        if m["dec"]:
            value = m["dec"][:3] + "X"
        elif m["dw"]:
            value = f"19{lex.decade_words[m['dw'].lower()]}X"
        else:
            value = f"19{m['short']}X"
        out.append(Candidate(m.start(), m.end(), value=value, grain="decade"))
    for m in p.century.finditer(text):
        bc = bool(m["era"]) and m["era"].upper().startswith("B")
        if bc:  # the scorer's EDTF subset has no negative centuries; keep the span, leave the value open
            out.append(Candidate(m.start(), m.end(), kind="vague", grain="century"))
            continue
        first = f"{_ordinal(m['c1'], lex) - 1:02d}XX"
        if m["c2"]:
            last = f"{_ordinal(m['c2'], lex) - 1:02d}XX"
            out.append(Candidate(m.start(), m.end(), kind="range", value=f"{first}/{last}", grain="range"))
        else:
            out.append(Candidate(m.start(), m.end(), value=first, grain="century"))
    return out


def _find_years(text: str, p: Patterns, doc=None) -> list[Candidate]:
    """Years: modified ("late 2017"), ranges ("1950-53", "918-1392"), era years, bare years."""
    out = []
    for m in p.modified_year.finditer(text):
        out.append(Candidate(m.start(), m.end(), value=m["y"]))
    for m in p.year_range.finditer(text):
        a, b = m["a"], m["b"]
        if len(b) < len(a):
            b = a[: len(a) - len(b)] + b
        first, last = int(a), int(b)
        if not (first < last <= 2100) or (len(m["a"]) == 3 and len(m["b"]) != 4) or last < 1000 \
                or last - first > 700:
            continue
        if not _year_context_ok(text, m.start(), m.end(), p):
            continue
        out.append(Candidate(m.start(), m.end(), kind="range", value=f"{first:04d}/{last:04d}", grain="range"))
    for m in p.era_year.finditer(text):
        year = int(m["y"])
        if year == 0:
            continue
        bc = m["era"].upper().startswith("B")
        value = _y(-(year - 1)) if bc else _y(year)
        if m["approx"]:
            value += "~"
        out.append(Candidate(m.start(), m.end(), value=value, kind="vague" if bc else "date"))
    for m in p.bare_year.finditer(text):
        if _year_context_ok(text, m.start(), m.end(), p):
            out.append(Candidate(m.start(), m.end(), value=m["y"]))
    return out


def _year_context_ok(text: str, start: int, end: int, p: Patterns) -> bool:
    """A number is a year unless a name word precedes it or a unit/count noun follows it."""
    before = text[max(0, start - 20):start]
    after = text[end:end + 20]
    prev = re.search(r"([\w$#.]+)\W*$", before)
    if before.endswith(("$", "#", "€", "£", "¥")):
        return False
    if prev and prev.group(1).lower().rstrip(".") in p.non_year_before:
        return False
    nxt = re.match(r"\s*([\w%]+)", after)
    return not (nxt and nxt.group(1).lower() in p.non_year_after)


def _find_relative(text: str, p: Patterns) -> list[Candidate]:
    """Narrative and deictic phrases ("that year", "since then", "today"), shifts ("two years later")."""
    out = []
    for meaning, rx in p.relative:
        for m in rx.finditer(text):
            kind = "vague" if meaning == "vague" else (
                "range" if meaning in ("since_narrative", "until_narrative") else "date")
            out.append(Candidate(m.start(), m.end(), kind=kind, resolve=meaning))
    for m in p.relative_shift.finditer(text):
        n = _number(m["n"], p.lex)
        if n is None:
            continue
        sign = 1 if m["dir"].lower().startswith(("later", "after")) else -1
        unit = "year" if m["unit"].lower().startswith("year") else "month"
        anchor = "document" if m["dir"].lower() == "ago" else "narrative"
        out.append(Candidate(m.start(), m.end(), resolve=f"shift_{unit}_{anchor}", arg=int(sign * n)))
    return out


def _find_durations(text: str, p: Patterns) -> list[Candidate]:
    """Lengths of time ("twenty years", "several decades", "five-year"): value None, years where known."""
    out = []
    for rx in (p.duration, p.hyphen_duration):
        for m in rx.finditer(text):
            unit = m["unit"].lower()
            unit = "century" if unit.startswith("centur") else unit.rstrip("s")
            n = _number(m["n"], p.lex) if m["n"] else None
            if not m["n"] and not m.groupdict().get("q") and not unit.endswith(("year", "decade", "centur")) \
                    and not m.group(0).lower().startswith(("another", "the")):
                continue
            if m["n"] and n is None:
                continue
            if not m["n"] and not m.groupdict().get("q") and not _bare_plural_is_duration(text, m):
                continue
            years = round(n * p.lex.duration_units[unit], 4) if n is not None else None
            out.append(Candidate(m.start(), m.end(), kind="duration", duration=years))
    return out


def _bare_plural_is_duration(text: str, m: re.Match) -> bool:
    """"for years", "decades of", "after decades": a plural unit word alone is a duration."""
    word = m.group(0).lower()
    if not word.endswith("s"):
        return word.startswith(("another", "the"))
    before = text[max(0, m.start() - 12):m.start()].lower()
    after = text[m.end():m.end() + 4].lower()
    return bool(re.search(r"\b(?:for|after|over|in|within)\s+$", before)) or after.startswith(" of")


FINDERS: tuple[Finder, ...] = (_find_calendar_dates, _find_yearless_dates, _find_periods, _find_years,
                               _find_relative, _find_durations)


# --------------------------------------------------------------------------- combining

def _select(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, the longest winning (it holds the most information)."""
    chosen: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(c.overlaps(o) for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|through|until|till|and)\s*(?:the\s+)?$", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"(?:\b(?P<w>from|between)\s+)$", re.IGNORECASE)


def _join_ranges(text: str, cands: list[Candidate]) -> list[Candidate]:
    """"from A to B", "between A and B", "A through B", "the 1960s and 1970s" -> one range A/B."""
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        if b and a.value and b.value and a.kind in ("date", "range") and b.kind in ("date", "range") \
                and "/" not in a.value and "/" not in b.value:
            gap = text[a.end:b.start]
            opener = _RANGE_OPEN.search(text[max(0, a.start - 10):a.start])
            join = _RANGE_JOIN.match(gap)
            if join and _range_allowed(gap, opener, a, b):
                start = a.start - len(opener.group(0)) if opener else a.start
                out.append(Candidate(start, b.end, kind="range", value=f"{a.value}/{b.value}", grain="range"))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _range_allowed(gap: str, opener, a: Candidate, b: Candidate) -> bool:
    word = gap.strip().lower().removesuffix("the").strip()
    if word == "and":
        # "between 2000 and 2015"; "the 1960s and 1970s"; but "2009, 2013 and 2016" are separate years
        if not (opener and opener.group("w").lower() == "between") and not (
                a.grain == b.grain and a.grain in ("decade", "century")):
            return False
    if word == "to" and not opener and a.grain != b.grain:
        return False
    return a.value[:4] <= b.value[:4] or "X" in a.value


def _apply_signals(text: str, cands: list[Candidate], p: Patterns) -> None:
    """Open intervals from the word before a date: since 2018 -> 2018/.., until 2018 -> ../2018."""
    for c in cands:
        if not c.value or c.kind not in ("date",) or c.resolve:
            continue
        head = text[max(0, c.start - 30):c.start]
        m = p.signal_before.search(head)
        if not m:
            continue
        word = re.sub(r"\s+", " ", m["sig"].lower())
        kind = p.signal_kind.get(word) or p.signal_kind.get(word.rstrip("-"))
        if kind is None:
            continue
        lead = text[max(0, c.start - 30):c.start]
        if kind == "open_start" and word in ("since", "ever since") and p.first_since.search(
                text[max(0, c.start - 90):c.start - len(m.group(0))]):
            continue  # "the first visit since 2005" names the earlier visit's date
        if kind == "by" and (c.grain not in ("month", "day") or "the end of" in m.group(0).lower()):
            continue  # "by late 1970", "by the end of 2023": the period itself
        if kind == "open_start":
            c.value = f"{c.value}/.."
        elif kind == "open_end" or kind == "by":
            c.value = f"../{c.value}"
        elif kind == "before":
            c.value = _before(c.value)
        elif kind == "after":
            c.value = _after(c.value)
        c.kind = "range"
        c.start = c.start - (len(lead) - m.start())


# --------------------------------------------------------------------------- NER

def _ner_leftovers(ctx, cands: list[Candidate], p: Patterns) -> list[Candidate]:
    """spaCy DATE entities no pattern covered: kept as vague (value None) or durations."""
    out = []
    ignore = {w.lower() for w in p.lex.ignore_ner}
    for ent in getattr(ctx.doc, "ents", ()):
        if ent.label_ != "DATE":
            continue
        text = ent.text.strip().rstrip(":").strip()
        start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
        end = start + len(text)
        if not text or text.lower() in ignore or re.fullmatch(r"[\d,.\s]+", text):
            continue  # a bare number the year filter turned down is a count, not a date
        probe = Candidate(start, end)
        if any(probe.overlaps(c) for c in cands):
            continue
        kind = "duration" if re.search(r"\d|\b(?:year|month|week|day|decade|centur)", text, re.I) and \
            not re.search(r"\b(?:the|these|those|recent|last|past)\b", text, re.I) else "vague"
        out.append(Candidate(start, end, kind=kind))
    return out


# --------------------------------------------------------------------------- timeline

@dataclass
class _Mark:
    offset: int
    value: str
    paragraph: int


@dataclass
class Timeline:
    """The timexes of one document and the narrative time at every offset.

    narrative time: the period the prose is speaking of, moved by each clause-level
    date and cleared at each paragraph break.
    """

    timexes: list[Timex]
    document_date: Optional[str]
    marks: list[_Mark] = field(default_factory=list)
    paragraph_starts: list[int] = field(default_factory=lambda: [0])
    attributive: set = field(default_factory=set)  # (start, end) of timexes that modify a noun
    doc: object = None

    def paragraph_of(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def narrative_at(self, offset: int) -> Optional[str]:
        """The narrative time at ``offset`` within its paragraph, or None."""
        return _narrative_from(self.marks, offset, self.paragraph_of(offset))

    def timexes_in(self, start: int, end: int) -> list[Timex]:
        return [t for t in self.timexes if start <= t.start and t.end <= end]

    def date_for(self, start: int, end: int, trigger=None) -> Optional[str]:
        """EDTF date of a clause [start, end): its own timex, else narrative time (past tense), else None."""
        dated = [t for t in self.timexes_in(start, end) if t.value and t.kind in ("date", "range")]
        if trigger is not None and self.doc is not None:
            dated = [t for t in dated if not self._in_other_relative_clause(t, trigger)]
        clause_level = [t for t in dated if (t.start, t.end) not in self.attributive]
        for pool in (clause_level, dated):
            if pool:
                if trigger is not None:
                    pivot = trigger.idx
                    return min(pool, key=lambda t: min(abs(t.start - pivot), abs(t.end - pivot))).value
                return pool[0].value
        tense = _tense(trigger) if trigger is not None else "past"
        if tense == "past":
            return _point_of(self.narrative_at(start))
        if tense == "present" and trigger is not None and _says_now(trigger.sent):
            return self.document_date[:4] if self.document_date else None
        return None


    def _in_other_relative_clause(self, timex: Timex, trigger) -> bool:
        """A date inside a relative clause dates that clause, not the trigger above it
        ("eased the restrictions that dated from the early 1950s")."""
        span = self.doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is None:
            return False
        tok = span.root
        while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ not in ("relcl", "acl") or tok.i == trigger.i or tok.head.i == trigger.i:
            return False  # "the talks, which began in 1955": a clause on the trigger dates it
        return not (tok.left_edge.i <= trigger.i <= tok.right_edge.i)


def _narrative_from(marks: list[_Mark], offset: int, paragraph: int) -> Optional[str]:
    """The last mark at or before ``offset`` when it lies in the same paragraph (marks are in text order)."""
    import bisect

    index = bisect.bisect_right([m.offset for m in marks], offset) - 1
    if index < 0 or marks[index].paragraph != paragraph:
        return None
    return marks[index].value


def _tense(token, depth: int = 0) -> str:
    """past | present | future | unknown, from the verb and its auxiliaries."""
    if token.pos_ not in ("VERB", "AUX"):
        return "past"  # a noun trigger ("the summit") takes the narrative time
    verb = token
    while verb.dep_ in ("conj", "xcomp") and not any(c.dep_ in ("aux", "auxpass") for c in verb.children) \
            and verb.tag_ not in ("VBD",) and verb.head.i != verb.i:
        verb = verb.head
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    for aux in auxes:
        lower = aux.lower_
        if aux.tag_ == "MD":
            return "past" if lower in ("would", "could", "might", "should") else "future"
        if aux.lemma_ == "have":
            return "past" if aux.tag_ == "VBD" else "present"
        if aux.tag_ == "VBD":
            return "past"
        if aux.tag_ in ("VBZ", "VBP"):
            return "present"
    if verb.tag_ == "VBD" or verb.tag_ == "VBN":
        return "past"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and depth < 4:
        # "signaled interest by easing curbs": a gerund after a preposition takes its governor's
        # tense (a participle clause, "..., totaling $2 billion", is left to its caller)
        governor = verb.head
        while governor.pos_ not in ("VERB", "AUX") and governor.head.i != governor.i:
            governor = governor.head
        if governor.i != verb.i and governor.pos_ in ("VERB", "AUX"):
            return _tense(governor, depth + 1)
    return "unknown"


def _says_now(sent) -> bool:
    return any(t.lower_ in ("today", "currently", "now", "presently", "nowadays") for t in sent)


# --------------------------------------------------------------------------- resolution

class _Resolver:
    """Walks the candidates in text order, keeping the narrative time, and fixes each value."""

    def __init__(self, text: str, document_date: Optional[str], topic_year: Optional[str], doc, body_start: int):
        self.text = text
        self.document_date = document_date
        self.document_year = document_date[:4] if document_date else None
        self.topic_year = topic_year
        self.doc = doc
        self.body_start = body_start
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.marks: list[_Mark] = []
        self.last_value: Optional[str] = None  # narrative time of the document so far (any paragraph)

    def paragraph_of(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def narrative(self, offset: int) -> Optional[str]:
        return _narrative_from(self.marks, offset, self.paragraph_of(offset))

    def referring_narrative(self, offset: int) -> tuple[Optional[str], str]:
        """Narrative time for a phrase that points back ("that year"): this paragraph, else the last one."""
        value = self.narrative(offset)
        if value:
            return value, "narrative"
        if self.last_value:
            return self.last_value, "narrative"
        return None, "unresolved"

    def year_for_yearless(self, offset: int) -> tuple[Optional[str], str]:
        """The year of "September 20" or "that August": paragraph narrative, title, last narrative, document."""
        value = self.narrative(offset)
        if value and _year_of(value) and "X" not in _year_of(value):
            return _year_of(value), "narrative"
        if self.topic_year:
            return self.topic_year, "narrative"
        if self.last_value and _year_of(self.last_value) and "X" not in _year_of(self.last_value):
            return _year_of(self.last_value), "narrative"
        if self.document_year:
            return self.document_year, "document"
        return None, "unresolved"

    def mark(self, offset: int, value: Optional[str]) -> None:
        point = _point_of(value)
        if point:
            self.marks.append(_Mark(offset, point, self.paragraph_of(offset)))
            self.last_value = point

    def resolve(self, c: Candidate) -> Timex:
        text = self.text[c.start:c.end]
        if c.resolve is None:
            return Timex(text, c.start, c.end, c.value, c.kind, c.duration)
        value, anchor = self._relative_value(c)
        kind = c.kind
        if value is None and kind not in ("duration",):
            kind = "vague"
        return Timex(text, c.start, c.end, value, kind, c.duration, anchor)

    def _relative_value(self, c: Candidate) -> tuple[Optional[str], Optional[str]]:
        how = c.resolve
        if how == "vague":
            return None, None
        if how.startswith("document") or how == "shift_year_document" or how == "shift_month_document":
            return self._document_value(c)
        if how == "month_day":
            year, anchor = self.year_for_yearless(c.start)
            if not year:
                return None, anchor
            month, d1, d2 = c.arg
            first = f"{year}-{month:02d}-{d1:02d}"
            return (f"{first}/{year}-{month:02d}-{d2:02d}" if d2 else first), anchor
        if how == "month_narrative":
            year, anchor = self.year_for_yearless(c.start)
            month, pre = c.arg
            if not year:
                return None, anchor
            value = f"{year}-{month:02d}"
            if pre in ("since",):
                return value + "/..", anchor
            if pre in ("until", "by"):
                return "../" + value, anchor
            return value, anchor
        if how == "month_document":
            return self._document_month(c)
        if how == "season_narrative":
            year, anchor = self.year_for_yearless(c.start)
            return (f"{year}-{c.arg[0]}" if year else None), anchor
        if how == "season_document":
            if not self.document_year:
                return None, "unresolved"
            step = {"last": -1, "next": 1}.get(c.arg[1], 0)
            return f"{int(self.document_year) + step:04d}-{c.arg[0]}", "document"
        narrative, anchor = self.referring_narrative(c.start)
        if narrative is None:
            return None, anchor
        year = _year_of(narrative)
        if how in ("same_year",):
            return year, anchor
        if how in ("narrative_time",):
            return narrative, anchor
        if how == "since_narrative":
            return f"{_range_end(narrative)}/..", anchor
        if how == "until_narrative":
            return f"../{_range_end(narrative)}", anchor
        if how in ("next_year", "previous_year", "shift_year_narrative"):
            step = {"next_year": 1, "previous_year": -1}.get(how, c.arg)
            if not year or "X" in year:
                return None, "unresolved"
            return _y(int(year) + int(step)), anchor
        if how in ("same_month", "next_month", "previous_month", "shift_month_narrative"):
            step = {"same_month": 0, "next_month": 1, "previous_month": -1}.get(how, c.arg)
            if len(narrative) >= 7 and "X" not in narrative[:7] and "/" not in narrative:
                return _shift_month(narrative[:7], int(step)), anchor
            return (year if step == 0 else None), (anchor if step == 0 else "unresolved")
        return None, "unresolved"

    def _document_value(self, c: Candidate) -> tuple[Optional[str], str]:
        if c.resolve == "document_now" and self.text[c.start:c.end].lower() == "now" and self._past_tense_now(c):
            return None, "unresolved"
        if not self.document_year:
            return None, "unresolved"
        year = int(self.document_year)
        if c.resolve == "document_now":
            return self.document_year, "document"
        if c.resolve == "document_previous_year":
            return _y(year - 1), "document"
        if c.resolve == "document_next_year":
            return _y(year + 1), "document"
        if c.resolve in ("document_month", "document_previous_month", "document_next_month") \
                and self.document_date and len(self.document_date) >= 7:
            step = {"document_month": 0, "document_previous_month": -1, "document_next_month": 1}[c.resolve]
            return _shift_month(self.document_date[:7], step), "document"
        if c.resolve == "shift_year_document":
            return _y(year + int(c.arg)), "document"
        if c.resolve == "shift_month_document" and self.document_date and len(self.document_date) >= 7:
            return _shift_month(self.document_date[:7], int(c.arg)), "document"
        return None, "unresolved"

    def _document_month(self, c: Candidate) -> tuple[Optional[str], str]:
        month, pre = c.arg
        if not self.document_date or len(self.document_date) < 7:
            return None, "unresolved"
        year, doc_month = int(self.document_date[:4]), int(self.document_date[5:7])
        if pre == "last":
            year = year - 1 if month >= doc_month else year
        elif pre == "next":
            year = year + 1 if month <= doc_month else year
        return f"{year:04d}-{month:02d}", "document"

    def _past_tense_now(self, c: Candidate) -> bool:
        """"Now there were two Koreas": narrative 'now' in past-tense prose is not the document date."""
        if self.doc is None:
            return False
        span = self.doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None:
            return False
        sent = span.sent
        verbs = [t for t in sent if t.pos_ in ("VERB", "AUX") and t.i >= span.end - 1][:2]
        return any(t.tag_ == "VBD" for t in verbs) or sent.root.tag_ == "VBD"


# --------------------------------------------------------------------------- the stage

def find_candidates(text: str, doc=None) -> list[Candidate]:
    """All time expressions of a text with absolute values where the text gives them."""
    p = _patterns()
    found: list[Candidate] = []
    for finder in FINDERS:
        found.extend(finder(text, p))
    chosen = _select(found)
    chosen = _join_ranges(text, chosen)
    _apply_signals(text, chosen, p)
    return chosen


def _topic_year(text: str, body_start: int, cands: list[Candidate]) -> Optional[str]:
    """The year a title names ("The War of 1965"): the period a dated-less month-day belongs to."""
    lines = [m for m in re.finditer(r"[^\n]+", text[:max(body_start, 400)])]
    for line in lines[:3]:
        if _is_dateline(line.group(0)):
            continue
        if len(line.group(0)) > 120 or line.group(0).rstrip().endswith("."):
            return None
        for c in cands:
            if line.start() <= c.start < line.end() and c.value and re.fullmatch(r"\d{4}", c.value):
                return c.value
        return None
    return None


def _is_dateline(line: str) -> bool:
    return line.rstrip().endswith(":") and len(line) < 40 and bool(re.search(r"\d{4}", line))


# Prepositions that make a dated noun phrase the time of its clause ("during the 1950-53 war").
_PERIOD_PREPOSITIONS = frozenset({"during", "throughout", "after", "before", "since", "until", "following",
                                  "amid", "amidst"})


def _attributive(doc, c: Candidate) -> bool:
    """A year that modifies a noun ("the 1961 treaty", "War of 1965") is not a clause's date."""
    if doc is None:
        return False
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ in ("compound", "amod", "nummod", "poss") and root.head.pos_ in ("NOUN", "PROPN") \
            and not (span.start > 0 and doc[span.start - 1].pos_ == "ADP"):
        noun = root.head
        while noun.dep_ in ("compound", "amod") and noun.head.i != noun.i:
            noun = noun.head
        if noun.dep_ == "pobj" and noun.head.lower_ in _PERIOD_PREPOSITIONS:
            return False  # "during the 1950-53 war" dates its clause like "during 1950-53"
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in ("NOUN", "PROPN"):
        return True
    return False


def _depth(doc, c: Candidate) -> int:
    if doc is None:
        return 0
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return 99
    token, depth = span.root, 0
    while token.head.i != token.i and depth < 50:
        token, depth = token.head, depth + 1
    return depth


def extract_timexes(ctx) -> tuple[list[Timex], Timeline]:
    """Every time expression of the document with its EDTF value, and the document's timeline."""
    text = ctx.document.text
    doc = getattr(ctx, "doc", None)
    cands = find_candidates(text, doc)
    cands = sorted(cands + _ner_leftovers(ctx, cands, _patterns()), key=lambda c: c.start)
    document_date = ctx.document.date or _dateline_value(text, cands)
    resolver = _Resolver(text, document_date, _topic_year(text, ctx.document.body_start, cands), doc,
                         ctx.document.body_start)
    sentence_ends = _sentence_ends(doc, text)
    attributive: set = set()
    timexes: list[Timex] = []
    pending: list[tuple[Candidate, Timex]] = []  # this sentence's timexes, to pick its narrative time
    end_index = 0
    for c in cands:
        while end_index < len(sentence_ends) and sentence_ends[end_index] <= c.start:
            _close_sentence(resolver, pending, doc, sentence_ends[end_index])
            pending = []
            end_index += 1
        timex = resolver.resolve(c)
        timexes.append(timex)
        if _is_dateline_candidate(text, c):
            continue
        if timex.value and timex.kind in ("date", "range") and timex.anchor != "document":
            if _attributive(doc, c):
                attributive.add((c.start, c.end))
                continue
            resolver.mark(c.start, timex.value)
            pending.append((c, timex))
    if pending and sentence_ends:
        _close_sentence(resolver, pending, doc, sentence_ends[-1])
    timeline = Timeline(timexes, document_date, resolver.marks, resolver.paragraph_starts, attributive, doc)
    return timexes, timeline


def _close_sentence(resolver: _Resolver, pending, doc, at: int) -> None:
    """After a sentence the narrative time is its main-clause date (the shallowest in the parse)."""
    if len(pending) < 2:
        return
    main = min(pending, key=lambda ct: (_depth(doc, ct[0]), ct[0].start))
    if main is not pending[-1] and resolver.paragraph_of(at) == resolver.paragraph_of(main[0].start):
        resolver.mark(at, main[1].value)


def _sentence_ends(doc, text: str) -> list[int]:
    if doc is not None and doc.has_annotation("SENT_START"):
        return [s.end_char for s in doc.sents]
    return [m.end() for m in re.finditer(r"[.!?](?=\s)", text)] + [len(text)]


def _is_dateline_candidate(text: str, c: Candidate) -> bool:
    return c.start < 40 and _is_dateline(text[:text.find("\n")] if "\n" in text else text) and \
        text[:c.start].strip() == ""


def _dateline_value(text: str, cands: list[Candidate]) -> Optional[str]:
    """The document date from a dateline timex when the reader found none."""
    for c in cands:
        if _is_dateline_candidate(text, c) and c.value:
            return c.value
    return None
