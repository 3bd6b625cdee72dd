"""Quantities. STUB. Contract: ``extract_quantities(ctx) -> list[Quantity]``."""
from __future__ import annotations

from diplograph.model import Quantity


def extract_quantities(ctx) -> list[Quantity]:
    return []
