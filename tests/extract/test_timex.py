"""Time expressions -> EDTF, narrative-time resolution and clause dating.

The sentences are written for these tests in the genre of the corpus (news and
backgrounders on international relations); none is copied from a document.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from diplograph.extract.context import Context
from diplograph.extract.timex import find_candidates, extract_timexes, load_lexicon, TimeLexicon
from diplograph.model import Document, Extraction

pytestmark = pytest.mark.slow


def _timexes(nlp, text: str, date: str | None = None):
    text = text.replace("\\n", "\n")
    document = Document(id="t", text=text, date=date)
    return extract_timexes(Context(document=document, doc=nlp(text)))


def _found(nlp, text: str, date: str | None = None) -> dict[str, tuple]:
    timexes, _ = _timexes(nlp, text, date)
    return {t.text: (t.value, t.kind) for t in timexes}


# (sentence, document date, expression as it should be cut, EDTF value, kind)
CASES = [
    # calendar dates and years
    ("The delegation arrived in Hanoi on 12 March 1998.", None, "12 March 1998", "1998-03-12", "date"),
    ("Talks were held on March 14–16, 1998, in Geneva.", None, "March 14–16, 1998", "1998-03-14/1998-03-16", "range"),
    ("2019-07-04: Officials met at the border.", None, "2019-07-04", "2019-07-04", "date"),
    ("The envoy resigned in October 2011 after the vote.", None, "October 2011", "2011-10", "date"),
    ("Seoul joined the OECD in 1996.", None, "1996", "1996", "date"),
    # abbreviated months, with and without their full stop
    ("The assembly voted on 1 Feb. 1793 to annex the port.", None, "1 Feb. 1793", "1793-02-01", "date"),
    ("The garrison surrendered on Sept. 3, 1783.", None, "Sept. 3, 1783", "1783-09-03", "date"),
    ("Envoys reached Kabul in Dec. 1979, days before the invasion.", None, "Dec. 1979", "1979-12", "date"),
    ("The truce began on 27 Jul 1953.", None, "27 Jul 1953", "1953-07-27", "date"),
    ("Moscow cited Putin's 2007 speech in Munich.", None, "2007", "2007", "date"),
    ("The ministers recalled the 1954 accord on trade.", None, "1954", "1954", "date"),
    ("She spoke at a 2016 Brookings panel on Asia.", None, "2016", "2016", "date"),
    ("Embassies reopened in the spring of 2003.", None, "the spring of 2003", "2003-21", "date"),
    ("Exports fell in the first half of 2019.", None, "the first half of 2019", "2019", "date"),
    ("In late 2012 the army moved north.", None, "late 2012", "2012", "date"),
    ("Aid stopped by the end of 2009.", None, "the end of 2009", "2009", "date"),
    # decades and centuries
    ("Trade links were cut in the 1980s.", None, "the 1980s", "198X", "date"),
    ("Relations thawed in the mid-1990s.", None, "the mid-1990s", "199X", "date"),
    ("The port was rebuilt in the early 2000s.", None, "the early 2000s", "200X", "date"),
    ("Tension grew in the late 1950s and early 1960s.", None, "the late 1950s and early 1960s",
     "195X/196X", "range"),
    ("The dynasty fell in the 12th century.", None, "the 12th century", "11XX", "date"),
    ("By the 4th century A.D., the kingdom ruled the coast.", None, "the 4th century A.D.", "03XX", "date"),
    ("The twenty-first century brought new rivals.", None, "The twenty-first century", "20XX", "date"),
    # ranges
    ("The emperor reigned from 1868 to 1912.", None, "from 1868 to 1912", "1868/1912", "range"),
    ("Exports doubled between 2001 and 2011.", None, "between 2001 and 2011", "2001/2011", "range"),
    ("The Gulf War (1990-91) reshaped the region.", None, "1990-91", "1990/1991", "range"),
    ("The Goryeo state (935-1392) traded with Song China.", None, "935-1392", "0935/1392", "range"),
    ("He ran the ministry from 1993 until 1998.", None, "from 1993 until 1998", "1993/1998", "range"),
    # open intervals
    ("Since 2014, Moscow has backed the rebels.", None, "Since 2014", "2014/..", "range"),
    ("The fund has operated starting in May 2017.", None, "starting in May 2017", "2017-05/..", "range"),
    ("Shipments were frozen beginning in late 2015.", None, "beginning in late 2015", "2015/..", "range"),
    ("The ban stayed in force through 2012.", None, "through 2012", "../2012", "range"),
    ("Aid flowed freely until 2005.", None, "until 2005", "../2005", "range"),
    ("The policy held until the 1970s.", None, "until the 1970s", "../197X", "range"),
    ("Envoys met twice prior to 2018.", None, "prior to 2018", "../2017", "range"),
    ("Imports stayed below pre-2008 levels.", None, "pre-2008", "../2007", "range"),
    ("Staff had to leave by June 2013.", None, "by June 2013", "../2013-06", "range"),
    ("It was the first visit by a Chinese leader since 1999.", None, "1999", "1999", "date"),
    # relative to narrative time
    ("In 2013 the ship sank. The same year, sanctions were imposed.", None, "The same year", "2013", "date"),
    ("In 2008 Seoul protested a missile test earlier that year.", None, "earlier that year", "2008", "date"),
    ("In 2004 the army withdrew. The following year, talks resumed.", None, "The following year", "2005",
     "date"),
    ("In 2004 the army withdrew. Two years later, talks collapsed.", None, "Two years later", "2006", "date"),
    ("In 2004 the army withdrew, having mobilised the previous year.", None, "the previous year", "2003",
     "date"),
    ("In May 2011 Tokyo protested a test conducted a month earlier.", None, "a month earlier", "2011-04",
     "date"),
    ("Fighting resumed in early 1971. Violence peaked that July.", None, "that July", "1971-07", "date"),
    ("In June 2000 the leaders met. That summer, trade rose.", None, "That summer", "2000-22", "date"),
    ("Kabul fell in August 2021. Since then, aid has dried up.", None, "Since then", "2021-08/..", "range"),
    ("The treaty lapsed in 2019. Since that time, no talks have been held.", None, "Since that time",
     "2019/..", "range"),
    # relative to the document date
    ("Today, aid agencies warn of famine.", "2023-06-10", "Today", "2023", "date"),
    ("The alliance currently counts 32 members.", "2024-04-01", "currently", "2024", "date"),
    ("Last year the border reopened.", "2024-04-01", "Last year", "2023", "date"),
    ("Five years ago the ports were closed.", "2024-04-01", "Five years ago", "2019", "date"),
    # unresolved and vague
    ("Now there were two rival governments on the island.", "2024-04-01", "Now", None, "vague"),
    ("In recent years, trade has grown.", "2024-04-01", "In recent years", None, "vague"),
    ("Today, aid agencies warn of famine.", None, "Today", None, "vague"),
    # durations
    ("The two sides had not met for years.", None, "years", None, "duration"),
    ("The pact was extended for another twenty years.", None, "another twenty years", None, "duration"),
    ("It took several decades to rebuild the economy.", None, "several decades", None, "duration"),
    ("The blockade lasted 70 days.", None, "70 days", None, "duration"),
    ("Beijing unveiled a five-year plan.", None, "five-year", None, "duration"),
]


@pytest.mark.parametrize("text,date,expression,value,kind", CASES)
def test_expression_value_and_kind(nlp, text, date, expression, value, kind):
    found = _found(nlp, text, date)
    assert expression in found, f"{expression!r} not found in {found}"
    assert found[expression] == (value, kind)


NOT_YEARS = [
    "The Security Council adopted Resolution 1874 after the test.",
    "About 1500 troops and 2,000 advisers crossed the river.",
    "The loan was worth $1200 million to the state.",
    "The pipeline runs 1,200 km from the coast.",
    "Under UNSC Resolution No. 2094, cargo must be inspected.",
    "The army deployed 1800 soldiers along the line.",
]


@pytest.mark.parametrize("text", NOT_YEARS)
def test_numbers_that_are_not_years(nlp, text):
    found = _found(nlp, text)
    assert not any(v and v[0] and v[0][:1].isdigit() for v in found.values()), found


def test_list_of_years_gives_one_timex_each(nlp):
    found = _found(nlp, "Nuclear tests took place in 2006, 2009, 2013, and 2016.")
    assert [v[0] for v in found.values()] == ["2006", "2009", "2013", "2016"]


def test_anchor_records_how_a_value_was_resolved(nlp):
    timexes, _ = _timexes(nlp, "In 2010 the ship sank. Later that year talks failed. Today ties are cold.",
                          "2024-01-15")
    anchors = {t.text: t.anchor for t in timexes}
    assert anchors == {"2010": None, "Later that year": "narrative", "Today": "document"}


def test_dateline_is_a_timex_and_gives_the_document_date(nlp):
    timexes, timeline = _timexes(nlp, "March 3, 2022:\nToday the border stays shut.")
    assert timexes[0].value == "2022-03-03"
    assert timeline.document_date == "2022-03-03"
    assert timexes[1].value == "2022"


def test_yearless_day_takes_the_title_year(nlp):
    text = "2013-10-31:\nThe Border War of 1962\n\nFighting began.\n\nThe truce came on November 21."
    found = _found(nlp, text)
    assert found["November 21"] == ("1962-11-21", "date")


def test_narrative_time_stops_at_a_paragraph_break(nlp):
    _, timeline = _timexes(nlp, "In 2015 the zone opened.\nBeijing sent aid to the city.")
    assert timeline.narrative_at(10) == "2015"
    assert timeline.narrative_at(30) is None


# --------------------------------------------------------------------------- date_for

def _clause(doc, text: str, start_word: str, trigger_word: str):
    start = doc.text.index(start_word)
    sent = next(s for s in doc.sents if s.start_char <= start < s.end_char)
    trigger = next(t for t in sent if t.text == trigger_word)
    return start, sent.end_char, trigger


DATE_FOR = [
    # (text, document date, clause starts at, trigger, expected date)
    ("In 2017, China denounced the missile test.", None, "In 2017", "denounced", "2017"),
    ("In 2021, the two states renewed the 1961 treaty.", None, "In 2021", "renewed", "2021"),
    ("The two states later renewed their 1961 treaty.", None, "The two states", "renewed", "1961"),
    ("In 2015 the zone opened. Beijing sent food to the city.", None, "Beijing", "sent", "2015"),
    ("In 2015 the zone opened. Beijing has backed the plan.", None, "Beijing", "backed", None),
    ("In 2015 the zone opened. Beijing provides aid to the city.", None, "Beijing", "provides", None),
    ("In 2015 the zone opened.\nBeijing sent food to the city.", None, "Beijing", "sent", None),
    ("In 2015 the zone opened. Today, Beijing provides aid.", "2024-03-26", "Beijing", "provides", "2024"),
    ("In March 2018 the leaders met, and later in 2019 they met again.", None, "they", "met", "2019"),
    # a date inside a relative clause dates that clause, not the trigger above it
    ("In 1971 the president eased the curbs that dated from the early 1950s.", None, "the president",
     "eased", "1971"),
    # a gerund after a preposition takes the tense of the verb it hangs on (here: past narrative)
    ("In 1969 the talks resumed. Washington signaled goodwill by easing trade curbs.", None,
     "Washington", "easing", "1969"),
    # a dated period noun after "during" sets the narrative time like a bare date would
    ("In 2020 the report appeared. During the 1991 Gulf War, Cairo sent troops. Its army fought well.",
     None, "Its army", "fought", "1991"),
]


@pytest.mark.parametrize("text,date,start_word,trigger_word,expected", DATE_FOR)
def test_date_for_clause(nlp, text, date, start_word, trigger_word, expected):
    text = text.replace("\\n", "\n")
    document = Document(id="t", text=text, date=date)
    doc = nlp(text)
    _, timeline = extract_timexes(Context(document=document, doc=doc))
    start, end, trigger = _clause(doc, text, start_word, trigger_word)
    assert timeline.date_for(start, end, trigger) == expected


def test_date_for_without_trigger_uses_narrative(nlp):
    text = "In 2012 the talks failed. The envoys went home."
    document = Document(id="t", text=text)
    _, timeline = extract_timexes(Context(document=document, doc=nlp(text)))
    start = text.index("The envoys")
    assert timeline.date_for(start, len(text)) == "2012"
    assert [t.value for t in timeline.timexes_in(0, start)] == ["2012"]


# --------------------------------------------------------------------------- lexicon

def test_lexicon_validates_and_knows_the_calendar():
    lex = load_lexicon()
    assert lex.months["sept"] == 9 and lex.seasons["autumn"] == 23
    assert {"same_year", "since_narrative", "document_now"} <= set(lex.relative)


def test_lexicon_rejects_unknown_meanings():
    data = load_lexicon().model_dump()
    data["relative"]["fortnight_later"] = ["a fortnight later"]
    with pytest.raises(ValueError):
        TimeLexicon.model_validate(data)


def test_patterns_do_not_depend_on_the_hash_seed():
    """Worker processes get their own hash seed; -j 2 must find what -j 1 finds."""
    probe = ("from diplograph.extract import timex as T; p = T.Patterns(T.load_lexicon()); "
             "print(sorted((k, v.pattern) for k, v in vars(p).items() if hasattr(v, 'pattern')))")
    outputs = {subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout
               for seed in (0, 1, 2, 3)}
    assert len(outputs) == 1


def test_candidates_work_without_a_parse():
    values = [c.value for c in find_candidates("Troops left in 1953 after the 1950-53 war.")]
    assert values == ["1953", "1950/1953"]


# --------------------------------------------------------------------------- shared evaluation

EVAL_DOCS = ["seed", "dev/rapprochement_china_1972_ooh", "dev/india_pakistan_war_1965_ooh",
             "dev/north_korea_factbook_background_economy"]


@pytest.mark.parametrize("name", EVAL_DOCS)
def test_timex_f1_on_shared_documents(nlp, shared_dir, tmp_path, name):
    from diplograph.read.dateline import make_document

    text_path = shared_dir / "eval" / f"{name}.txt"
    text = text_path.read_text(encoding="utf-8")
    document = make_document(text, doc_id=Path(name).name)
    timexes, _ = extract_timexes(Context(document=document, doc=nlp(text)))
    out = tmp_path / "records.jsonl"
    out.write_text("\n".join(json.dumps(r) for r in Extraction(document=document, timexes=timexes).records()))
    result = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"),
                             str(shared_dir / "eval" / f"{name}.gold.json"), str(text_path), str(out),
                             "--min", "timex_f1=0.85"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
