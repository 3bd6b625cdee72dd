"""Shared fixtures: the spaCy pipeline (loaded once) and the shared evaluation folder."""
from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from diplograph.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip(f"{SHARED} is absent: the shared evaluation kit is not beside this checkout")
    return SHARED
