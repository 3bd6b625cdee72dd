"""Reading a question: the answer kind, focus, dates, actors, and time arithmetic."""
from __future__ import annotations

import pytest
import yaml

from diplograph.qa.question import QuestionLexicon, analyse, correct_names, load_lexicon

pytestmark = pytest.mark.slow

# (question, kind, focus or None) -- written for these tests
KINDS = [
    ("When did Egypt and Israel sign the peace treaty?", "date", None),
    ("In which month and year did Iraq invade Kuwait?", "date", None),
    ("Until what year does the base lease run?", "date_end", None),
    ("Who signed the accord for Jordan?", "person", None),
    ("Where did the foreign ministers meet in 2015?", "place", None),
    ("How many troops did France deploy to Mali?", "number", None),
    ("What share of Germany's gas came from Russia?", "number", None),
    ("What was Turkey's trade with Iran in 2012?", "number", "trade"),
    ("How long did the blockade last?", "duration", None),
    ("Is Norway a member of the European Union?", "yesno", None),
    ("Which resolution authorised the use of force?", "entity", "resolution"),
    ("Which countries boycotted the summit?", "entity", "country"),
    ("In which city was the treaty signed?", "place", None),
    ("What did Argentina claim in 1982?", "thing", None),
]


@pytest.mark.parametrize("text,kind,focus", KINDS)
def test_answer_kind_and_focus(text, kind, focus):
    q = analyse(text)
    assert q.kind == kind
    if focus:
        assert q.focus == focus


def test_actors_dates_and_plural_focus():
    q = analyse("Which two countries supplied arms to Egypt in the 1960s?")
    assert q.kind == "entity" and q.focus_kind == "state" and q.plural
    assert "EGY" in q.actors and q.dates == ["196X"]


def test_a_date_that_names_a_thing_does_not_date_the_question():
    q = analyse("Which country mediated after the 1973 war?")
    assert q.dates == ["1973"] and q.clause_dates == []
    q = analyse("Who led Egypt in 1973?")
    assert q.clause_dates == ["1973"] and q.office == "leading"


def test_office_questions_and_when_clauses():
    q = analyse("Who was the prime minister of India when the war broke out?")
    assert q.office == "head_of_government" and q.when_clause == "the war broke out"
    assert analyse("Which president has Putin met twice?").office is None


@pytest.mark.parametrize("text,relation,a,b", [
    ("How many years after the war began did the armistice come?", "after", "the war began",
     "did the armistice come"),
    ("For how many years was Nasser president before the war started?", "before", "the war started",
     "was Nasser president"),
])
def test_time_arithmetic_clauses(text, relation, a, b):
    q = analyse(text)
    assert q.arithmetic == (relation, a, b)


def test_misspelt_names_are_corrected_and_known_words_kept():
    assert correct_names("When did Pakistn join the alliance?")[0] == "When did Pakistan join the alliance?"
    assert correct_names("Where is the Kaesong complex?")[0] == "Where is the Kaesong complex?"
    text, fixed = correct_names("When did Pakistn join?", known=lambda word: True)
    assert text == "When did Pakistn join?" and fixed == {}


def test_lexicon_validates_and_rejects_unknown_kinds():
    lex = load_lexicon()
    assert "when" in lex.openers["date"]
    raw = lex.model_dump()
    raw["openers"]["colour"] = ["what colour"]
    with pytest.raises(ValueError):
        QuestionLexicon.model_validate(raw)
    assert yaml.safe_dump(lex.model_dump())  # plain data, no booleans from YAML's yes/no
    assert all(isinstance(w, str) for w in lex.stop_words)


def test_equivalent_words_are_plain_lower_case_lemmas():
    lex = load_lexicon()
    for word, same in lex.equivalents.items():
        assert word == word.lower() and word.isalpha(), word
        assert same and all(w == w.lower() and w.isalpha() and w != word for w in same), word


def test_a_sentence_that_says_it_in_other_words_covers_the_question():
    """"build" is matched by "constructed", "trade" by "imports and exports", and a
    sentence naming Beijing covers the words of "China"."""
    import importlib

    from diplograph.qa.kb import Sentence

    ask_module = importlib.import_module("diplograph.qa.ask")
    q = analyse("When did China build the border fence?")
    build = next(k for k in q.keywords if k.lemma == "build")
    assert "construct" in build.equivalents
    said = Sentence(id=1, document_id=1, document="d", start=0, end=60,
                    text="In 2006 Beijing constructed a barbed-wire border fence.",
                    mentions=[{"actor": "CHN", "start": 8, "end": 15, "name": "China", "type": "state", "known": True}])
    other = Sentence(id=2, document_id=1, document="d", start=61, end=120,
                     text="In 2009 the province repaired a border road.")
    weights = {k.lemma: 1.0 for k in q.keywords}
    assert ask_module._rough_coverage(q, said, weights) == pytest.approx(1.0)
    assert ask_module._rough_coverage(q, other, weights) < 0.5
