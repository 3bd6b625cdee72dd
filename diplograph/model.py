"""Record types of one extraction.

Every record carries its evidence as character offsets into ``Document.text``
(Python ``str`` indices), so any fact can be shown with the sentence it rests
on. ``Extraction.records()`` is the JSON Lines form defined in
``../shared/eval/README.md``; the store and the exports build on the same dicts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
    "COERCE", "ASSAULT",
)

# PLOVER quad class and score of each type (DESIGN.md; SANCTION is material conflict, as CAMEO 16).
QUAD_CLASS = {
    "AGREE": "verbal cooperation", "CONSULT": "verbal cooperation", "SUPPORT": "verbal cooperation",
    "CONCEDE": "verbal cooperation", "COOPERATE": "material cooperation", "AID": "material cooperation",
    "RETREAT": "material cooperation", "REQUEST": "verbal conflict", "ACCUSE": "verbal conflict",
    "REJECT": "verbal conflict", "THREATEN": "verbal conflict", "PROTEST": "material conflict",
    "SANCTION": "material conflict", "MOBILIZE": "material conflict", "COERCE": "material conflict",
    "ASSAULT": "material conflict",
}
PLOVER_SCORE = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5.0, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10.0,
    "RETREAT": 6.5, "REQUEST": 0.0, "ACCUSE": -3.0, "REJECT": -2.0, "THREATEN": -3.5, "PROTEST": -5.0,
    "SANCTION": -6.0, "MOBILIZE": -5.5, "COERCE": -7.0, "ASSAULT": -9.0,
}


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` in the document text."""

    start: int
    end: int

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end}


@dataclass(slots=True)
class Document:
    """One input text as read, with the date the text itself is anchored to.

    date_source says where ``date`` came from (``cli``, ``dateline``, ``html``,
    ``corpus``) so a reader can judge it; ``None`` date means relative
    expressions stay unresolved.
    """

    id: str
    text: str
    date: Optional[str] = None
    title: Optional[str] = None
    source: Optional[str] = None
    date_source: Optional[str] = None
    body_start: int = 0  # where the prose starts after a dateline / title

    def record(self) -> dict:
        return {"kind": "document", "id": self.id, "date": self.date, "title": self.title,
                "source": self.source, "date_source": self.date_source}


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Actor:
    """An actor the document names: a state, person, organisation or group.

    ``codes`` keeps external identifiers (``iso3``, ``wikidata``); ``role`` and
    ``affiliation`` are what the text or the gazetteer says of a person.
    """

    id: str
    name: str
    type: str  # state | person | org | igo | group
    aliases: list[str] = field(default_factory=list)
    codes: dict = field(default_factory=dict)
    role: Optional[str] = None
    affiliation: Optional[str] = None
    known: bool = True  # False for actors found by NER only, not in the gazetteer
    mentions: list[Mention] = field(default_factory=list)

    def record(self) -> dict:
        return {"kind": "actor", "id": self.id, "name": self.name, "type": self.type,
                "aliases": self.aliases, "codes": self.codes, "role": self.role,
                "affiliation": self.affiliation, "known": self.known,
                "mentions": [m.as_dict() for m in self.mentions]}


@dataclass(slots=True)
class Timex:
    """A time expression and its EDTF value (``None`` when it cannot be placed).

    kind: ``date`` (a point or period: 2021, 2018-03, 199X), ``range``
    (1950/1953, ../2018, 2023-11/..), ``duration`` (twenty years: value None,
    ``duration`` in years where known), ``vague``.
    """

    text: str
    start: int
    end: int
    value: Optional[str]
    kind: str = "date"
    duration: Optional[float] = None
    anchor: Optional[str] = None  # how a relative value was resolved: "document", "narrative"

    def record(self) -> dict:
        return {"kind": "timex", "text": self.text, "start": self.start, "end": self.end,
                "value": self.value, "type": self.kind, "duration": self.duration,
                "anchor": self.anchor}


@dataclass(slots=True)
class Event:
    """A PLOVER event: who did what to whom, when, with the clause that says so."""

    id: str
    type: str
    source: list[str]
    target: list[str]
    date: Optional[str]
    evidence: Span
    trigger: Span
    mode: Optional[str] = None
    negated: bool = False
    hedged: bool = False
    hypothetical: bool = False

    @property
    def quad(self) -> str:
        return QUAD_CLASS[self.type]

    @property
    def score(self) -> float:
        return PLOVER_SCORE[self.type]

    def record(self, text: str = "") -> dict:
        return {"kind": "event", "id": self.id, "type": self.type, "mode": self.mode,
                "quad": self.quad, "score": self.score, "source": self.source,
                "target": self.target, "date": self.date, "evidence": self.evidence.as_dict(),
                "trigger": self.trigger.as_dict(), "negated": self.negated, "hedged": self.hedged,
                "hypothetical": self.hypothetical,
                "text": text[self.evidence.start:self.evidence.end] if text else None}


@dataclass(slots=True)
class Quantity:
    """A figure: value in a canonical unit, its bound, date, what it measures and of whom."""

    value: float
    unit: str
    evidence: Span
    mention: Span  # the number phrase itself
    bound: str = "eq"  # eq | gt | ge | lt | le | approx
    date: Optional[str] = None
    measure: Optional[str] = None
    subject: list[str] = field(default_factory=list)
    cited_source: list[str] = field(default_factory=list)
    raw_unit: Optional[str] = None  # currency or unit as written, before conversion

    def record(self, text: str = "") -> dict:
        return {"kind": "quantity", "value": self.value, "unit": self.unit, "bound": self.bound,
                "date": self.date, "measure": self.measure, "subject": self.subject,
                "cited_source": self.cited_source, "raw_unit": self.raw_unit,
                "evidence": self.evidence.as_dict(), "mention": self.mention.as_dict(),
                "text": text[self.mention.start:self.mention.end] if text else None}


@dataclass(slots=True)
class Statement:
    """Something an actor said, wrote, estimated or claimed, direct or reported."""

    speaker: list[str]
    date: Optional[str]
    evidence: Span
    content: Span
    cue: Span  # the speech verb or "according to"
    role: Optional[str] = None
    direct: bool = False

    def record(self, text: str = "") -> dict:
        return {"kind": "statement", "speaker": self.speaker, "role": self.role, "date": self.date,
                "direct": self.direct, "evidence": self.evidence.as_dict(),
                "content": self.content.as_dict(), "cue": self.cue.as_dict(),
                "text": text[self.content.start:self.content.end] if text else None}


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    actors: list[Actor] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Sentence spans (whitespace trimmed): the knowledge base indexes them for question answering.
    sentences: list[Span] = field(default_factory=list)

    def records(self) -> Iterator[dict]:
        """The records in the evaluation's JSON Lines order: document, actors, events, ..."""
        text = self.document.text
        yield self.document.record()
        for a in self.actors:
            yield a.record()
        for e in self.events:
            yield e.record(text)
        for q in self.quantities:
            yield q.record(text)
        for s in self.statements:
            yield s.record(text)
        for t in self.timexes:
            yield t.record()
