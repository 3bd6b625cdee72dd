"""Fixtures for the web tests: the small knowledge base of ``web_kb.py`` and apps over copies of it."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from web_helpers import fast_extract


@pytest.fixture(scope="session")
def kb_file(tmp_path_factory, nlp) -> Path:
    """The knowledge base of web_kb.py, built once (needs the spaCy model)."""
    from web_kb import build

    path = tmp_path_factory.mktemp("web-kb") / "kb.db"
    build(path)
    return path


@pytest.fixture()
def kb_copy(kb_file, tmp_path) -> Path:
    """A copy of the knowledge base a test may write to."""
    path = tmp_path / "kb.db"
    shutil.copy(kb_file, path)
    return path


@pytest.fixture()
def make_client(tmp_path):
    """Build a TestClient over a new app: make_client(db=None, **create_app options)."""
    from fastapi.testclient import TestClient

    from diplograph.web import create_app

    clients = []

    def make(db=None, **options):
        options.setdefault("extract", fast_extract)
        app = create_app(str(db or tmp_path / "empty.db"), **options)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture()
def client(make_client, kb_copy) -> Iterator:
    """A client of the app over a copy of the small knowledge base, with the fast extractor."""
    return make_client(kb_copy)
