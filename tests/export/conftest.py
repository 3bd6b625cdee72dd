"""Fixtures of the export tests: the knowledge base of ``export_kb`` in SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from export_kb import Extraction, build_kb, postgresql_engine, review_extraction, visit_extraction


@pytest.fixture(scope="session")
def extractions() -> list[Extraction]:
    return [visit_extraction(), review_extraction()]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def kb_engine(request, tmp_path_factory, extractions) -> Engine:
    """The two reports stored in SQLite (a temporary file) and in PostgreSQL (when configured)."""
    if request.param == "sqlite":
        engine = build_kb(f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}", extractions)
    else:
        engine = postgresql_engine(extractions)
    yield engine
    engine.dispose()
