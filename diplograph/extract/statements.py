"""Statements. STUB. Contract: ``extract_statements(ctx) -> list[Statement]``."""
from __future__ import annotations

from diplograph.model import Statement


def extract_statements(ctx) -> list[Statement]:
    return []
