"""What each extraction stage receives: the document, its parse, and what earlier stages found.

Stages only read from the context and return their own records; the pipeline
stores those on the context for the stages after them (one-way data flow).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from diplograph.model import Document, Timex

if TYPE_CHECKING:  # imported for type hints only
    from spacy.tokens import Doc

    from diplograph.extract.actors import ActorIndex
    from diplograph.extract.timex import Timeline


@dataclass
class Context:
    document: Document
    doc: "Doc"
    timexes: list[Timex] = field(default_factory=list)
    timeline: Optional["Timeline"] = None
    actors: Optional["ActorIndex"] = None
