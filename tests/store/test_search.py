"""The sentence full-text index follows the documents on both backends."""
from __future__ import annotations

import pytest

from diplograph.store import Store, search
from store_helpers import REPORT_BEIJING, REPORT_SEOUL

pytestmark = pytest.mark.slow


def _ids_text(store, words):
    with store.engine.connect() as conn:
        hits = search.search(conn, words)
        texts = {row.id: row.text for row in conn.exec_driver_sql("SELECT id, text FROM sentences")}
    return [texts[i] for i, _ in hits]


def test_search_ranks_sentences_and_forgets_with_the_document(store_url, nlp):
    from diplograph import extract

    store = Store(store_url)
    store.ingest(extract(REPORT_BEIJING, doc_id="beijing"))
    store.ingest(extract(REPORT_SEOUL, doc_id="seoul"))
    found = _ids_text(store, ["sanctions", "shipping"])
    assert found and "shipping companies" in found[0]  # both words beat one
    assert any("customs" in t for t in _ids_text(store, ["customs"]))
    store.forget("beijing")
    assert not any("customs" in t for t in _ids_text(store, ["customs"]))
    assert _ids_text(store, ["shipping"])
    store.close()


def test_query_terms_drop_punctuation_and_repeats():
    assert search.query_terms(["China's", "trade?", "TRADE", "--", "U.S."]) == ["china", "trade", "u", "s"]
