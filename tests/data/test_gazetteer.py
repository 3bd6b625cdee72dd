"""Tests for the actor gazetteer: every entry against its schema, codes, cross-references, and the
date-aware resolution the actor linker relies on."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from diplograph.data.gazetteer import Entry, load_gazetteer, normalise_form
from diplograph.errors import DataError

# The 193 UN member states (ISO 3166-1 alpha-3), as listed by the UN since South Sudan joined in 2011.
UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR BFA
BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ
ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL
ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT
MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA PRK MKD NOR OMN PAK PLW PAN PNG PRY
PER PHL POL PRT QAT KOR ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD
ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN
VNM YEM ZMB ZWE
""".split()
OTHER_STATES = ["VAT", "PSE", "TWN", "HKG", "XKX", "SUN", "DDR", "YUG", "CSK", "VDR", "RVN"]
SPEC_ORGS = [
    "UN", "UNSC", "UNGA", "UNHCR", "WFP", "UNICEF", "WHO", "IAEA", "IMF", "WORLD_BANK", "WTO", "ICJ", "ICC",
    "NATO", "EU", "ASEAN", "AU", "OAS", "ARAB_LEAGUE", "GCC", "SCO", "BRICS", "G7", "G20", "OPEC", "OSCE",
    "CIS", "CSTO", "WARSAW_PACT", "SEATO", "CENTO", "NONALIGNED", "COMMONWEALTH", "COVAX", "QUAD", "AUKUS",
    "APEC", "ECOWAS", "SADC", "MERCOSUR", "AMNESTY", "HRW", "ICRC", "KOTRA", "CFR", "BROOKINGS", "CCP", "WPK",
    "ANALYSTS", "HRG", "WEST", "INTL",
]


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _d(year: int | None) -> date | None:
    return None if year is None else date(year, 6, 30)


def test_gazetteer_is_cached(gaz):
    assert load_gazetteer() is gaz


def test_gazetteer_has_all_un_members(gaz):
    assert len(set(UN_MEMBERS)) == 193
    missing = [code for code in UN_MEMBERS if code not in gaz.entries]
    assert not missing
    assert all(gaz.entries[code].type == "state" for code in UN_MEMBERS)


@pytest.mark.parametrize("actor_id", OTHER_STATES + SPEC_ORGS)
def test_gazetteer_has_required_actor(gaz, actor_id):
    assert actor_id in gaz.entries


def test_gazetteer_state_codes_unique_and_wellformed(gaz):
    states = [e for e in gaz.entries.values() if e.type == "state"]
    iso2 = [e.iso2 for e in states if e.iso2]
    assert len(iso2) == len(set(iso2))
    assert all(len(e.id) == 3 and e.id.isalpha() and e.id.isupper() for e in states)
    assert all(e.wikidata for e in states)
    qids = [e.wikidata for e in gaz.entries.values() if e.wikidata]
    assert len(qids) == len(set(qids)), "two actors share a Wikidata QID"


def test_gazetteer_state_codes_agree_with_iso3166():
    pycountry = pytest.importorskip("pycountry", reason="pycountry is a dev-only tool (scripts/make_states.py)")
    gaz = load_gazetteer()
    for entry in gaz.entries.values():
        if entry.type != "state":
            continue
        current = pycountry.countries.get(alpha_3=entry.id)
        if current is not None:
            assert current.alpha_2 == entry.iso2, entry.id


def test_gazetteer_cross_references_resolve(gaz):
    for entry in gaz.entries.values():
        for target in (entry.parent, entry.successor, *(t.state for t in entry.terms)):
            if target is not None:
                assert target in gaz.entries, (entry.id, target)
                assert gaz.entries[target].type != "person"


def test_gazetteer_every_non_person_form_is_decidable(gaz):
    """A form shared by several actors must be told apart by dates (or a narrower window)."""
    days = [date(1900, 1, 1), date(1950, 1, 1), date(1965, 1, 1), date(1985, 1, 1), date(2005, 1, 1), None]
    for entry in gaz.entries.values():
        if entry.type == "person":
            continue
        for form in (entry.name, *entry.aliases, *entry.capitals, *entry.demonyms):
            for day in days:
                assert gaz.resolve(form, day) is not None, (form, day)


@pytest.mark.parametrize(
    "surface, year, expected",
    [
        ("Russia", 1950, "SUN"),
        ("Russia", 2010, "RUS"),
        ("Moscow", 1980, "SUN"),
        ("Moscow", None, "RUS"),
        ("the Kremlin", 1962, "SUN"),
        ("Beijing", 2000, "CHN"),
        ("Peking", 1972, "CHN"),
        ("Pyongyang", None, "PRK"),
        ("Seoul", None, "KOR"),
        ("Washington", None, "USA"),
        ("DPRK", 2017, "PRK"),
        ("ROK", 2017, "KOR"),
        ("the PRC", 1990, "CHN"),
        ("U.S.", 2001, "USA"),
        ("US", 2001, "USA"),
        ("U.K.", 1982, "GBR"),
        ("UAE", 2020, "ARE"),
        ("USSR", 1970, "SUN"),
        ("us", None, None),
        ("China", 1945, "TWN"),
        ("China", 1980, "CHN"),
        ("Chinese", 1937, "TWN"),
        ("Chinese", 2000, "CHN"),
        ("Soviet", 1980, "SUN"),
        ("Soviets", 1962, "SUN"),
        ("Russian", 1980, "SUN"),
        ("Russian", 2015, "RUS"),
        ("North Korean", 2010, "PRK"),
        ("South Korean", 2010, "KOR"),
        ("American", 1990, "USA"),
        ("British", 1990, "GBR"),
        ("Germany", 1970, "DEU"),
        ("West Germany", 1970, "DEU"),
        ("Bonn", 1970, "DEU"),
        ("East Germany", 1970, "DDR"),
        ("East Berlin", 1961, "DDR"),
        ("Yugoslavia", 1980, "YUG"),
        ("Belgrade", 1980, "YUG"),
        ("Belgrade", 2010, "SRB"),
        ("Czechoslovakia", 1968, "CSK"),
        ("Prague", 1968, "CSK"),
        ("Prague", 2000, "CZE"),
        ("North Vietnam", 1965, "VDR"),
        ("Hanoi", 1965, "VDR"),
        ("Hanoi", 2000, "VNM"),
        ("South Vietnam", 1965, "RVN"),
        ("Saigon", 1968, "RVN"),
        ("Vietnam", 2000, "VNM"),
        ("Rangoon", 1988, "MMR"),
        ("Burma", 1988, "MMR"),
        ("Zaire", 1985, "COD"),
        ("Taiwan", 2020, "TWN"),
        ("Taipei", 2020, "TWN"),
        ("Istanbul", 1900, "OTT"),
        ("Turkey", 1900, "OTT"),
        ("Turkey", 1990, "TUR"),
        ("Vienna", 1900, "AUH"),
        ("Vienna", 1990, "AUT"),
        ("Côte d’Ivoire", 2011, "CIV"),
        ("UN Security Council", 2006, "UNSC"),
        ("U.N. Security Council", 2006, "UNSC"),
        ("NATO", 1999, "NATO"),
        ("Nato", 1999, "NATO"),
        ("the European Union", 2016, "EU"),
        ("Warsaw Pact", 1968, "WARSAW_PACT"),
        ("Baghdad Pact", 1956, "CENTO"),
        ("CSCE", 1975, "OSCE"),
        ("the international community", 2015, "INTL"),
        ("analysts", 2015, "ANALYSTS"),
        ("rights groups", 2015, "HRG"),
        ("the West", 2015, "WEST"),
        ("CHINA", 2015, "CHN"),
        ("Atlantis", 2015, None),
    ],
)
def test_gazetteer_resolve(gaz, surface, year, expected):
    entry = gaz.resolve(surface, _d(year))
    assert (entry.id if entry else None) == expected


def test_gazetteer_unsc_is_an_organ_of_the_un(gaz):
    unsc = gaz.resolve("UN Security Council", date(2017, 12, 22))
    assert unsc.parent == "UN"
    assert gaz.entries["SUN"].successor == "RUS"


@pytest.mark.parametrize(
    "surface, year, expected_prefix",
    [
        ("Kim", 2000, "KJI"),
        ("Kim", 1960, "KIS"),
        ("Kim", 2022, "KJU"),
        ("Xi", 2018, "XJP"),
        ("Putin", 2005, "PUTIN"),
        ("Mao", 1960, "MAO"),
    ],
)
def test_gazetteer_resolve_surname_by_term(gaz, surface, year, expected_prefix):
    if not any(e.type == "person" and e.surname == surface for e in gaz.entries.values()):
        pytest.skip(f"people.yaml has nobody with surname {surface!r}")
    entry = gaz.resolve(surface, _d(year))
    assert entry is not None and entry.id.startswith(expected_prefix)


def test_gazetteer_holders_lists_people_in_office(gaz):
    if "KJI" not in gaz.entries:
        pytest.skip("people.yaml lacks Kim Jong Il")
    holders = gaz.holders("PRK", date(2005, 1, 1))
    assert "KJI" in [e.id for e in holders]
    assert all(isinstance(e, Entry) and e.type == "person" for e in holders)
    assert gaz.holders("PRK", date(2005, 1, 1), offices=("foreign_minister",)) != holders


def test_gazetteer_candidates_and_surface_forms(gaz):
    meanings = {(e.id, how) for e, how in gaz.candidates("Moscow")}
    assert {("SUN", "capital"), ("RUS", "capital")} <= meanings
    forms = dict(gaz.surface_forms())
    assert forms["DPRK"] is True
    assert forms["North Korea"] is False


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the United States", ("united states", False)),
        ("U.S.", ("U.S.", True)),
        ("DPRK", ("DPRK", True)),
        ("Côte d’Ivoire", ("côte d'ivoire", False)),
        ("  New   Delhi ", ("new delhi", False)),
        ("UNITEDNATIONS", ("unitednations", False)),
    ],
)
def test_gazetteer_normalise_form(text, expected):
    assert normalise_form(text) == expected


GOOD = """
- id: AAA
  name: Alphaland
  type: state
  iso2: AA
  wikidata: Q1
"""


@pytest.mark.parametrize(
    "bad_yaml, message_parts",
    [
        (GOOD + "  capitol: [Alpha City]\n", ["bad.yaml", "'AAA'", "unknown key 'capitol'"]),
        (GOOD + "  valid_from: 1990-13-45\n", ["bad.yaml", "'AAA'", "valid_from"]),
        (GOOD + "  valid_from: '1990'\n  valid_to: '1980'\n", ["'AAA'", "valid_to is before valid_from"]),
        (GOOD + "  successor: ZZZ\n", ["'AAA'", "successor 'ZZZ' is not a known actor id"]),
        (GOOD + "- id: PAA\n  name: Pat Aa\n  type: person\n  terms:\n  - {office: leader, state: ZZZ}\n",
         ["'PAA'", "terms[0].state 'ZZZ'"]),
        (GOOD + "- id: PAA\n  name: Pat Aa\n  type: person\n  terms:\n  - {office: king, state: AAA}\n",
         ["'PAA'", "terms.0.office"]),
        (GOOD + GOOD, ["'AAA'", "duplicate id"]),
        (GOOD.replace("  wikidata: Q1\n", ""), ["'AAA'", "wikidata"]),
        ("- id: AAA\n  name: [unclosed\n", ["bad.yaml", "not valid YAML"]),
        ("id: AAA\n", ["bad.yaml", "expected a list"]),
    ],
)
def test_gazetteer_bad_entry_raises_clear_data_error(tmp_path: Path, bad_yaml, message_parts):
    (tmp_path / "bad.yaml").write_text(bad_yaml, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_gazetteer(tmp_path)
    for part in message_parts:
        assert part in str(caught.value)


def test_gazetteer_directory_without_files_is_empty(tmp_path: Path):
    assert load_gazetteer(tmp_path).entries == {}
    assert load_gazetteer(tmp_path / "absent").resolve("China", None) is None
