"""Fixtures of the store tests: a database URL per backend, and a small seeded knowledge base.

``store_url`` is parametrized over SQLite (a file in tmp_path) and PostgreSQL (the server
named by $DIPLOGRAPH_TEST_PG, e.g. postgresql://postgres@127.0.0.1:5433/postgres; each
test gets its own schema, dropped afterwards). ``.ci/run`` starts such a server.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from store_helpers import PG_ENV, SEEDED, fresh_pg_schema, pg_base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.db'}"
        return
    base = pg_base_url()
    if base is None:
        pytest.skip(f"${PG_ENV} is not set: no PostgreSQL server to test against (.ci/run starts one)")
    with fresh_pg_schema(base) as url:
        yield url


@pytest.fixture
def seeded_store(store_url, nlp):
    """A Store holding two reports of one China-North Korea agreement, extracted by the real pipeline."""
    from diplograph import extract
    from diplograph.store import Store

    store = Store(store_url)
    for name, (report, date) in SEEDED.items():
        store.ingest(extract(report, date=date, doc_id=name))
    yield store
    store.close()
