"""PLOVER events. STUB. Contract: ``extract_events(ctx) -> list[Event]``."""
from __future__ import annotations

from diplograph.model import Event


def extract_events(ctx) -> list[Event]:
    return []
