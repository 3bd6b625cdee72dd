"""The shapes the API returns, as pydantic models: they are the OpenAPI schema clients read.

Every error has one shape, ``Problem``: ``{"error": one line, "status": code}``.
"""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, Field

from diplograph.web.highlight import KINDS


class Problem(BaseModel):
    error: str = Field(description="What went wrong, in one line a person can act on.")
    status: int


class Info(BaseModel):
    name: str = "diplograph"
    version: str
    documents: int
    years: Optional[list[int]] = Field(None, description="First and last year of any dated event.")
    write_requires_token: bool
    max_upload_bytes: int
    event_types: list[str] = Field(description="PLOVER event types, for the timeline's type filter.")
    quad_classes: list[str]
    assets_missing: Optional[str] = Field(None, description="Why the charts cannot draw, when their libraries "
                                                            "are not installed.")


class DocumentSummary(BaseModel):
    id: int
    name: str
    title: Optional[str] = None
    date: Optional[str] = None
    source: Optional[str] = None
    words: Optional[int] = None
    actors: int = 0
    events: int = 0
    quantities: int = 0
    statements: int = 0
    ingested_at: Optional[str] = None


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    total: int
    limit: int
    offset: int


class HighlightSpan(BaseModel):
    kind: Literal[KINDS]  # the highlight kinds, one list for the marks and the schema
    start: int
    end: int
    label: str
    title: str
    ref: str
    subtype: Optional[str] = None


class SentenceSpan(BaseModel):
    start: int
    end: int


class DocumentView(BaseModel):
    """A document as the page shows it: text, sentences, spans to highlight, records grouped by kind."""

    document: dict[str, Any]
    text: str
    sentences: list[SentenceSpan]
    spans: list[HighlightSpan]
    records: dict[str, Any]


class Job(BaseModel):
    id: str
    label: str
    status: Literal["queued", "running", "done", "failed"]
    stage: str
    progress: float
    document: Optional[str] = None
    result: Optional[Literal["added", "replaced", "skipped"]] = None
    error: Optional[str] = None
    created: float
    finished: Optional[float] = None


class PastedText(BaseModel):
    text: str = Field(min_length=1, description="The document's text; offsets index into it as sent.")
    name: Optional[str] = Field(None, max_length=200, description="What to call it (made safe); default: "
                                                                  "from its hash.")
    date: Optional[str] = Field(None, max_length=100, description="Document date (EDTF); default: a "
                                                                  "dateline at its top.")


class Forgotten(BaseModel):
    forgotten: str


class Source(BaseModel):
    document: str
    start: Optional[int] = None
    end: Optional[int] = None
    text: Optional[str] = None


class TimelineEvent(BaseModel):
    cluster_id: Optional[int] = None
    date: Optional[str] = None
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    type: Optional[str] = None
    mode: Optional[str] = None
    quad: Optional[str] = None
    score: Optional[float] = None
    source: list[str]
    source_names: list[str]
    target: list[str]
    target_names: list[str]
    flags: list[str]
    n_sources: int
    sources: list[Source]


class Timeline(BaseModel):
    events: list[TimelineEvent]
    limit: int
    offset: int
    next_offset: Optional[int] = Field(None, description="Offset of the next page; null on the last page.")


class DyadPeriod(BaseModel):
    period: str
    start: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    events: int
    mean_score: float
    net_cooperation: float


class Dyad(BaseModel):
    a: str
    b: str
    by: Literal["year", "decade"]
    periods: list[DyadPeriod]


class FigurePoint(BaseModel):
    measure: Optional[str] = None
    subject: list[str]
    unit: Optional[str] = None
    value: Optional[float] = None
    bound: Optional[str] = None
    date: Optional[str] = None
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    claim_id: Optional[int] = None
    contradiction: bool
    n_sources: int
    sources: list[Source]


class Figures(BaseModel):
    points: list[FigurePoint]
    limit: int
    offset: int
    next_offset: Optional[int] = None


class Measure(BaseModel):
    measure: str
    figures: int


class Actor(BaseModel):
    id: str
    name: Optional[str] = None
    type: Optional[str] = None
    known: bool
    documents: int
    mentions: int
    events: int


class Actors(BaseModel):
    actors: list[Actor]
    total: int
    limit: int
    offset: int


class NetworkNode(BaseModel):
    id: str
    name: Optional[str] = None
    type: Optional[str] = None
    events: int


class NetworkEdge(BaseModel):
    source: str
    target: str
    weight: int
    cooperation: int
    conflict: int
    net_cooperation: float


class Network(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    total_edges: int = Field(description="Edges in the window before the limit kept the heaviest.")


class Contradictions(BaseModel):
    claims: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class Citation(BaseModel):
    document: str
    start: int
    end: int
    sentence: str
    answer_start: Optional[int] = None
    answer_end: Optional[int] = None
    score: Optional[float] = None


class Answer(BaseModel):
    question: str
    found: bool
    answer: str
    value: Union[float, str, None] = None
    method: str
    citations: list[Citation]
    passages: list[Citation]
