"""Question answering on a knowledge base of reports written for these tests.

Each answer must come with a citation whose sentence holds it; questions the reports
cannot answer (another year, another planet) must say so instead of guessing.
"""
from __future__ import annotations

import pytest

from diplograph.qa import NOT_FOUND, ask
from qa_reports import REPORTS

pytestmark = pytest.mark.slow

# (question, words the answer must contain, value it must carry or None, a word of the cited sentence)
ANSWERED = [
    ("When did Japan and Vietnam sign a maritime security agreement?", "2019", "2019", "maritime"),
    ("How much was bilateral trade between Japan and Vietnam in 2018?", "33.4 billion", 33_400_000_000, "customs"),
    ("How much development assistance did Tokyo pledge to Hanoi?", "1.5 billion", 1_500_000_000, "pledged"),
    ("What share of Japan's imports comes from Vietnam?", "4 percent", 4, "accounts"),
    ("Where did the two leaders meet in May 2018?", "Tokyo", None, "coast guard"),
    ("Which resolution imposed new sanctions on Iran?", "Resolution 1929", None, "adopted"),
    ("Which countries voted against the resolution?", "Brazil and Turkey", None, "voted against"),
    ("Who said that sanctions will not stop the programme?", "Iranian spokesman", None, "told reporters"),
    ("When did the Security Council adopt Resolution 1929?", "June 2010", "2010-06", "adopted"),
]


@pytest.mark.parametrize("question,expected,value,cited", ANSWERED)
def test_answer_with_its_sentence(qa_store, question, expected, value, cited):
    answer = ask(question, qa_store)
    assert answer.found, answer.passages
    assert expected.lower() in answer.answer.lower()
    if value is not None:
        assert answer.value == value
    citation = answer.citations[0]
    text = REPORTS[citation.document]
    assert text[citation.start:citation.end] == citation.sentence
    assert cited in citation.sentence
    if citation.answer_start is not None:
        assert citation.start <= citation.answer_start < citation.answer_end <= citation.end


def test_office_holder_from_dated_terms(qa_store):
    """Who led a state in a year: the gazetteer's terms name the person, a stored sentence shows them."""
    answer = ask("Who led Japan in 2016?", qa_store)
    assert answer.method == "office"
    assert "Abe" in answer.answer
    assert "Shinzo Abe" in answer.citations[0].sentence


def test_end_of_a_period_from_its_start_and_length(qa_store):
    answer = ask("Until what year does the strategic partnership run?", qa_store)
    assert answer.value == "2029"  # 2019 + "another ten years"
    assert "ten years" in answer.citations[0].sentence


def test_days_between_two_dates_of_one_sentence(qa_store):
    """Gapping: "India accepted the truce on July 11 and Pakistan on July 12"."""
    answer = ask("How many days after India did Pakistan accept the truce?", qa_store)
    assert answer.method == "arithmetic"
    assert answer.value == 1 and answer.answer == "1 day"
    assert any("July 12" in c.sentence for c in answer.citations)


def test_yes_no_reads_the_negation(qa_store):
    answer = ask("Is Iran a member of the Nuclear Suppliers Group?", qa_store)
    assert answer.answer == "No"
    assert "not a member" in answer.citations[0].sentence


def test_a_misspelt_name_still_finds_the_answer(qa_store):
    answer = ask("When did Japn and Vietnam sign a maritime security agreement?", qa_store)
    assert answer.found and answer.value == "2019"


@pytest.mark.parametrize("question", [
    "What is the population of Mars?",
    "How much was bilateral trade between Japan and Vietnam in 1850?",  # a year the reports never cover
    "Who was the prime minister of Japan in 1850?",
])
def test_unanswerable_questions_say_so(qa_store, question):
    answer = ask(question, qa_store)
    assert not answer.found
    assert answer.answer == NOT_FOUND
    assert answer.citations == []
    assert answer.score_record("q")["answer"] == ""


def test_not_found_shows_the_closest_passages(qa_store):
    answer = ask("How much was bilateral trade between Japan and Vietnam in 1850?", qa_store)
    assert answer.passages and "Bilateral trade" in answer.passages[0].sentence


def test_empty_question_is_not_answered(qa_store):
    assert not ask("   ", qa_store).found


def test_a_sentence_carries_the_one_before_it_in_its_passage(qa_store):
    """"He had already been there": the sentence before says who and where; a blank line
    between two sentences ends a passage, so nothing is carried across it."""
    from sqlalchemy import select

    from diplograph.qa import kb
    from diplograph.store.schema import sentences

    with qa_store.engine.connect() as conn:
        ids = {row.text: row.id for row in conn.execute(select(sentences.c.id, sentences.c.text))}
        there = next(i for t, i in ids.items() if t.startswith("He had already been there"))
        after_break = next(i for t, i in ids.items() if t.startswith("Foreign Minister Taro Kono"))
        within, across = kb.fetch(conn, [there, after_break])
    assert within.context.startswith("Vietnamese President Tran Dai Quang travelled to Pyongyang")
    assert "PRK" in within.context_actors
    assert across.context == "" and across.context_actors == set()


def test_words_the_sentence_leaves_to_the_one_before(qa_store):
    """"He had already been there in 2011": who and where come from the sentence before."""
    answer = ask("When did Tran Dai Quang visit Pyongyang as minister of public security?", qa_store)
    assert answer.found, answer.passages
    assert answer.value == "2011"
    assert "already been there" in answer.citations[0].sentence


def test_a_list_of_examples_ends_before_its_verb(qa_store):
    answer = ask("Which films were smuggled across the border?", qa_store)
    assert answer.found, answer.passages
    assert answer.answer == "Titanic, Casablanca and Notting Hill"


def test_every_document_that_gives_the_answer_is_cited(qa_store):
    """Two reports date the maritime agreement to 2019: the answer cites both, the best first."""
    answer = ask("When did Japan and Vietnam sign a maritime security agreement?", qa_store)
    assert answer.value == "2019"
    cited = [c.document for c in answer.citations]
    assert sorted(cited) == ["border-trade.txt", "hanoi-pact.txt"]
    for c in answer.citations:
        assert "2019" in REPORTS[c.document][c.start:c.end]


def test_the_date_of_a_death_answers_when_someone_died(qa_store):
    """"die" in the question, "death" in the sentence: the date beside "death", not the
    sentence's other date."""
    answer = ask("When did Omar Bongo die?", qa_store)
    assert answer.value == "2009"
    assert "until his death in 2009" in answer.citations[0].sentence
    assert answer.citations[0].sentence.count("2009") == 1
