"""Highlighting a document: spans per kind, overlaps, sentence wrappers, and escaping of every piece."""
from __future__ import annotations

import re

import pytest

from diplograph.web.highlight import Mark, marks_of, render_html, sentence_blocks, sentence_of, side_list


def _text_of(html: str) -> str:
    """The visible text of rendered HTML without the tags (and their labels)."""
    html = re.sub(r'<span class="tag[^"]*"[^>]*>.*?</span>', "", html)
    return re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"') \
        .replace("&#x27;", "'").replace("&amp;", "&")


def test_highlight_render_keeps_the_text_and_wraps_sentences():
    text = "China met Japan. Trade grew in 2014."
    marks = [Mark("actor", 0, 5, "CHN", "China", "actor-CHN", "state"), Mark("time", 31, 35, "2014", "date", "time-0")]
    blocks = sentence_blocks(text, [(0, 16), (17, 36)])
    html = render_html(text, marks, blocks)
    assert _text_of(html) == text
    assert html.startswith('<span class="sent" id="sent-0" data-start="0" data-end="16">'
                           '<mark class="hl k-actor t-state"')
    assert '<span class="sent" id="sent-17"' in html
    assert '<span class="tag k-time" aria-hidden="true">2014</span>' in html


def test_highlight_overlapping_marks_split_into_segments_narrow_kind_wins():
    text = "He said trade reached $5 billion in 2014 today."
    statement = Mark("statement", 8, 40, "statement", "someone", "statement-0")
    figure = Mark("figure", 22, 32, "trade", "trade 5 billion", "figure-0")
    time = Mark("time", 36, 40, "2014", "date", "time-0")
    html = render_html(text, sorted([statement, figure, time], key=lambda m: m.start), [])
    assert _text_of(html) == text
    assert '<mark class="hl k-figure in-statement"' in html
    assert '<mark class="hl k-time in-statement"' in html
    assert '<mark class="hl k-statement"' in html


@pytest.mark.parametrize("hostile", ["<script>window.__xss=1</script>", '<img src=x onerror="window.__xss=1">',
                                     "\"'><svg onload=alert(1)>", "&lt;already escaped&gt;"])
def test_highlight_escapes_document_text_marks_and_titles(hostile):
    text = f"China said {hostile} today."
    start = text.index(hostile)
    marks = [Mark("actor", 0, 5, hostile, hostile, f"actor-{hostile}", hostile),
             Mark("statement", start, start + len(hostile), hostile, hostile, "statement-0")]
    html = render_html(text, marks, [(0, len(text))])
    assert hostile not in html
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert _text_of(html) == text


def test_highlight_marks_of_records_drops_spans_outside_the_text():
    text = "China and Japan."
    records = {"actors": [{"id": "CHN", "name": "China", "type": "state", "mentions": [
        {"start": 0, "end": 5}, {"start": 10, "end": 99}]}],
        "events": [{"type": "CONSULT", "trigger": None, "source": ["CHN"], "target": ["JPN"]}],
        "timexes": [], "quantities": [], "statements": []}
    marks = marks_of(text, records)
    assert [(m.kind, m.start, m.end) for m in marks] == [("actor", 0, 5)]


def test_highlight_sentence_blocks_fall_back_to_lines_and_skip_overlaps():
    text = "Title\n\nFirst line.\nSecond line."
    assert sentence_blocks(text, []) == [(0, 5), (7, 18), (19, 31)]
    assert sentence_blocks(text, [(0, 10), (5, 12), (12, 31)]) == [(0, 10), (12, 31)]
    blocks = [(0, 5), (7, 18)]
    assert sentence_of(blocks, 8) == 7 and sentence_of(blocks, 6) == 0 and sentence_of([], 3) is None


def test_highlight_side_list_points_each_record_at_its_sentence():
    records = {"actors": [{"id": "CHN", "name": "China", "type": "state", "mentions": [{"start": 20, "end": 25}]}],
               "events": [{"type": "AGREE", "source": ["CHN"], "target": ["PRK"], "date": "2021",
                           "evidence": {"start": 20, "end": 40}}],
               "quantities": [], "statements": [], "timexes": [{"text": "2021", "start": 2, "end": 6,
                                                               "value": "2021", "type": "date"}]}
    groups = {group["kind"]: group["items"] for group in side_list(records, [(0, 10), (20, 40)])}
    assert groups["actor"][0]["sentence"] == 20 and groups["event"][0]["sentence"] == 20
    assert groups["event"][0]["label"] == "AGREE" and groups["event"][0]["detail"] == "CHN → PRK 2021"
    assert groups["time"][0]["sentence"] == 0
