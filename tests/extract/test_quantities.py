"""Quantities: the number grammar, the unit lexicon, and figures read from realistic sentences.

The sentences are written for these tests in the genre of the project (news and backgrounders
on international relations); none is taken from the evaluation documents.
"""
from __future__ import annotations

import json

import pytest
import spacy
from pydantic import ValidationError

from diplograph.extract.context import Context
from diplograph.extract.quantities import (
    UnitsLexicon,
    extract_quantities,
    load_lexicon,
    parse_number,
    read_units_yaml,
)
from diplograph.model import Document

# --------------------------------------------------------------------------- lexicon


def test_quantities_lexicon_validates():
    raw = read_units_yaml()
    assert raw.policy.convert_to_usd is False
    assert {c.unit for c in raw.currencies} >= {"USD", "rmb", "eur", "chf", "jpy", "krw"}
    assert set(raw.bounds) == {"gt", "ge", "lt", "le", "approx"}


def test_quantities_lexicon_units_are_lower_case_names():
    raw = read_units_yaml()
    for name, entry in raw.units.items():
        assert (entry.unit or name) == (entry.unit or name).lower(), name
        assert entry.words and entry.factor > 0, name
    assert set(raw.duration_units) <= {e.unit or n for n, e in raw.units.items()}


def test_quantities_lexicon_phrases_are_unambiguous():
    """A phrase may not stand for two bounds, or for a currency and a unit at once."""
    lex = load_lexicon()
    seen: dict[str, str] = {}
    for kind, phrases in lex.raw.bounds.items():
        for p in phrases:
            assert seen.setdefault(p.lower(), kind) == kind, p
    assert not set(lex.currency_suffix) & set(lex.unit_words)


def test_quantities_lexicon_rejects_unknown_bound():
    data = read_units_yaml().model_dump()
    data["bounds"]["roughly"] = ["give or take"]
    with pytest.raises(ValidationError):
        UnitsLexicon.model_validate(data)


def test_quantities_lexicon_rejects_upper_case_currency_code():
    data = read_units_yaml().model_dump()
    data["currencies"][1]["unit"] = "RMB"
    with pytest.raises(ValidationError):
        UnitsLexicon.model_validate(data)


# --------------------------------------------------------------------------- number grammar

BLANK = spacy.blank("en")


@pytest.mark.parametrize("text,value,vague", [
    ("half a million", 500_000, False),
    ("twenty-one", 21, False),
    ("two hundred thousand", 200_000, False),
    ("one hundred and five", 105, False),
    ("6.86 billion", 6_860_000_000, False),
    ("5bn", 5_000_000_000, False),
    ("300m", 300_000_000, False),
    ("1,250", 1_250, False),
    ("a dozen", 12, False),
    ("three dozen", 36, False),
    ("eleven million", 11_000_000, False),
    ("hundreds of thousands", 100_000, True),
    ("tens of thousands", 10_000, True),
    ("a million", 1_000_000, False),
])
def test_quantities_parse_number(text, value, vague):
    doc = BLANK(text)
    num = parse_number(doc, 0, len(doc), load_lexicon())
    assert num is not None and num.end == len(doc)
    assert num.value == pytest.approx(value)
    assert num.vague is vague


@pytest.mark.parametrize("text", ["several", "the", "1990s", "many hundred"])
def test_quantities_parse_number_rejects_non_numbers(text):
    doc = BLANK(text)
    assert parse_number(doc, 0, len(doc), load_lexicon()) is None


# --------------------------------------------------------------------------- figures in sentences

class FakeActors:
    """The ActorIndex contract (``ids_in``) over fixed names, so these tests need no gazetteer."""

    def __init__(self, text: str, names: dict[str, str]):
        self.spans = []
        for name, aid in names.items():
            start = text.find(name)
            while start >= 0:
                self.spans.append((start, start + len(name), aid))
                start = text.find(name, start + 1)
        self.spans.sort()

    def ids_in(self, start: int, end: int) -> list[str]:
        out: list[str] = []
        for s, e, aid in self.spans:
            if start <= s and e <= end and aid not in out:
                out.append(aid)
        return out


class FakeTimeline:
    """Dates every clause by the first four-digit year inside it (the Timeline contract)."""

    def __init__(self, text: str):
        self.text = text

    def date_for(self, start: int, end: int, trigger=None):
        import re

        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", self.text[start:end])
        return m.group(1) if m else None


def quantities(nlp, text: str, actors: dict[str, str] | None = None):
    doc = nlp(text)
    ctx = Context(document=Document(id="t", text=text), doc=doc,
                  timeline=FakeTimeline(text), actors=FakeActors(text, actors or {}))
    return extract_quantities(ctx)


FIGURES = [
    # money: dollars converted to plain dollars, other currencies keep their code
    ("Beijing pledged $4.2 billion in loans to Islamabad last year.", 4_200_000_000, "USD", "eq"),
    ("The embassy said the package was worth US$850 million.", 850_000_000, "USD", "eq"),
    ("Seoul offered USD 12 million in humanitarian aid.", 12_000_000, "USD", "eq"),
    ("Congress approved 3 million dollars for the mission.", 3_000_000, "USD", "eq"),
    ("The fund received about $300m from Gulf donors.", 300_000_000, "USD", "approx"),
    ("Chinese banks lent 40 billion yuan to the port project.", 40_000_000_000, "rmb", "eq"),
    ("Brussels set aside €1.5 billion for the reconstruction fund.", 1_500_000_000, "eur", "eq"),
    ("Bern froze assets worth 7.5 billion Swiss francs.", 7_500_000_000, "chf", "eq"),
    # percentages, bounds and declines
    ("Exports to the bloc account for more than 60 percent of its trade.", 60, "percent", "gt"),
    ("Turnout reached at least 45 per cent in the capital.", 45, "percent", "ge"),
    ("Inflation stayed below 3% for most of the year.", 3, "percent", "lt"),
    ("Tariffs of up to 25 percent were imposed on steel.", 25, "percent", "le"),
    ("Roughly 30 percent of the aid never reached the border.", 30, "percent", "approx"),
    ("The sanctions caused a 6.2 percent contraction in the economy.", -6.2, "percent", "eq"),
    ("Shipments fell by 12 percent after the embargo.", -12, "percent", "eq"),
    ("Remittances recovered to 75 percent of their pre-war level.", 75, "percent", "eq"),
    # people
    ("Nearly 2,000 peacekeepers were deployed along the ceasefire line.", 2_000, "person", "approx"),
    ("Some 40,000 Russian troops massed near the border.", 40_000, "person", "approx"),
    ("The fighting displaced almost three million people in a year.", 3_000_000, "person", "approx"),
    ("Tens of thousands of refugees crossed into Jordan.", 10_000, "person", "gt"),
    ("Half a million soldiers were mobilised within weeks.", 500_000, "person", "eq"),
    # counts
    ("The two sides held six rounds of talks in Geneva.", 6, "count", "eq"),
    ("The ministers met three times before the deadline.", 3, "count", "eq"),
    ("The envoy visited Tehran twice during the crisis.", 2, "count", "eq"),
    ("Pyongyang fired 12 ballistic missiles over the summer.", 12, "count", "eq"),
    # multipliers
    ("Arms sales to the region rose fivefold over the decade.", 5, "ratio", "eq"),
    ("Trade between the neighbours has doubled since the accord.", 2, "ratio", "eq"),
    ("Its defence budget is three times larger than its rival's.", 3, "ratio", "eq"),
    ("Grain imports increased 10-fold after the drought.", 10, "ratio", "eq"),
    # durations, ranks and other units
    ("The treaty was extended for another fifteen years.", 15, "year", "eq"),
    ("The region endured a decade of civil war.", 10, "year", "eq"),
    ("The blockade lasted 40 days.", 40, "day", "eq"),
    ("Japan ranked third among the country's creditors.", 3, "rank", "eq"),
    ("Germany is the top trading partner of Poland.", 1, "rank", "eq"),
    ("It is the world's second-largest oil exporter.", 2, "rank", "eq"),
    ("The pipeline stretches 1,200 km across the steppe.", 1_200, "km", "eq"),
    ("The country exported 5 million tonnes of coal.", 5_000_000, "tonne", "eq"),
    ("The plant will add 600 megawatts to the grid.", 600, "mw", "eq"),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,value,unit,bound", FIGURES)
def test_quantities_figure(nlp, text, value, unit, bound):
    found = [(q.value, q.unit, q.bound) for q in quantities(nlp, text)]
    assert (pytest.approx(value), unit, bound) in found, found


NOT_FIGURES = [
    "The Security Council adopted Resolution 2231 without a vote.",
    "Article 5 of the treaty has been invoked only once.",
    "The two countries signed a border agreement in 1994.",
    "Both leaders reaffirmed their support for a one China policy.",
    "The talks resumed on March 14 after a pause.",
    "One of the negotiators later resigned.",
    "Officials cited the COVID-19 pandemic as the cause.",
    "The F-16 deal was approved by the Senate.",
    "These three governments issued a joint statement.",
    "The crisis deepened in the 1990s and again in 2008.",
    "Tensions rose during the Seven Years' War.",
    "The minister was 64 years old when she took office.",
    "The Boeing 747 carrying the delegation landed safely.",
    "The border was redrawn two years later.",
]


@pytest.mark.slow
@pytest.mark.parametrize("text", NOT_FIGURES)
def test_quantities_skips_non_figures(nlp, text):
    assert [(q.value, q.unit) for q in quantities(nlp, text)] == []


@pytest.mark.slow
def test_quantities_elliptical_count_takes_the_noun_before(nlp):
    text = "Since 2019 the president has held five meetings with Putin, two with Erdogan and one with Modi."
    counts = [(q.value, q.unit, q.measure) for q in quantities(nlp, text)]
    assert counts == [(5, "count", "meeting"), (2, "count", "meeting")]


@pytest.mark.slow
def test_quantities_record_context(nlp):
    text = ("Bilateral trade between Vietnam and China grew to $175 billion in 2022, according to "
            "figures from the General Statistics Office.")
    names = {"Vietnam": "VNM", "China": "CHN", "General Statistics Office": "GSO"}
    (q,) = quantities(nlp, text, names)
    assert (q.value, q.unit, q.date) == (175_000_000_000, "USD", "2022")
    assert q.subject[:2] == ["VNM", "CHN"]
    assert q.cited_source == ["GSO"]
    assert q.measure == "bilateral trade"
    assert text[q.mention.start:q.mention.end] == "$175 billion"
    assert q.evidence.start <= q.mention.start and q.mention.end <= q.evidence.end


@pytest.mark.slow
def test_quantities_source_from_reporting_verb(nlp):
    text = "The World Food Programme estimates that 40 percent of the population lacks food."
    (q,) = quantities(nlp, text, {"World Food Programme": "WFP"})
    assert (q.value, q.unit, q.cited_source, q.measure) == (40, "percent", ["WFP"], "population")


@pytest.mark.slow
def test_quantities_participle_clause_takes_the_date_of_its_clause(nlp):
    text = "By 2021 exports had recovered to pre-crisis levels, totalling $3 billion."
    (q,) = quantities(nlp, text)
    assert (q.value, q.date) == (3_000_000_000, "2021")


@pytest.mark.slow
def test_quantities_evidence_is_the_clause(nlp):
    text = "Aid rose fourfold between 2010 and 2015, peaking in 2014 at $900 million."
    ratio, money = quantities(nlp, text)
    assert (ratio.value, ratio.unit, ratio.date) == (4, "ratio", "2010")
    assert (money.value, money.date) == (900_000_000, "2014")
    assert text[ratio.evidence.start:ratio.evidence.end] == "Aid rose fourfold between 2010 and 2015"


# --------------------------------------------------------------------------- the evaluation kit


def _gold_recall(nlp, shared_dir, name: str) -> tuple[int, int]:
    """Required gold quantities matched by value, unit and overlapping evidence."""
    base = shared_dir / "eval" / name
    text = base.with_suffix(".txt").read_text(encoding="utf-8")
    gold = json.loads(base.with_suffix(".gold.json").read_text(encoding="utf-8"))
    found = quantities(nlp, text)
    hit = total = 0
    for g in gold.get("quantities", []):
        if not g.get("required", True):
            continue
        total += 1
        start = text.find(g["anchor"])
        end = start + len(g["anchor"])
        hit += any(q.evidence.start < end and start < q.evidence.end and q.unit == g["unit"]
                   and abs(abs(q.value) - abs(g["value"])) <= 0.005 * abs(g["value"]) for q in found)
    return hit, total


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed", "dev/north_korea_factbook_background_economy",
                                  "dev/rapprochement_china_1972_ooh"])
def test_quantities_recall_on_the_evaluation_kit(nlp, shared_dir, name):
    hit, total = _gold_recall(nlp, shared_dir, name)
    assert hit >= 0.9 * total, f"{hit}/{total} required quantities found in {name}"


@pytest.mark.slow
@pytest.mark.parametrize("text,value,subject", [
    # a two-party measure with no party named: the paragraph's two main states
    ("Chile sells copper to Japan, and Japan sends cars to Chile. Bilateral trade reached "
     "$12 billion in 2019.", 12_000_000_000, ["CHL", "JPN"]),
    # any other measure: the paragraph's one clear focus
    ("Malawi faced drought in 2016. Malawi asked for help as about 30 percent of the population "
     "went hungry.", 30, ["MWI"]),
])
def test_quantities_unnamed_subject_comes_from_the_paragraph(nlp, text, value, subject):
    import diplograph

    figures = [q for q in diplograph.extract(text, date="2020-01-01").quantities if q.value == value]
    assert figures and figures[0].subject == subject
