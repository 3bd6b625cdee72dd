"""EDTF strings as day intervals, so dates can be compared, sorted, bucketed and queried.

Every record's date is an EDTF string (``2021``, ``2018-03``, ``199X``, ``1950/1953``,
``../2018``, ``2023-11/..``). Stores and analytics need numbers: ``bounds`` gives the
first and last day covered as proleptic ordinals (``date.toordinal()``), open ends as
``None``. One module so every stage reads EDTF the same way.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

_POINT = re.compile(r"(\d{2})(\d|X)(\d|X)(?:-(\d{2}))?(?:-(\d{2}))?")
_SEASONS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}


def point_bounds(value: str) -> Optional[tuple[dt.date, dt.date]]:
    """First and last day of one EDTF point (``2021``, ``2018-03``, ``199X``, ``19XX``)."""
    m = _POINT.fullmatch(value.strip().rstrip("~?%"))
    if not m:
        return None
    cc, d3, d4, mm, dd = m.groups()
    if d3 == "X":
        lo_y, hi_y = int(cc + "00"), int(cc + "99")
    elif d4 == "X":
        lo_y, hi_y = int(cc + d3 + "0"), int(cc + d3 + "9")
    else:
        lo_y = hi_y = int(cc + d3 + d4)
    lo_y, hi_y = max(1, lo_y), max(1, hi_y)
    try:
        if mm is None:
            return dt.date(lo_y, 1, 1), dt.date(hi_y, 12, 31)
        month = int(mm)
        if month in _SEASONS and dd is None:
            first, last = _SEASONS[month]
            end_y, end_m = (hi_y + 1, last - 12) if last > 12 else (hi_y, last)
            return dt.date(lo_y, first, 1), _month_end(end_y, end_m)
        if dd is None:
            return dt.date(lo_y, month, 1), _month_end(hi_y, month)
        day = dt.date(lo_y, month, int(dd))
        return day, day
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def bounds(value: Optional[str]) -> tuple[Optional[int], Optional[int]]:
    """(first day, last day) of an EDTF date or interval as ordinals; open or unknown ends are None."""
    if not value:
        return None, None
    value = value.strip()
    if "/" in value:
        a, b = value.split("/", 1)
        lo = point_bounds(a) if a not in ("", "..") else None
        hi = point_bounds(b) if b not in ("", "..") else None
        return (lo[0].toordinal() if lo else None), (hi[1].toordinal() if hi else None)
    pb = point_bounds(value)
    if pb is None:
        return None, None
    return pb[0].toordinal(), pb[1].toordinal()


def representative_day(value: Optional[str]) -> Optional[dt.date]:
    """One day that stands for an EDTF value, used to ask who held office then.

    Closed intervals give their midpoint; ``../X`` the start of X ("until the 1990s"
    still speaks of the earlier period); ``X/..`` the start of X.
    """
    if not value:
        return None
    value = value.strip().rstrip("~?%")
    if "/" in value:
        a, b = value.split("/", 1)
        if a in ("", ".."):
            pb = point_bounds(b)
            return pb[0] if pb else None
        if b in ("", ".."):
            pb = point_bounds(a)
            return pb[0] if pb else None
    lo, hi = bounds(value)
    if lo is None or hi is None:
        return dt.date.fromordinal(lo) if lo else (dt.date.fromordinal(hi) if hi else None)
    return dt.date.fromordinal((lo + hi) // 2)


def year_of(value: Optional[str]) -> Optional[int]:
    """The year a dated record falls in (its representative day's year), for yearly series."""
    day = representative_day(value)
    return day.year if day else None


def compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Whether two EDTF values can name the same time: their day intervals overlap.

    An unknown date is compatible with anything (it neither confirms nor denies).
    """
    a_lo, a_hi = bounds(a)
    b_lo, b_hi = bounds(b)
    if (a_lo is None and a_hi is None) or (b_lo is None and b_hi is None):
        return True
    return (a_lo is None or b_hi is None or a_lo <= b_hi) and (b_lo is None or a_hi is None or b_lo <= a_hi)
