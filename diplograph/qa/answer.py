"""What ``ask`` returns: a short answer, its value, and the sentences that prove it.

An answer is only ever built from stored text: every ``Citation`` points at a span of a
stored document, and ``found`` is False (with the closest passages) when nothing stored
answers the question.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional, Union

NOT_FOUND = "No answer found in the knowledge base."


@dataclass
class Citation:
    """A sentence of a stored document that supports (or, as a passage, comes close to) an answer.

    ``start``/``end`` are the sentence's character offsets in the document's text;
    ``answer_start``/``answer_end`` the answer's own span inside it (absolute offsets, or
    None when the answer is computed rather than read, e.g. a year from a start and a
    duration).
    """

    document: str
    start: int
    end: int
    sentence: str
    answer_start: Optional[int] = None
    answer_end: Optional[int] = None
    score: Optional[float] = None
    source: Optional[str] = None   # the file the document was read from, when it came from one

    def highlighted(self, mark: tuple[str, str] = ("**", "**")) -> str:
        """The sentence with the answer span wrapped in ``mark`` (for terminals and logs)."""
        if self.answer_start is None or not (self.start <= self.answer_start < self.answer_end <= self.end):
            return self.sentence
        a, b = self.answer_start - self.start, self.answer_end - self.start
        return f"{self.sentence[:a]}{mark[0]}{self.sentence[a:b]}{mark[1]}{self.sentence[b:]}"


@dataclass
class Answer:
    """The answer to one question.

    method says how it was found: ``event``, ``figure``, ``office``, ``statement``,
    ``arithmetic``, ``retrieval`` or ``none``.
    """

    question: str
    found: bool
    answer: str
    value: Union[float, str, None] = None
    method: str = "none"
    citations: list[Citation] = field(default_factory=list)
    passages: list[Citation] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def score_record(self, id: str) -> dict:
        """The JSON Lines record ``qa_score.py`` reads."""
        return {"id": id, "answer": self.answer if self.found else "", "value": self.value,
                "citations": [{"document": _file_name(c), "start": c.start, "end": c.end} for c in self.citations]}


def _file_name(citation: Citation) -> str:
    """The ingested file's name (what ``qa_score.py`` matches), else the document's name."""
    if citation.source and not citation.source.startswith("<") and "://" not in citation.source:
        return citation.source.replace("\\", "/").rsplit("/", 1)[-1]
    return citation.document


def not_found(question: str, passages: Optional[list[Citation]] = None) -> Answer:
    return Answer(question=question, found=False, answer=NOT_FOUND, passages=list(passages or []))
