"""The statements stage on sentences written for these tests: who claimed what, when, in which role.

The actor index and the timeline are small fakes with the documented interface
(``ids_in``/``ids_at``/``mentions`` and ``date_for``), so these cases test the
statement rules alone; the real stages are exercised by the seed check at the end.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Optional

import pytest

from diplograph.data.speech import SpeechLexicon, load_speech_lexicon
from diplograph.extract.context import Context
from diplograph.extract.statements import extract_statements
from diplograph.model import Document, Mention, Timex

# surface form -> actor id, as the real linker would give them (pronouns resolved in focus)
ACTORS = {
    "Jennifer Lind": "LIND", "Bonnie Glaser": "GLASER", "Ahmed Khan": "KHAN", "Lee Min-ho": "LEE",
    "Maria Ortiz": "ORTIZ", "Sergei Volkov": "VOLKOV", "Kim": "KJU", "Modi": "MODI", "Erdogan": "ERDOGAN",
    "China": "CHN", "Beijing": "CHN", "Chinese": "CHN", "Japan": "JPN", "Tokyo": "JPN", "India": "IND",
    "Pakistan": "PAK", "Islamabad": "PAK", "Seoul": "KOR", "South Korea": "KOR", "North Korea": "PRK",
    "Pyongyang": "PRK", "Moscow": "RUS", "Russia": "RUS", "Washington": "USA", "the United States": "USA",
    "The United States": "USA", "Iran": "IRN", "Turkey": "TUR", "NATO": "NATO",
    "the International Atomic Energy Agency": "IAEA", "the World Bank": "WB", "the UN": "UN",
    "UN agencies": "UN", "analysts": "ANALYSTS", "Analysts": "ANALYSTS", "Experts": "ANALYSTS",
    "experts": "ANALYSTS", "Western officials": "WEST", "the foreign ministry": "MFA",
    "The foreign ministry": "MFA", "the Brookings Institution": "BROOKINGS", "Foreign Affairs": "FA",
    "Carnegie Endowment": "CARNEGIE",
}
PRONOUNS = {"It": "PAK", "it": "PAK", "He": "KJU", "They": "ANALYSTS"}
DOC_DATE = "2023-06-15"


class FakeActorIndex:
    """The ActorIndex interface over a fixed name list; pronouns resolve to one actor each."""

    def __init__(self, text: str):
        self.mentions: list[tuple[Mention, str]] = []
        names = {**ACTORS, **PRONOUNS}
        taken: list[tuple[int, int]] = []
        for name in sorted(names, key=len, reverse=True):
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                self.mentions.append((Mention(m.start(), m.end(), name), names[name]))
        self.mentions.sort(key=lambda p: p[0].start)

    def ids_in(self, start: int, end: int) -> list[str]:
        return _unique(a for m, a in self.mentions if start <= m.start and m.end <= end)

    def ids_at(self, start: int, end: int) -> list[str]:
        return _unique(a for m, a in self.mentions if m.start < end and start < m.end)


class FakeTimeline:
    """``date_for``: the first year (or "today" -> document date) inside the span, else None."""

    def __init__(self, timexes: list[Timex], document_date: str):
        self.timexes = timexes
        self.document_date = document_date

    def date_for(self, start: int, end: int, trigger=None) -> Optional[str]:
        for t in self.timexes:
            if start <= t.start and t.end <= end:
                return t.value
        return None


def _unique(ids) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i not in out:
            out.append(i)
    return out


def _timexes(text: str) -> list[Timex]:
    found = [Timex(m.group(), m.start(), m.end(), m.group()) for m in re.finditer(r"\b(?:19|20)\d\d\b", text)]
    found += [Timex(m.group(), m.start(), m.end(), DOC_DATE[:4]) for m in re.finditer(r"\b[Tt]oday\b", text)]
    return sorted(found, key=lambda t: t.start)


def statements(nlp, text: str):
    timexes = _timexes(text)
    ctx = Context(document=Document("t", text, DOC_DATE), doc=nlp(text), timexes=timexes,
                  timeline=FakeTimeline(timexes, DOC_DATE), actors=FakeActorIndex(text))
    return extract_statements(ctx)


def _piece(text: str, span) -> str:
    return text[span.start:span.end]


# --------------------------------------------------------------------------- the lexicon

def test_speech_lexicon_loads_and_is_consistent():
    lexicon = load_speech_lexicon()
    assert isinstance(lexicon, SpeechLexicon)
    assert len(lexicon.verbs) >= 50
    for key, cue in lexicon.verbs.items():
        if "object" not in cue.takes:
            assert cue.objects is None and not cue.not_objects, f"{key}: object lists without `object`"
    assert lexicon.is_hedged("speculate") and lexicon.is_hedged("estimate")
    assert not lexicon.is_hedged("say") and not lexicon.is_hedged("declare")


def test_speech_lexicon_leaves_event_verbs_to_the_events_stage():
    lexicon = load_speech_lexicon()
    for verb in ("accuse", "condemn", "denounce", "threaten", "urge", "demand", "ask", "agree"):
        assert not lexicon.cues_for(verb), f"{verb} is a PLOVER event, not a statement cue"


def test_speech_lexicon_rejects_unknown_complement():
    with pytest.raises(ValueError):
        SpeechLexicon.model_validate({
            "verbs": {"say": {"kind": "say", "takes": ["paragraph"]}}, "report_nouns": [], "support_verbs": [],
            "hedged_nouns": [], "according_to": [], "view_nouns": [], "source_preps": []})


# --------------------------------------------------------------------------- statements found

CASES = [
    # (sentence, speaker, date, direct, cue, piece of the content)
    # direct speech, the speaker after the quotation
    ("\u201cThe sanctions have clearly failed to change Pyongyang\u2019s behaviour,\u201d Jennifer Lind "
     "wrote in 2019.", ["LIND"], "2019", True, "wrote", "sanctions have clearly failed"),
    ("\u201cWe will not accept any interference in our internal affairs,\u201d Erdogan said in 2016.",
     ["ERDOGAN"], "2016", True, "said", "any interference"),
    # a quotation of two sentences is one statement
    ("\u201cThe talks have stalled. Neither side trusts the other,\u201d said Ahmed Khan, a retired "
     "Pakistani diplomat.", ["KHAN"], None, True, "said", "The talks have stalled"),
    # a quotation interrupted by its speaker
    ("\u201cThere is no military solution,\u201d Kim said, \u201conly a diplomatic one.\u201d", ["KJU"], None,
     True, "said", "only a diplomatic one"),
    # a quotation after the verb
    ("Kim told the party congress in 2021: \u201cWe will strengthen our nuclear deterrent.\u201d",
     ["KJU"], "2021", True, "told", "strengthen our nuclear deterrent"),
    # reported speech
    ("Moscow said in 2014 that the referendum in Crimea had been legal.", ["RUS"], "2014", False, "said",
     "the referendum in Crimea"),
    ("Tokyo stated that it would not join the new trade bloc.", ["JPN"], None, False, "stated",
     "would not join"),
    ("In 2015, Beijing warned that any deployment of the missile shield would harm regional stability.",
     ["CHN"], "2015", False, "warned", "deployment of the missile shield"),
    ("Modi told reporters in 2019 that India would respond firmly to any cross-border attack.", ["MODI"],
     "2019", False, "told", "India would respond"),
    # inverted speech: the clause first, the speaker and her role after it, the date at the end
    ("Washington quietly encouraged the talks, said Maria Ortiz, a senior fellow at the Brookings "
     "Institution, at a 2018 conference.", ["ORTIZ"], "2018", False, "said", "quietly encouraged"),
    # present tense: the act is now, no date unless the clause has its own
    ("The border dispute is unlikely to be settled soon, writes Sergei Volkov, former director of the "
     "Carnegie Endowment, in Foreign Affairs.", ["VOLKOV"], None, False, "writes", "border dispute"),
    ("Experts say Iran has enriched uranium well beyond civilian needs.", ["ANALYSTS"], None, False, "say",
     "enriched uranium"),
    ("Today, UN agencies estimate that two million people lack clean water.", ["UN"], "2023", False,
     "estimate", "two million people"),
    # a date in the content is not the date of the act
    ("Seoul said that the test had taken place in 2017.", ["KOR"], None, False, "said", "in 2017"),
    # hedged cues
    ("In 2020, analysts speculated that Moscow was supplying the drones.", ["ANALYSTS"], "2020", False,
     "speculated", "supplying the drones"),
    ("Western officials have doubted Beijing\u2019s willingness to enforce the embargo.", ["WEST"], None, False,
     "doubted", "willingness to enforce"),
    # according to
    ("According to the International Atomic Energy Agency, Iran has expanded its stockpile.", ["IAEA"],
     None, False, "According to", "Iran has expanded"),
    ("Exports fell by a third in 2020, according to figures from the World Bank.", ["WB"], None, False,
     "according to", "Exports fell"),
    ("In Moscow\u2019s view, the enlargement of NATO threatens its security.", ["RUS"], None, False, "In",
     "enlargement of NATO"),
    # a parenthetical cue
    ("The sanctions, Ahmed Khan said, have largely failed.", ["KHAN"], None, False, "said", "largely failed"),
    # the speaker behind a spokesman, a position affirmed in a joint text
    ("A spokesman for the foreign ministry said the talks had been productive.", ["MFA"], None, False, "said",
     "talks had been productive"),
    ("In 1992, Seoul affirmed that it recognized only one China.", ["KOR"], "1992", False, "affirmed",
     "recognized only one China"),
    # a pronoun speaker, resolved by the actor index
    ("It has long argued that the whole of Kashmir should belong to Pakistan.", ["PAK"], None, False,
     "argued", "whole of Kashmir"),
    # shared subjects: a control verb, a relative clause
    ("Tokyo continued to insist that the islands were Japanese territory.", ["JPN"], None, False, "insist",
     "islands were Japanese"),
    ("The report quotes Lee Min-ho, who argued in 2016 that the sanctions had failed.", ["LEE"], "2016",
     False, "argued", "sanctions had failed"),
    # declaring and announcing with a noun object; a phrase cue
    ("In 2013, Pyongyang declared a policy of parallel nuclear and economic development.", ["PRK"], "2013",
     False, "declared", "a policy of parallel"),
    ("In 2018, Kim announced a moratorium on long-range missile tests.", ["KJU"], "2018", False, "announced",
     "a moratorium"),
    ("In 1998, India and Pakistan made clear that they would not sign the treaty.", ["IND", "PAK"], "1998",
     False, "made", "would not sign"),
    ("Beijing has expressed concern about the new American tariffs.", ["CHN"], None, False, "expressed",
     "concern about"),
    # a report noun
    ("In 2022, the foreign ministry issued a statement condemning the sanctions.", ["MFA"], "2022", False,
     "issued a statement", "condemning the sanctions"),
    ("Islamabad\u2019s claim that the militants came from abroad was rejected.", ["PAK"], None, False, "claim",
     "militants came from abroad"),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,speaker,date,direct,cue,content", CASES, ids=[c[4] + "-" + c[0][:30] for c in CASES])
def test_statements_found(nlp, text, speaker, date, direct, cue, content):
    found = statements(nlp, text)
    assert len(found) == 1, [(_piece(text, s.cue), s.speaker) for s in found]
    s = found[0]
    assert s.speaker == speaker
    assert s.date == date
    assert s.direct is direct
    assert _piece(text, s.cue).startswith(cue)
    assert content in _piece(text, s.content)
    assert s.evidence.start <= s.content.start and s.content.end <= s.evidence.end


# --------------------------------------------------------------------------- roles

ROLE_CASES = [
    ("Washington quietly encouraged the talks, said Maria Ortiz, a senior fellow at the Brookings "
     "Institution, at a 2018 conference.", "a senior fellow at the Brookings Institution"),
    ("\u201cThe sanctions have clearly failed,\u201d Georgetown University Associate Professor Jennifer Lind "
     "wrote in 2019.", "Georgetown University Associate Professor"),
    ("Former Pakistani ambassador Ahmed Khan said that the ceasefire would not hold.",
     "Former Pakistani ambassador"),
    ("Turkey\u2019s foreign minister, Erdogan, said in 2011 that Ankara would not back down.",
     "Turkey\u2019s foreign minister"),
    ("Moscow said in 2014 that the referendum in Crimea had been legal.", None),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,role", ROLE_CASES)
def test_statement_role_of_the_speaker(nlp, text, role):
    found = statements(nlp, text)
    assert len(found) == 1
    assert found[0].role == role


# --------------------------------------------------------------------------- nothing said

NON_STATEMENTS = [
    "India regards Pakistan as its principal security threat.",  # an attitude, no speech act
    "The 1994 framework agreement says the reactors must be dismantled.",  # no actor speaks
    "Officials in the region say the harvest was poor.",  # nobody the index knows
    "If Tokyo says yes, the talks will resume next month.",  # conditional
    "Washington did not say whether it would veto the resolution.",  # negated
    "It was announced in Geneva that the talks would resume.",  # passive, no speaker
    "In 1914, Russia declared war on the Ottoman Empire.",  # a performative act, an event
    "China could argue that the shipments were humanitarian.",  # hypothetical
    "Kim denounced the joint military exercises as a rehearsal for invasion.",  # an event (ACCUSE)
    "The United States hoped to maintain a balance of power in the region.",  # a wish, no claim
    "Beijing signaled a shift in tone after the nuclear test.",  # signal without a claim
    "In 1975, Japan and China gave up their claims to the disputed islets.",  # a particle verb, no report
    "Germany admitted a million refugees in 2015.",  # admit in its other sense
]


@pytest.mark.slow
@pytest.mark.parametrize("text", NON_STATEMENTS)
def test_no_statement(nlp, text):
    assert statements(nlp, text) == []


# --------------------------------------------------------------------------- one act, one statement

ONE_ACT_CASES = [
    ("The foreign ministry said in a statement that the drills were a provocation.", ["MFA"]),
    ("Pakistan said that India had warned that it would retaliate.", ["PAK"]),
    ("\u201cWe want peace,\u201d Modi said, adding that India would not negotiate under threat.", ["MODI"]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,speaker", ONE_ACT_CASES)
def test_one_statement_per_speech_act(nlp, text, speaker):
    found = statements(nlp, text)
    assert len(found) == 1, [(_piece(text, s.cue), s.speaker) for s in found]
    assert found[0].speaker == speaker


@pytest.mark.slow
def test_two_acts_joined_in_one_sentence(nlp):
    text = "In 2021, Kim admitted the economic failures but vowed to continue the five-year plan."
    found = statements(nlp, text)
    assert [(_piece(text, s.cue), s.speaker, s.date) for s in found] == [
        ("admitted", ["KJU"], "2021"), ("vowed", ["KJU"], "2021")]
    assert "vowed" not in _piece(text, found[0].evidence)


@pytest.mark.slow
def test_statements_in_text_order_with_records(nlp):
    text = ("Seoul said the drills were defensive. \u201cThey are a rehearsal for war,\u201d Kim said. "
            "According to the UN, food shortages worsened in 2022.")
    found = statements(nlp, text)
    assert [s.speaker for s in found] == [["KOR"], ["KJU"], ["UN"]]
    record = found[1].record(text)
    assert record["kind"] == "statement" and record["direct"] is True
    assert "rehearsal for war" in record["text"]


# --------------------------------------------------------------------------- the seed, end to end

@pytest.mark.slow
def test_seed_statements_score(shared_dir, tmp_path):
    """The full pipeline on the seed; the scorer's statements F1 is reported, with a floor."""
    out = tmp_path / "seed.jsonl"
    eval_dir = shared_dir / "eval"
    from diplograph.pipeline import extract

    text = (eval_dir / "seed.txt").read_text(encoding="utf-8")
    try:
        result = extract(text, doc_id="seed")
    except Exception as err:  # another stage still in progress must not hide this one's tests
        pytest.skip(f"the pipeline does not run yet: {err!r}")
    out.write_text("".join(json.dumps(r) + "\n" for r in result.records()), encoding="utf-8")
    run = subprocess.run([sys.executable, str(eval_dir / "score.py"), str(eval_dir / "seed.gold.json"),
                          str(eval_dir / "seed.txt"), str(out)], capture_output=True, text=True, check=False)
    scores = dict(re.findall(r"^(\w+)\s+([\d.]+)$", run.stdout, flags=re.M))
    assert float(scores["statements_f1"]) >= 0.5, run.stdout
