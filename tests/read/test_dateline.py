"""Datelines at the top of a text, metadata dates, and which date a document gets."""
from __future__ import annotations

import pytest

from diplograph.read.dateline import find_dateline, make_document, normalise_date


@pytest.mark.parametrize("text, date, prose", [
    ("March 26, 2024:\nBeijing and Seoul held talks.", "2024-03-26", "Beijing"),
    ("2013-10-31:\nThe border war of 1962", "2013-10-31", "The border"),
    ("Monday, 04 September 2017\n\nPyongyang tested a device.", "2017-09-04", "Pyongyang"),
    ("WASHINGTON, May 3, 2021 -- The State Department said", "2021-05-03", "The State"),
    ("3 May 2021 - Talks resumed in Geneva.", "2021-05-03", "Talks"),
    ("SEOUL (Reuters), Sept. 4, 2017 \u2014 North Korea's test", "2017-09-04", "North"),
    ("\ufeffJune 25, 1950:\nTroops crossed the parallel.", "1950-06-25", "Troops"),
    ("\n\n  Updated: 12 Jan 2020\nThe summit ended.", "2020-01-12", "The summit"),
    ("Thursday, October 1st, 2009:\nCelebrations in Beijing", "2009-10-01", "Celebrations"),
    ("november 9, 1989:\nThe wall opened.", "1989-11-09", "The wall"),
])
def test_dateline_found_and_body_starts_after_it(text, date, prose):
    dateline = find_dateline(text)
    assert dateline is not None
    assert dateline.date == date
    assert text[dateline.body_start:].startswith(prose)


@pytest.mark.parametrize("text", [
    "1950-53 was a war that never formally ended.",
    "May 3, 2021, the ministers met in Hanoi.",
    "March 26, 2024 marked the anniversary of the treaty.",
    "2021-05-03 - 2021-06-01 saw three rounds of talks.",
    "February 30, 2021:\nNo such day.",
    "Today, March 3, 2021 - the talks resumed.",
    "In 2021, the two countries signed a treaty.",
    "The treaty was signed on March 26, 2024:\nlater it lapsed.",
    "Relations with Seoul\n\nMarch 26, 2024:\nA dateline below a heading is not at the top.",
    "",
])
def test_dateline_absent_where_the_date_is_prose(text):
    assert find_dateline(text) is None


@pytest.mark.parametrize("value, edtf", [
    ("2021-05-03T09:00:00Z", "2021-05-03"),
    ("2019-07-20", "2019-07-20"),
    ("2021-05", "2021-05"),
    ("1998", "1998"),
    ("May 3, 2021", "2021-05-03"),
    ("3 May 2021", "2021-05-03"),
    ("2021-13-01", None),
    ("yesterday", None),
    ("20210503", None),
    ("", None),
    (None, None),
    (20210503, None),
])
def test_normalise_date_keeps_only_calendar_dates(value, edtf):
    assert normalise_date(value) == edtf


@pytest.mark.parametrize("text, given, meta, expected_date, expected_source", [
    ("March 26, 2024:\nText.", "2023", "2019-07-20", "2023", "cli"),
    ("March 26, 2024:\nText.", None, "2019-07-20", "2024-03-26", "dateline"),
    ("Text without a dateline.", None, "2019-07-20", "2019-07-20", "corpus"),
    ("Text without a dateline.", None, None, None, None),
])
def test_make_document_date_precedence(text, given, meta, expected_date, expected_source):
    document = make_document(text, "doc", date=given, meta_date=meta,
                             meta_date_source="corpus" if meta else None)
    assert (document.date, document.date_source) == (expected_date, expected_source)
    assert document.text == text


def test_make_document_marks_prose_after_dateline_even_when_date_is_given():
    text = "2013-10-31:\nThe 1965 war"
    document = make_document(text, "doc", date="1965")
    assert document.date == "1965"
    assert text[document.body_start:] == "The 1965 war"


def test_make_document_keeps_the_old_signature():
    document = make_document("Talks resumed.", "doc-1", None, "doc-1.txt", "Talks")
    assert (document.id, document.source, document.title, document.body_start) == (
        "doc-1", "doc-1.txt", "Talks", 0)
