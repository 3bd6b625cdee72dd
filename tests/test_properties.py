"""Properties of ``diplograph.extract`` on any text: offsets lie in the text, dates are EDTF.

Hypothesis feeds arbitrary Unicode and texts built from the genre's words, numbers,
years, ranges and quotes, where stages are most likely to slip an offset or emit a
malformed date.
"""
from __future__ import annotations

import pytest
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import diplograph

WORDS = ["China", "North Korea", "Seoul", "Pyongyang", "Beijing", "Washington", "the UN", "NATO", "Kim",
         "Xi", "Moon", "the North", "the South", "it", "the two countries", "both sides", "signed", "agreed",
         "sent", "troops", "to", "the", "a", "treaty", "sanctions", "imposed", "on", "accused", "of",
         "visited", "met", "with", "said", "according to", "analysts", "speculated", "if", "will", "not",
         "never", "invoked", "trade", "aid", "worth", "rose", "fell", "by", "percent", "in", "since",
         "earlier that year", "later that year", "the same year", "currently", "today", "prior to",
         "through", "the early", "from", "until", "Resolution", "President", "Minister", "Professor"]
FIGURES = ["$6.86 billion", "28,500", "half a million", "tenfold", "almost eleven million", "US$ 1.2bn",
           "3.5%", "more than 100", "about 40 percent", "1950-53", "1990s", "2010s", "’90s", "1948 to 1994",
           "No. 2", "#1", "-5", "1,000,000,000,000", "0.0001", "½", "٣", "MMXX"]
PUNCTUATION = [".", ",", ";", ":", "\"", "“", "”", "'", "‘", "’", "(", ")", "—", "-", "\n", "\n\n", "  ", "\t"]

genre_text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(FIGURES), st.sampled_from(PUNCTUATION),
              st.integers(min_value=1, max_value=2100).map(str),
              st.dates().map(lambda d: d.strftime("%B %d, %Y")),
              st.dates().map(lambda d: d.isoformat() + ":")),
    max_size=60,
).map(" ".join)
any_text = st.text(max_size=300)


def spans_of(record: dict) -> list[tuple[str, dict]]:
    """Every character range a record carries, named for the failure message."""
    spans = [(key, record[key]) for key in ("evidence", "trigger", "mention", "content", "cue")
             if isinstance(record.get(key), dict)]
    spans += [("mentions", m) for m in record.get("mentions", [])]
    if record["kind"] == "timex":
        spans.append(("timex", record))
    return spans


def dates_of(record: dict) -> list[str]:
    values = [record.get("date")] + ([record.get("value")] if record["kind"] == "timex" else [])
    return [v for v in values if v is not None]


def is_edtf(value: str) -> bool:
    try:
        parse_edtf(value)
    except EDTFParseException:
        return False
    return True


def check_extraction(text: str, date: str | None) -> None:
    records = list(diplograph.extract(text, date=date).records())
    assert records[0]["kind"] == "document"
    for record in records:
        for name, span in spans_of(record):
            assert 0 <= span["start"] <= span["end"] <= len(text), (name, span, record)
            if "text" in span and span is not record:
                assert text[span["start"]:span["end"]] == span["text"], (name, span)
        if record["kind"] == "timex":
            assert text[record["start"]:record["end"]] == record["text"], record
        for value in dates_of(record):
            assert isinstance(value, str) and is_edtf(value), (value, record)


PROPERTY_SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(text=any_text, date=st.sampled_from([None, "2024-03-26", "1950"]))
def test_extract_on_arbitrary_text(nlp, text, date):
    check_extraction(text, date)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(text=genre_text, date=st.sampled_from([None, "2024-03-26", "2017"]))
def test_extract_on_genre_text(nlp, text, date):
    check_extraction(text, date)
