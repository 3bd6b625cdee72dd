"""Pydantic models for the YAML knowledge files under ``diplograph/data``.

Why a schema: the gazetteer is edited by hand, so every key, date and code is checked when it
is loaded and a typo fails loudly (``extra="forbid"``) instead of silently dropping an alias.

Dates in the YAML may be ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (quoted or not); a partial start
date means the first day of the period, a partial end date its last day.
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ActorType = Literal["state", "igo", "org", "group", "person"]
Office = Literal["head_of_state", "head_of_government", "foreign_minister", "leader"]

_PARTIAL_DATE = re.compile(r"^(\d{3,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_QID = r"^Q[1-9]\d*$"


def parse_partial_date(value: object, *, end: bool = False) -> date | None:
    """Read a YAML date (date, int year or 'YYYY[-MM[-DD]]'); ``end`` fills a partial date to its last day.

    RETURNS (date | None): None for None; raises ValueError for anything unreadable.
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    text = str(value).strip()
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError(f"not a date (want YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else (12 if end else 1)
    if match.group(3):
        day = int(match.group(3))
    else:
        day = calendar.monthrange(year, month)[1] if end else 1
    return date(year, month, day)  # raises ValueError for 1991-13-40


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class HistoricalAlias(_Strict):
    """A surface form that means this actor only between ``start`` and ``end`` (inclusive)."""

    alias: str = Field(min_length=1)
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, value: object) -> date | None:
        return parse_partial_date(value)

    @field_validator("end", mode="before")
    @classmethod
    def _end(cls, value: object) -> date | None:
        return parse_partial_date(value, end=True)

    @model_validator(mode="after")
    def _ordered(self) -> "HistoricalAlias":
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"historical alias {self.alias!r} ends before it starts")
        return self


class TermSchema(_Strict):
    """One term of office: who held ``office`` for which state (or organisation) and when."""

    office: Office
    state: str = Field(min_length=2)
    title: str | None = None
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")
    note: str | None = None

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, value: object) -> date | None:
        return parse_partial_date(value)

    @field_validator("end", mode="before")
    @classmethod
    def _end(cls, value: object) -> date | None:
        return parse_partial_date(value, end=True)

    @model_validator(mode="after")
    def _ordered(self) -> "TermSchema":
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"term as {self.office} of {self.state} ends before it starts")
        return self


class EntrySchema(_Strict):
    """One actor of the gazetteer (state, IGO, organisation, generic group or person)."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,19}$")
    name: str = Field(min_length=1)
    type: ActorType
    iso2: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    wikidata: str | None = Field(default=None, pattern=_QID)
    aliases: list[str] = Field(default_factory=list)
    capitals: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    parent: str | None = None
    successor: str | None = None
    region: str | None = None
    historical_aliases: list[HistoricalAlias] = Field(default_factory=list)
    # persons
    surname: str | None = None
    born: date | None = None
    died: date | None = None
    terms: list[TermSchema] = Field(default_factory=list)
    note: str | None = None

    @field_validator("valid_from", "born", "died", mode="before")
    @classmethod
    def _start_dates(cls, value: object) -> date | None:
        return parse_partial_date(value)

    @field_validator("valid_to", mode="before")
    @classmethod
    def _end_dates(cls, value: object) -> date | None:
        return parse_partial_date(value, end=True)

    @field_validator("aliases", "capitals", "demonyms")
    @classmethod
    def _no_blank_forms(cls, forms: list[str]) -> list[str]:
        cleaned = [form.strip() for form in forms]
        if any(not form for form in cleaned):
            raise ValueError("empty surface form")
        return cleaned

    @model_validator(mode="after")
    def _consistent(self) -> "EntrySchema":
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.type == "state" and not self.wikidata:
            raise ValueError("a state needs a wikidata QID")
        if self.type == "person":
            if self.capitals or self.demonyms or self.iso2:
                raise ValueError("a person has no capitals, demonyms or iso2")
        else:
            if self.terms or self.surname:
                raise ValueError("only persons have terms or a surname")
        if self.type != "state" and self.iso2:
            raise ValueError("only states have iso2")
        return self
