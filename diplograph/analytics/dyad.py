"""How a relationship moved: events between two actors, counted per year or decade.

Counted per period, for the events between the two actors in either direction:

- the events of each PLOVER quad class (verbal/material cooperation/conflict);
- ``events``: all of them; an event several documents report is one event (its cluster);
- ``mean_score``: the mean PLOVER score (-10 most hostile .. +10 most cooperative);
- ``net_cooperation = (cooperation - conflict) / events``, from -1 (only conflict) to +1
  (only cooperation); verbal and material classes count alike, so a period of talks and
  a period of aid both read as cooperative and the score says how far they went.

An event falls in the period it began (``1950/1953`` counts in 1950, ``../2018`` in
2018). Reports that deny an event or only raise it as a possibility are not counted;
undated events cannot be placed and are left out.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Optional, Sequence

from sqlalchemy import select

from diplograph.analytics.common import (QueryError, between, engine_of, events_with_clusters, happened,
                                         start_year, unit_column, unit_key, window)
from diplograph.analytics.events import QUADS, dyad_sides
from diplograph.model import PLOVER_SCORE

PERIODS = ("year", "decade")
QUAD_KEYS = {quad: quad.replace(" ", "_") for quad in QUADS}


def dyad_series(store: Any, a: str, b: str, by: str = "year", date_from: Optional[str] = None,
                date_to: Optional[str] = None, officials: bool = True) -> list[dict]:
    """Per period, the events between ``a`` and ``b``: counts per quad, mean score, net cooperation.

    store (Store | Engine): the knowledge base.
    a, b (str): the two actors, ids or names, in any order.
    by (str): ``year`` or ``decade``.
    date_from, date_to (str | None): EDTF window on the events' dates.
    officials (bool): count a state's office holders as the state (Xi meeting Kim is China-North Korea).
    RETURNS (list[dict]): in time order, only periods with events: ``period`` ("1950", "1950s"),
        ``start`` (first year), ``verbal_cooperation``, ``material_cooperation``,
        ``verbal_conflict``, ``material_conflict``, ``events``, ``mean_score``, ``net_cooperation``.
    """
    if by not in PERIODS:
        raise QueryError(f"--by must be one of {', '.join(PERIODS)}, not {by!r}")
    with engine_of(store).connect() as conn:
        side_a, side_b = dyad_sides(conn, (a, b), officials)
        lo, hi = unit_column("date_lo"), unit_column("date_hi")
        query = (select(unit_key().label("unit"), lo.label("lo"), hi.label("hi"),
                        unit_column("type").label("type"), unit_column("quad").label("quad"))
                 .select_from(events_with_clusters())
                 .where(between(side_a, side_b), happened(), window(date_from, date_to).overlaps(lo, hi))
                 .distinct())
        units = conn.execute(query).all()
    return period_rows(units, by)


def period_rows(units: Sequence, by: str) -> list[dict]:
    """Rows per period from unit rows with ``lo, hi, type, quad`` (one row per unit)."""
    grouped: dict[int, list] = defaultdict(list)
    for unit in units:
        year = start_year(unit.lo, unit.hi)
        if year is not None:
            grouped[year // 10 * 10 if by == "decade" else year].append(unit)
    return [_period_row(start, grouped[start], by) for start in sorted(grouped)]


def _period_row(start: int, units: list, by: str) -> dict:
    quads = Counter(unit.quad for unit in units)
    cooperation = sum(n for quad, n in quads.items() if quad.endswith("cooperation"))
    conflict = sum(n for quad, n in quads.items() if quad.endswith("conflict"))
    scores = [PLOVER_SCORE.get(unit.type, 0.0) for unit in units]
    row: dict = {"period": f"{start}s" if by == "decade" else str(start), "start": start}
    row.update({key: quads.get(quad, 0) for quad, key in QUAD_KEYS.items()})
    row.update({
        "events": len(units),
        "mean_score": round(sum(scores) / len(scores), 3),
        "net_cooperation": round((cooperation - conflict) / len(units), 3),
    })
    return row
