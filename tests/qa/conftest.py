"""Fixtures of the question-answering tests: a small knowledge base of reports written for
these tests, on SQLite and (when $DIPLOGRAPH_TEST_PG names a server) PostgreSQL."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "store"))
from store_helpers import PG_ENV, fresh_pg_schema, pg_base_url  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qa_reports import REPORTS  # noqa: E402

@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def qa_store(request, tmp_path_factory, nlp) -> Iterator:
    """A Store holding the three reports, extracted by the real pipeline."""
    from diplograph import extract
    from diplograph.store import Store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('qa') / 'kb.db'}"
        yield from _filled(Store(url), extract)
        return
    base = pg_base_url()
    if base is None:
        pytest.skip(f"${PG_ENV} is not set: no PostgreSQL server to test against (.ci/run starts one)")
    with fresh_pg_schema(base) as url:
        yield from _filled(Store(url), extract)


def _filled(store, extract):
    for name, text in REPORTS.items():
        store.ingest(extract(text, doc_id=name), name=name)
    try:
        yield store
    finally:
        store.close()
