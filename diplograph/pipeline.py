"""The order of the extraction stages, and the public ``extract`` entry points.

timex -> actors -> events, quantities, statements. Time comes first because
linking an actor needs the date it is spoken of (``Russia`` in 1950 is the
Soviet Union; ``Kim`` is the Kim in office then).
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

from diplograph.extract import actors, events, quantities, statements, timex
from diplograph.extract.context import Context
from diplograph.model import Document, Extraction, Span
from diplograph.nlp import load_nlp


def run_stages(document: Document, doc) -> Extraction:
    """Run every stage over one parsed document."""
    ctx = Context(document=document, doc=doc)
    ctx.timexes, ctx.timeline = timex.extract_timexes(ctx)
    ctx.actors = actors.link_actors(ctx)
    result = Extraction(document=document, timexes=ctx.timexes)
    result.events = events.extract_events(ctx)
    result.quantities = quantities.extract_quantities(ctx)
    result.statements = statements.extract_statements(ctx)
    result.actors = ctx.actors.records()
    result.sentences = sentence_spans(doc)
    return result


def sentence_spans(doc) -> list[Span]:
    """The parse's sentences as character spans without their surrounding whitespace."""
    spans: list[Span] = []
    text_of = doc.text
    for sent in doc.sents:
        text = sent.text
        stripped = text.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(text) - len(text.lstrip()))
        if spans and (stripped[0].islower() or stripped[0] == "[") and "\n" not in text_of[spans[-1].end:start]:
            # "...relations [note] between the two countries": the parser split inside a sentence
            spans[-1] = Span(spans[-1].start, start + len(stripped))
            continue
        spans.append(Span(start, start + len(stripped)))
    return spans


def extract_document(document: Document) -> Extraction:
    return run_stages(document, load_nlp()(document.text))


def extract_documents(documents: Iterable[Document], batch_size: int = 16) -> Iterator[Extraction]:
    """Stream extractions; spaCy parses in batches (``nlp.pipe``) and memory stays flat."""
    nlp = load_nlp()
    docs_a, docs_b = _tee_documents(documents)
    for document, doc in zip(docs_a, nlp.pipe((d.text for d in docs_b), batch_size=batch_size)):
        yield run_stages(document, doc)


def _tee_documents(documents):
    import itertools

    return itertools.tee(documents, 2)


def extract(text: str, date: Optional[str] = None, doc_id: str = "text") -> Extraction:
    """Extract actors, timexes, events, quantities and statements from one text.

    text (str): the document text; offsets in the result index into it.
    date (str | None): the document date (EDTF); without one a dateline at the top
        of the text is used, else relative expressions stay unresolved.
    RETURNS (Extraction): typed records, each with evidence offsets.
    """
    from diplograph.read.dateline import make_document

    return extract_document(make_document(text, doc_id=doc_id, date=date))
