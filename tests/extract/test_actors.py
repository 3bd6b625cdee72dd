"""The actor linker on sentences written for these tests: time-aware names, pronouns, roles."""
from __future__ import annotations

import pytest

from diplograph.extract.actors import edtf_to_date, link_actors
from diplograph.extract.context import Context
from diplograph.extract.timex import extract_timexes
from diplograph.read.dateline import make_document

pytestmark = pytest.mark.slow


def link(nlp, text: str, date: str | None = "2024-05-01"):
    document = make_document(text, doc_id="t", date=date)
    ctx = Context(document=document, doc=nlp(text))
    ctx.timexes, ctx.timeline = extract_timexes(ctx)
    return link_actors(ctx), text


def ids_for(index, text: str, word: str, occurrence: int = 0) -> list[str]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return index.ids_at(start, start + len(word))


@pytest.mark.parametrize("text,word,occurrence,expected", [
    # the same name means different actors at different dates
    ("In 1956, Russia sent tanks into Hungary to crush the uprising.", "Russia", 0, ["SUN"]),
    ("In 2014, Russia annexed Crimea from Ukraine.", "Russia", 0, ["RUS"]),
    ("Moscow announced new grain deals with Cairo in 1975.", "Moscow", 0, ["SUN"]),
    # capitals stand for their states
    ("Washington and Beijing resumed trade talks in 2019.", "Washington", 0, ["USA"]),
    ("Washington and Beijing resumed trade talks in 2019.", "Beijing", 0, ["CHN"]),
    ("Seoul protested when Pyongyang fired two missiles in 2022.", "Pyongyang", 0, ["PRK"]),
    # a bare surname is the person in office at the sentence's date
    ("In 1998, Kim welcomed the new sunshine policy of his southern neighbour.", "Kim", 0, ["KJI"]),
    ("In 2019, Kim met the American president at Panmunjom.", "Kim", 0, ["KJU"]),
    ("Xi spoke by phone with the French president in 2020.", "Xi", 0, ["XJP"]),
    # acronyms keep their case: "us" is a pronoun
    ("The U.S. asked its allies to help us.", "us", 0, []),
    ("The U.S. asked its allies to help us.", "U.S.", 0, ["USA"]),
    # the North / the South in a Korean context
    ("South Korea and North Korea met again. Seoul said the North had agreed.", "the North", 0, ["PRK"]),
    ("In 2023, North and South Korea both tested missiles.", "North", 0, ["PRK"]),
    # a place before "-based" is where something is, not an actor
    ("Figures from the Tokyo-based institute showed a rise in 2019.", "Tokyo", 0, []),
    # demonyms
    ("Soviet advisers left Egypt in 1972.", "Soviet", 0, ["SUN"]),
])
def test_actors_link_names_at_their_date(nlp, text, word, occurrence, expected):
    index, text = link(nlp, text)
    assert ids_for(index, text, word, occurrence) == expected


@pytest.mark.parametrize("text,word,occurrence,expected", [
    # a pronoun subject takes the subject of the sentence before
    ("Japan expanded its navy in 2015. In 2016, it opened a base in Djibouti.", "it", 0, ["JPN"]),
    # "While X did Y, it did Z": the earlier subject of the same sentence
    ("While Paris has backed the embargo, it has quietly kept buying gas.", "it", 0, ["FRA"]),
    # a governing subject wins over a subordinate one
    ("Canada has said that if Ottawa's partners raise tariffs, it will retaliate.", "it", 0, ["CAN"]),
    # "the two countries" -> the last two states in focus
    ("India sent envoys to Pakistan. In 2004, the two countries agreed a ceasefire.",
     "the two countries", 0, ["PAK", "IND"]),
    ("Brazil and Argentina met in 1991. Both sides signed a customs union.", "Both sides", 0,
     ["ARG", "BRA"]),
    # the pair most in focus, not merely the last two names
    ("Iran and Iraq fought for years; Syria backed Iran. In 1988 both belligerents accepted a truce.",
     "both belligerents", 0, ["IRN", "IRQ"]),
    # the clause's own subject is not one of the pair it acts on
    ("Chile and Peru fought in 1879. Britain and France stopped arms sales to both belligerents.",
     "both belligerents", 0, ["CHL", "PER"]),
    # "the British colony of India ... its": the colony is India
    ("When the British colony of India gained its independence, it joined the Commonwealth.",
     "its", 0, ["IND"]),
    # a possessive takes the nearest actor before it in its sentence
    ("After the war Egypt followed the advice of its patron Moscow.", "its", 0, ["EGY"]),
    # "said that A ..., and that it ...": the sayer, not A
    ("Vietnam declared that Laos was a close friend, and that it would defend the border.", "it", 0,
     ["VNM"]),
])
def test_actors_resolve_phrases_in_focus(nlp, text, word, occurrence, expected):
    index, text = link(nlp, text)
    assert sorted(ids_for(index, text, word, occurrence)) == sorted(expected)


def test_actors_expletive_it_points_at_nothing(nlp):
    index, text = link(nlp, "Germany rebuilt its army. It took several decades to finish.")
    assert ids_for(index, text, "It") == []


def test_actors_keep_unknown_person_with_role_and_affiliation(nlp):
    text = ("\u201cThe sanctions will not work,\u201d Harbor Institute Senior Fellow Maria Okonkwo "
            "said in 2021.")
    index, _ = link(nlp, text)
    people = [a for a in index.records() if a.type == "person"]
    assert [p.name for p in people] == ["Maria Okonkwo"]
    assert people[0].affiliation == "Harbor Institute"
    assert people[0].role == "Senior Fellow"
    assert people[0].known is False


def test_actors_appositive_role(nlp):
    text = ("Sanctions rarely change regimes, said Tomas Lindqvist, the research director of the "
            "Baltic Security Institute, at a 2019 conference.")
    index, _ = link(nlp, text)
    person = next(a for a in index.records() if a.type == "person")
    assert person.name == "Tomas Lindqvist"
    assert "research director" in person.role
    assert person.affiliation and "Baltic Security Institute" in person.affiliation


def test_actors_surname_after_full_name_is_the_same_person(nlp):
    text = "Analyst Priya Raghavan wrote the report. Raghavan argued that talks would fail."
    index, text = link(nlp, text)
    first = ids_for(index, text, "Priya Raghavan")
    later = ids_for(index, text, "Raghavan", 1)
    assert first and first == later


def test_actors_acronym_defined_in_text_becomes_alias(nlp):
    text = ("Figures from the Northern Trade Promotion Agency (NTPA) showed a decline. "
            "The NTPA expects a recovery.")
    index, text = link(nlp, text)
    agency = ids_for(index, text, "Northern Trade Promotion Agency")
    assert agency and ids_for(index, text, "NTPA", 1) == agency
    assert "NTPA" in index.actors[agency[0]].aliases


def test_actors_mentions_carry_exact_offsets(nlp):
    index, text = link(nlp, "China\u2019s trade with Vietnam grew. Hanoi welcomed it.")
    for actor in index.records():
        for m in actor.mentions:
            assert text[m.start:m.end] == m.text
            assert not m.text.endswith(("\u2019s", "'s"))


@pytest.mark.parametrize("value,expected", [
    ("1950/1953", "1952-01-01"),
    ("../199X", "1990-01-01"),
    ("2023-11/..", "2023-11-01"),
    ("2018-03", "2018-03-16"),
    ("2021", "2021-07-02"),
    (None, None),
])
def test_actors_edtf_to_date_picks_a_representative_day(value, expected):
    got = edtf_to_date(value)
    assert (got.isoformat() if got else None) == expected


def test_actors_surname_out_of_office_is_the_person_named_before(nlp):
    text = ("In 2019 Xi visited Pyongyang. (Xi had gone there in 2008 as vice president.)")
    index, text = link(nlp, text)
    assert ids_for(index, text, "Xi", 1) == ["XJP"]
