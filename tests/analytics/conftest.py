"""Fixtures: the knowledge base of ``analytics_kb.py`` on SQLite and PostgreSQL.

``kb`` is parametrised over SQLite (a tmp file) and PostgreSQL (``DIPLOGRAPH_TEST_PG``, e.g.
``postgresql://postgres@127.0.0.1:5433/postgres``; skipped when unset). On PostgreSQL the
tables live in their own schema so other tests using the same database are not disturbed.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest
from analytics_kb import KB, build
from sqlalchemy import create_engine, text

PG_SCHEMA = "diplograph_analytics_test"


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory) -> Path:
    """The knowledge base above as a SQLite file, for the command line (``--db PATH``)."""
    path = tmp_path_factory.mktemp("kb") / "kb.db"
    engine = create_engine(f"sqlite:///{path}")
    build(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kb(request, kb_path) -> Iterator[KB]:
    """The knowledge base above on SQLite (a tmp file) or PostgreSQL (its own schema)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{kb_path}")
        yield KB(engine=engine, backend="sqlite")
        engine.dispose()
        return
    url = os.environ.get("DIPLOGRAPH_TEST_PG")
    if not url:
        pytest.skip("DIPLOGRAPH_TEST_PG is unset: no PostgreSQL to test against "
                    "(e.g. postgresql://postgres@127.0.0.1:5433/postgres)")
    url = "postgresql+psycopg://" + url.split("://", 1)[1]
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    admin.dispose()
    engine = create_engine(url, connect_args={"options": f"-csearch_path={PG_SCHEMA}"})
    build(engine)
    yield KB(engine=engine, backend=request.param)
    engine.dispose()
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    admin.dispose()
