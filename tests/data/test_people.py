"""Checks on diplograph/data/actors/people.yaml: structure, dates, succession and who held office when.

The file is read with yaml.safe_load directly so these tests do not depend on the gazetteer loader;
one extra test goes through `diplograph.data.gazetteer.load_gazetteer` when that module exists.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

PEOPLE_YAML = Path(__file__).resolve().parents[2] / "diplograph" / "data" / "actors" / "people.yaml"
STATES_YAML = PEOPLE_YAML.with_name("states.yaml")

OFFICES = {"head_of_state", "head_of_government", "foreign_minister", "leader"}
PERSON_KEYS = {"id", "name", "type", "wikidata", "surname", "aliases", "born", "terms"}
REQUIRED_PERSON_KEYS = {"id", "name", "type", "surname", "aliases", "terms"}
TERM_KEYS = {"office", "state", "title", "from", "to"}
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PERSON_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
STATE_ID = re.compile(r"^[A-Z]{3}$")

# Genuine overlaps in one office: both men are commonly called the leader of North Vietnam in the 1960s
# (Ho Chi Minh as party chairman, Le Duan as First Secretary).
ALLOWED_OVERLAPS = {("VDR", "leader"): {"HO", "LE_DUAN"}}
# Two people with one name, told apart by their dates (CDU foreign minister 1961-66, SPD chancellor 1998-2005).
SHARED_NAMES = {"gerhard schröder", "gerhard schroeder", "gerhard schroder"}


def parse_date(text: str) -> date:
    """Partial ISO dates stand for their first day, so `to: "1972-01"` and `from: "1972-01"` touch."""
    parts = [int(p) for p in text.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@lru_cache(maxsize=1)
def people() -> tuple[dict, ...]:
    return tuple(yaml.safe_load(PEOPLE_YAML.read_text(encoding="utf-8")))


def all_terms():
    for person in people():
        for term in person["terms"]:
            yield person, term


def span(term: dict) -> tuple[date, date]:
    """Half-open [from, to): a successor may take office on the day the predecessor leaves."""
    start = parse_date(term["from"]) if term["from"] else date.min
    end = parse_date(term["to"]) if term["to"] else date.max
    return start, end


def holders(state: str, office: str, when: date) -> set[str]:
    return {
        person["id"]
        for person, term in all_terms()
        if term["state"] == state and term["office"] == office and span(term)[0] <= when < span(term)[1]
    }


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ı", "i").casefold()


# --- structure -------------------------------------------------------------------------------------


def test_people_yaml_is_a_list_of_persons_with_known_keys():
    assert isinstance(people(), tuple) and people()
    for person in people():
        assert REQUIRED_PERSON_KEYS <= set(person) <= PERSON_KEYS, person.get("id")
        assert person["type"] == "person"
        assert person["terms"], f"{person['id']} has no terms"
        for term in person["terms"]:
            assert set(term) == TERM_KEYS, (person["id"], term)


def test_people_cover_at_least_400_persons():
    assert len(people()) >= 400


def test_people_ids_are_unique_uppercase():
    ids = [p["id"] for p in people()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert all(PERSON_ID.match(i) for i in ids), [i for i in ids if not PERSON_ID.match(i)]


def test_people_wikidata_and_born_are_well_formed():
    for person in people():
        if person.get("wikidata") is not None:
            assert re.match(r"^Q\d+$", person["wikidata"]), person["id"]
        if person.get("born") is not None:
            assert isinstance(person["born"], str) and ISO_DATE.match(person["born"]), person["id"]


def test_people_wikidata_ids_are_unique():
    qids = [p["wikidata"] for p in people() if p.get("wikidata")]
    assert len(qids) == len(set(qids))


def test_people_surname_occurs_in_a_full_name():
    """The surname is what prose uses alone, so it must be part of the name or of a listed variant."""
    for person in people():
        forms = [fold(f) for f in [person["name"], *person["aliases"]]]
        assert any(fold(person["surname"]) in f for f in forms), person["id"]


def test_people_aliases_are_strings_distinct_from_the_name():
    for person in people():
        assert all(isinstance(a, str) and a.strip() == a and a for a in person["aliases"]), person["id"]
        assert person["name"] not in person["aliases"], person["id"]
        assert not any(a.lower().startswith("the ") for a in person["aliases"]), person["id"]


def test_people_full_names_belong_to_one_person():
    owners: dict[str, set[str]] = defaultdict(set)
    for person in people():
        for form in [person["name"], *person["aliases"]]:
            owners[form.casefold()].add(person["id"])
    shared = {form for form, ids in owners.items() if len(ids) > 1}
    assert shared <= SHARED_NAMES, sorted(shared - SHARED_NAMES)


# --- terms -----------------------------------------------------------------------------------------


def test_people_terms_have_known_office_and_state_code():
    for person, term in all_terms():
        assert term["office"] in OFFICES, (person["id"], term)
        assert isinstance(term["state"], str) and STATE_ID.match(term["state"]), (person["id"], term)
        assert term["title"] is None or isinstance(term["title"], str)


def test_people_term_dates_are_iso_strings_in_order():
    for person, term in all_terms():
        for key in ("from", "to"):
            value = term[key]
            assert value is None or (isinstance(value, str) and ISO_DATE.match(value)), (person["id"], term)
        assert term["from"] is not None, (person["id"], term)
        start, end = span(term)
        assert start <= end, (person["id"], term)


def test_people_open_terms_started_before_today():
    for person, term in all_terms():
        assert parse_date(term["from"]) <= date(2026, 12, 31), (person["id"], term)


def test_people_terms_in_one_office_do_not_overlap():
    by_office: dict[tuple[str, str], list[tuple[date, date, str]]] = defaultdict(list)
    for person, term in all_terms():
        by_office[(term["state"], term["office"])].append((*span(term), person["id"]))
    clashes = []
    for key, spans in by_office.items():
        spans.sort()
        for i, (start_a, end_a, who_a) in enumerate(spans):
            for start_b, end_b, who_b in spans[i + 1 :]:
                if start_b >= end_a:
                    break
                if {who_a, who_b} <= ALLOWED_OVERLAPS.get(key, set()) and who_a != who_b:
                    continue
                clashes.append((key, who_a, who_b))
    assert not clashes, clashes


# --- who held office when ----------------------------------------------------------------------------

HELD_OFFICE = [
    ("USA", "head_of_state", "1945-06-01", "TRUMAN"),
    ("USA", "head_of_state", "1962-10-22", "KENNEDY_JF"),
    ("USA", "head_of_state", "1972-06-01", "NIXON"),
    ("USA", "head_of_government", "1980-06-01", "CARTER"),
    ("USA", "head_of_state", "1991-01-17", "BUSH_GHW"),
    ("USA", "head_of_state", "2003-03-20", "BUSH_GW"),
    ("USA", "head_of_state", "2019-06-30", "TRUMP"),
    ("USA", "head_of_state", "2022-01-01", "BIDEN"),
    ("USA", "head_of_state", "2025-06-01", "TRUMP"),
    ("USA", "foreign_minister", "1950-06-25", "ACHESON"),
    ("USA", "foreign_minister", "1975-01-01", "KISSINGER"),
    ("USA", "foreign_minister", "2010-03-01", "CLINTON_H"),
    ("USA", "foreign_minister", "2025-06-01", "RUBIO"),
    ("PRK", "leader", "1980-01-01", "KIS"),
    ("PRK", "leader", "2000-06-13", "KJI"),
    ("PRK", "leader", "2018-06-12", "KJU"),
    ("PRK", "head_of_state", "1985-01-01", "KIS"),
    ("PRK", "head_of_state", "2005-01-01", "KIM_YONGNAM"),
    ("PRK", "foreign_minister", "2023-01-01", "CHOE_SONHUI"),
    ("KOR", "head_of_state", "1950-06-25", "RHEE"),
    ("KOR", "head_of_state", "1970-01-01", "PARK_CHUNGHEE"),
    ("KOR", "head_of_state", "2000-06-13", "KIM_DAEJUNG"),
    ("KOR", "head_of_state", "2007-10-02", "ROH_MOOHYUN"),
    ("KOR", "head_of_state", "2018-04-27", "MOON"),
    ("KOR", "head_of_state", "2023-01-01", "YOON"),
    ("KOR", "head_of_state", "2025-08-15", "LEE_JAEMYUNG"),
    ("KOR", "foreign_minister", "2005-09-19", "BAN_KIMOON"),
    ("CHN", "leader", "1958-01-01", "MAO"),
    ("CHN", "leader", "1985-01-01", "DENG"),
    ("CHN", "leader", "1997-07-01", "JIANG_ZEMIN"),
    ("CHN", "leader", "2008-08-08", "HU_JINTAO"),
    ("CHN", "leader", "2018-01-01", "XJP"),
    ("CHN", "head_of_state", "1962-01-01", "LIU_SHAOQI"),
    ("CHN", "head_of_state", "2020-01-01", "XJP"),
    ("CHN", "head_of_government", "1954-04-26", "ZHOU"),
    ("CHN", "head_of_government", "1989-06-04", "LI_PENG"),
    ("CHN", "head_of_government", "2024-03-05", "LI_QIANG"),
    ("CHN", "foreign_minister", "1955-04-18", "ZHOU"),
    ("CHN", "foreign_minister", "2023-05-01", "QIN_GANG"),
    ("CHN", "foreign_minister", "2025-01-01", "WANG_YI"),
    ("TWN", "head_of_state", "1958-08-23", "CHIANG_KAISHEK"),
    ("TWN", "head_of_state", "1996-03-23", "LEE_TENGHUI"),
    ("TWN", "head_of_state", "2022-08-02", "TSAI_INGWEN"),
    ("SUN", "leader", "1950-01-01", "STALIN"),
    ("SUN", "leader", "1962-10-22", "KHRUSHCHEV"),
    ("SUN", "leader", "1979-12-25", "BREZHNEV"),
    ("SUN", "leader", "1985-06-01", "GORBACHEV"),
    ("SUN", "head_of_government", "1970-01-01", "KOSYGIN"),
    ("SUN", "foreign_minister", "1972-05-26", "GROMYKO"),
    ("RUS", "head_of_state", "1995-01-01", "YELTSIN"),
    ("RUS", "head_of_state", "2010-01-01", "MEDVEDEV"),
    ("RUS", "head_of_government", "2010-01-01", "PUTIN"),
    ("RUS", "head_of_state", "2022-02-24", "PUTIN"),
    ("RUS", "foreign_minister", "2015-01-01", "LAVROV"),
    ("GBR", "head_of_government", "1950-01-01", "ATTLEE"),
    ("GBR", "head_of_government", "1953-06-02", "CHURCHILL"),
    ("GBR", "head_of_government", "1956-11-01", "EDEN"),
    ("GBR", "head_of_government", "1982-04-02", "THATCHER"),
    ("GBR", "head_of_government", "2003-03-20", "BLAIR"),
    ("GBR", "head_of_state", "1990-01-01", "ELIZABETH_II"),
    ("GBR", "foreign_minister", "1947-06-01", "BEVIN"),
    ("FRA", "head_of_state", "1966-03-07", "DE_GAULLE"),
    ("FRA", "head_of_state", "1990-01-01", "MITTERRAND"),
    ("FRA", "head_of_state", "2020-01-01", "MACRON"),
    ("FRA", "head_of_government", "1954-07-21", "MENDES_FRANCE"),
    ("FRA", "foreign_minister", "1950-05-09", "SCHUMAN_R"),
    ("DEU", "head_of_government", "1955-01-01", "ADENAUER"),
    ("DEU", "head_of_government", "1970-12-07", "BRANDT"),
    ("DEU", "head_of_government", "1990-10-03", "KOHL"),
    ("DEU", "head_of_government", "2015-09-01", "MERKEL"),
    ("DEU", "foreign_minister", "1980-01-01", "GENSCHER"),
    ("DDR", "leader", "1980-01-01", "HONECKER"),
    ("IND", "head_of_government", "1955-04-18", "NEHRU"),
    ("IND", "head_of_government", "1965-09-01", "SHASTRI"),
    ("IND", "head_of_government", "1971-12-03", "INDIRA_GANDHI"),
    ("IND", "head_of_government", "1999-05-15", "VAJPAYEE"),
    ("IND", "head_of_government", "2020-06-15", "MODI"),
    ("IND", "foreign_minister", "2020-06-15", "JAISHANKAR"),
    ("PAK", "head_of_state", "1965-09-01", "AYUB_KHAN"),
    ("PAK", "head_of_state", "1971-03-26", "YAHYA_KHAN"),
    ("PAK", "head_of_state", "1980-01-01", "ZIA"),
    ("PAK", "head_of_government", "1975-01-01", "BHUTTO_ZA"),
    ("PAK", "head_of_government", "1989-06-01", "BHUTTO_B"),
    ("PAK", "head_of_government", "1998-05-28", "SHARIF_N"),
    ("PAK", "head_of_state", "2005-01-01", "MUSHARRAF"),
    ("PAK", "head_of_government", "2020-01-01", "IMRAN_KHAN"),
    ("PAK", "head_of_government", "2025-05-10", "SHARIF_S"),
    ("JPN", "head_of_government", "1960-01-19", "KISHI"),
    ("JPN", "head_of_government", "1972-09-29", "TANAKA_K"),
    ("JPN", "head_of_government", "2015-08-14", "ABE"),
    ("JPN", "head_of_state", "1970-01-01", "HIROHITO"),
    ("ITA", "head_of_government", "1950-01-01", "DE_GASPERI"),
    ("ITA", "head_of_government", "2005-01-01", "BERLUSCONI"),
    ("ISR", "head_of_government", "1973-10-06", "MEIR"),
    ("ISR", "head_of_government", "1978-09-17", "BEGIN"),
    ("ISR", "head_of_government", "1993-09-13", "RABIN"),
    ("IRN", "leader", "1985-01-01", "KHOMEINI"),
    ("IRN", "leader", "2015-07-14", "KHAMENEI"),
    ("IRN", "head_of_state", "1975-01-01", "PAHLAVI_MR"),
    ("EGY", "head_of_state", "1956-07-26", "NASSER"),
    ("EGY", "head_of_state", "1978-09-17", "SADAT"),
    ("EGY", "head_of_state", "1990-01-01", "MUBARAK"),
    ("EGY", "head_of_state", "2020-01-01", "SISI"),
    ("VDR", "head_of_state", "1965-01-01", "HO"),
    ("VNM", "leader", "2015-01-01", "NGUYEN_PHU_TRONG"),
    ("UKR", "head_of_state", "2022-02-24", "ZELENSKYY"),
    ("TUR", "head_of_state", "2020-01-01", "ERDOGAN"),
    ("TUR", "head_of_government", "2010-01-01", "ERDOGAN"),
    ("ZAF", "head_of_state", "1996-01-01", "MANDELA"),
    ("ZAF", "head_of_government", "1962-01-01", "VERWOERD"),
    ("BRA", "head_of_state", "2005-01-01", "LULA"),
    ("ARG", "head_of_state", "1982-04-02", "GALTIERI"),
    ("AUS", "head_of_government", "1985-01-01", "HAWKE"),
    ("CAN", "head_of_government", "1970-10-16", "TRUDEAU_P"),
    ("MEX", "head_of_state", "1993-01-01", "SALINAS"),
    ("SAU", "head_of_state", "1980-01-01", "KHALID"),
    ("IDN", "head_of_state", "1955-04-18", "SUKARNO"),
    ("IDN", "head_of_state", "1980-01-01", "SUHARTO"),
    ("CUB", "leader", "1962-10-22", "CASTRO_F"),
]


@pytest.mark.parametrize(("state", "office", "when", "expected"), HELD_OFFICE)
def test_people_who_held_office(state: str, office: str, when: str, expected: str):
    assert holders(state, office, date.fromisoformat(when)) == {expected}


# States the data promises continuous coverage for, checked every 1 July: acting holders are left out,
# so the sample day avoids most short interregna. (state, office, first year)
CONTINUOUS = [
    ("USA", "head_of_state", 1945), ("USA", "foreign_minister", 1945),
    ("GBR", "head_of_state", 1945), ("GBR", "head_of_government", 1945), ("GBR", "foreign_minister", 1945),
    ("FRA", "head_of_state", 1945), ("FRA", "head_of_government", 1945), ("FRA", "foreign_minister", 1945),
    ("SUN", "head_of_state", 1945), ("SUN", "head_of_government", 1945), ("SUN", "foreign_minister", 1945),
    ("RUS", "head_of_state", 1992), ("RUS", "head_of_government", 1992), ("RUS", "foreign_minister", 1992),
    ("CHN", "leader", 1950), ("CHN", "head_of_government", 1950), ("CHN", "foreign_minister", 1950),
    ("TWN", "head_of_state", 1945), ("PRK", "leader", 1949), ("KOR", "head_of_state", 1949),
    ("ARG", "head_of_state", 1945), ("AUS", "head_of_government", 1945), ("BRA", "head_of_state", 1945),
    ("CAN", "head_of_government", 1945), ("DEU", "head_of_government", 1950), ("DEU", "head_of_state", 1950),
    ("IND", "head_of_government", 1948), ("IND", "head_of_state", 1950), ("IDN", "head_of_state", 1946),
    ("ITA", "head_of_government", 1945), ("ITA", "head_of_state", 1945), ("JPN", "head_of_government", 1945),
    ("JPN", "head_of_state", 1945), ("MEX", "head_of_state", 1945), ("SAU", "head_of_state", 1945),
    ("ZAF", "head_of_state", 1945), ("TUR", "head_of_state", 1945), ("TUR", "head_of_government", 1945),
    ("ARG", "foreign_minister", 1990), ("AUS", "foreign_minister", 1990), ("BRA", "foreign_minister", 1990),
    ("CAN", "foreign_minister", 1990), ("DEU", "foreign_minister", 1990), ("IND", "foreign_minister", 1990),
    ("IDN", "foreign_minister", 1990), ("ITA", "foreign_minister", 1990), ("JPN", "foreign_minister", 1990),
    ("MEX", "foreign_minister", 1995), ("SAU", "foreign_minister", 1990), ("ZAF", "foreign_minister", 1990),
    ("KOR", "foreign_minister", 2004), ("ISR", "head_of_government", 1949), ("PAK", "head_of_state", 1948),
]
# Known vacancies on a sampled 1 July (office empty or only an acting holder, who is left out).
VACANT = {
    ("KOR", "head_of_state", 1960), ("ZAF", "head_of_state", 1967), ("TUR", "head_of_state", 1980),
    ("USA", "foreign_minister", 1945), ("SUN", "head_of_state", 1985), ("IND", "head_of_state", 1969),
    ("IND", "head_of_state", 1977), ("ITA", "head_of_state", 1978), ("ITA", "head_of_state", 1985),
    ("JPN", "head_of_government", 1980), ("MEX", "foreign_minister", 2023), ("ZAF", "foreign_minister", 2024),
}


@pytest.mark.parametrize(("state", "office", "first_year"), CONTINUOUS)
def test_people_office_is_filled_every_year(state: str, office: str, first_year: int):
    last_year = 1991 if state in {"SUN"} else 2025
    empty = [
        year
        for year in range(first_year, last_year + 1)
        if (state, office, year) not in VACANT and not holders(state, office, date(year, 7, 1))
    ]
    assert not empty, f"{state} {office} has no holder on 1 July of {empty}"


# --- consistency with the rest of the gazetteer -----------------------------------------------------


def test_people_states_exist_in_states_yaml():
    if not STATES_YAML.is_file():
        pytest.skip("states.yaml is not there yet")
    known = {entry["id"] for entry in yaml.safe_load(STATES_YAML.read_text(encoding="utf-8"))}
    missing = sorted({term["state"] for _, term in all_terms()} - known)
    assert not missing, f"state ids used in people.yaml but absent from states.yaml: {missing}"


@pytest.mark.parametrize(
    ("state", "when", "expected"),
    [("USA", "1972-06-01", "NIXON"), ("PRK", "2000-06-13", "KJI"), ("CHN", "2018-01-01", "XJP"),
     ("SUN", "1985-06-01", "GORBACHEV"), ("GBR", "1982-04-02", "THATCHER"), ("KOR", "2018-04-27", "MOON")],
)
def test_people_through_gazetteer_loader(state: str, when: str, expected: str):
    gazetteer_module = pytest.importorskip("diplograph.data.gazetteer")
    if not hasattr(gazetteer_module, "load_gazetteer"):
        pytest.skip("diplograph.data.gazetteer has no load_gazetteer yet")
    gazetteer = gazetteer_module.load_gazetteer()
    assert expected in gazetteer.entries
    assert expected in {entry.id for entry in gazetteer.holders(state, date.fromisoformat(when))}
