"""Validity dates of states: a state born after 1900 must not be valid before its independence.

Why: the actor linker drops a capital metonym whose state did not exist yet ("talks at Tashkent"
in 1966 are Soviet, not Uzbek), and prefers the actor valid at the text's date; both depend on
these dates being present and right.
"""
from __future__ import annotations

from datetime import date

import pytest

from diplograph.data.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def entries():
    return load_gazetteer().entries


@pytest.mark.parametrize(
    ("state_id", "before", "after"),
    [
        ("UZB", date(1966, 1, 10), date(2000, 1, 1)),
        ("UKR", date(1991, 8, 23), date(1991, 8, 24)),
        ("KAZ", date(1980, 6, 1), date(1992, 1, 1)),
        ("IND", date(1940, 1, 1), date(1950, 1, 26)),
        ("PAK", date(1947, 8, 13), date(1947, 8, 14)),
        ("ISR", date(1948, 5, 13), date(1948, 5, 14)),
        ("BGD", date(1971, 3, 25), date(1971, 12, 16)),
        ("PRK", date(1948, 9, 8), date(1950, 6, 25)),
        ("KOR", date(1945, 8, 15), date(1948, 8, 15)),
        ("SVN", date(1990, 12, 23), date(1992, 1, 15)),
        ("BIH", date(1991, 1, 1), date(1995, 11, 21)),
        ("ERI", date(1991, 5, 24), date(1998, 5, 6)),
        ("SSD", date(2011, 7, 8), date(2011, 7, 9)),
        ("TLS", date(1999, 8, 30), date(2002, 5, 20)),
        ("MNE", date(2006, 6, 2), date(2006, 6, 3)),
        ("DZA", date(1954, 11, 1), date(1962, 7, 5)),
        ("NAM", date(1966, 8, 26), date(1990, 3, 21)),
        ("XKX", date(1999, 6, 10), date(2008, 2, 17)),
        ("CZE", date(1992, 12, 31), date(1993, 1, 1)),
    ],
)
def test_state_is_valid_only_from_its_independence(entries, state_id: str, before: date, after: date) -> None:
    state = entries[state_id]
    assert state.valid_from is not None, f"{state_id} lacks valid_from"
    assert state.valid_at(before) is False
    assert state.valid_at(after) is True


@pytest.mark.parametrize("state_id", ["FRA", "GBR", "USA", "ETH", "JPN", "THA"])
def test_states_older_than_1900_stay_open_ended(entries, state_id: str) -> None:
    """A long-established state is valid in any period reporting covers."""
    assert entries[state_id].valid_at(date(1900, 1, 1))
    assert entries[state_id].valid_at(date(2020, 1, 1))


def test_every_validity_window_is_ordered(entries) -> None:
    disordered = [
        entry.id
        for entry in entries.values()
        if entry.valid_from and entry.valid_to and not entry.valid_from < entry.valid_to
    ]
    assert disordered == []


def test_every_historical_state_has_an_end(entries) -> None:
    """A state with a successor has ceased to exist, so it needs the day it ended."""
    open_ended = [e.id for e in entries.values() if e.type == "state" and e.successor and e.valid_to is None]
    assert open_ended == []


@pytest.mark.parametrize(("old", "new"), [("SUN", "RUS"), ("CSK", "SVK"), ("SCG", "SRB"), ("YAR", "YEM"), ("RHO", "ZWE")])
def test_successor_begins_after_its_predecessor_ends(entries, old: str, new: str) -> None:
    """No day on which the predecessor and its successor both claim the same name and capital."""
    assert entries[old].valid_to < entries[new].valid_from
