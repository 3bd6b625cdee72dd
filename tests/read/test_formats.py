"""Readers: every input format, and every way an input can be unreadable."""
from __future__ import annotations

import gzip
import io
import itertools
import json
import random
import sys
from pathlib import Path

import pytest

from diplograph.read.formats import Item, decode_text, input_format, read_inputs
from pdf_bytes import text_pdf

ARTICLE = ("Seoul and Tokyo agreed on Tuesday to restore a military intelligence pact, "
           "the foreign ministry said.\n\nWashington welcomed the decision.\n")


def read_all(*paths: Path | str, date: str | None = None) -> tuple[list[Item], list[tuple[str, str]]]:
    warnings: list[tuple[str, str]] = []
    items = list(read_inputs([str(p) for p in paths], date=date,
                             warn=lambda label, message: warnings.append((label, message))))
    return items, warnings


def only_document(path: Path | str, date: str | None = None):
    items, _ = read_all(path, date=date)
    assert len(items) == 1 and items[0].error is None, items
    return items[0].document


def only_error(path: Path | str) -> str:
    items, _ = read_all(path)
    assert len(items) == 1 and items[0].document is None, items
    return items[0].error


# --- plain text ---------------------------------------------------------------------------------

def test_text_file_is_kept_exactly_as_written(tmp_path):
    path = tmp_path / "talks-2019.txt"
    raw = "\ufeffMarch 26, 2024:\r\nBeijing hosted the envoy.\r\n\r\nIt was  his third visit.\n"
    path.write_bytes(raw.encode("utf-8"))
    document = only_document(path)
    assert document.text == raw  # no newline translation, no stripping, BOM kept
    assert (document.id, document.source) == ("talks-2019", "talks-2019.txt")
    assert (document.date, document.date_source) == ("2024-03-26", "dateline")
    assert document.text[document.body_start:].startswith("Beijing")


def test_text_without_dateline_has_no_date(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    document = only_document(path)
    assert (document.date, document.date_source, document.body_start) == (None, None, 0)


def test_date_option_wins_over_dateline(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("2013-10-31:\n" + ARTICLE, encoding="utf-8")
    document = only_document(path, date="2019-11-22")
    assert (document.date, document.date_source) == ("2019-11-22", "cli")


def test_invalid_utf8_is_replaced_with_one_warning(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Talks in Bogot\u00e1 resumed in 2016.".encode("latin-1"))
    items, warnings = read_all(path)
    assert items[0].document.text == "Talks in Bogot\ufffd resumed in 2016."
    assert len(warnings) == 1 and warnings[0][0] == str(path)
    assert "invalid UTF-8" in warnings[0][1]


def test_utf16_with_byte_order_mark_is_text(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    assert only_document(path).text == ARTICLE


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n\n", "whitespace only"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    ("noise.txt", bytes(random.Random(7).randrange(256) for _ in range(4000)), "binary"),
    ("controls.txt", b"\x01\x02\x03\x04\x05\x06 abc" * 50, "binary"),
    ("archive.docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(300), "binary"),
])
def test_unreadable_text_gives_one_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    assert reason in only_error(path)


def test_missing_file_and_directory(tmp_path):
    items, _ = read_all(tmp_path / "absent.txt", tmp_path)
    assert [(i.label, i.error) for i in items] == [
        (str(tmp_path / "absent.txt"), "no such file"),
        (str(tmp_path), "is a directory; give the files in it (e.g. DIR/*.txt)"),
    ]


def test_stdin_is_read_as_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(("3 May 2021 - " + ARTICLE).encode())))
    items, _ = read_all("-")
    assert items[0].label == "<stdin>"
    assert (items[0].document.id, items[0].document.date) == ("stdin", "2021-05-03")


@pytest.mark.parametrize("name, expected", [
    ("a.txt", "text"), ("a.HTML", "html"), ("a.htm", "html"), ("a.pdf", "pdf"), ("a.jsonl", "jsonl"),
    ("a.jsonl.gz", "jsonl"), ("a.md", "text"), ("README", "sniff"), ("a.v2.txt", "text"),
])
def test_input_format_by_name(name, expected):
    assert input_format(Path(name)) == expected


def test_unknown_name_is_sniffed(tmp_path):
    page = tmp_path / "saved_page"
    page.write_text(f"<!DOCTYPE html><html><body><p>{ARTICLE}</p></body></html>", encoding="utf-8")
    assert only_document(page).text.startswith("Seoul and Tokyo")


# --- HTML ---------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Pact restored | World desk</title>
<meta property="article:published_time" content="2019-11-22T08:30:00+09:00">
<script>var headline = "Missile launched over Japan";</script>
<style>p { color: red }</style></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Pact restored</h1>
<p>Seoul and Tokyo agreed on Tuesday to restore a military intelligence pact, the foreign ministry said.</p>
<script>trackView("Kim Jong Un");</script>
<p>Washington welcomed the decision, which came hours before the accord was due to lapse.</p>
<p>The two governments have quarrelled over wartime labour since a court ruling in 2018.</p>
</article><footer>All rights reserved.</footer></body></html>"""


def test_html_main_text_without_scripts_with_metadata_date(tmp_path):
    path = tmp_path / "pact.html"
    path.write_text(PAGE, encoding="utf-8")
    document = only_document(path)
    assert "agreed on Tuesday" in document.text and "Washington welcomed" in document.text
    for hidden in ("Missile launched", "trackView", "Kim Jong Un", "color: red"):
        assert hidden not in document.text
    assert (document.date, document.date_source) == ("2019-11-22", "html")
    assert document.title == "Pact restored"
    assert "\n\n" in document.text  # paragraphs stay paragraphs


def test_html_time_element_dates_a_short_page(tmp_path):
    path = tmp_path / "brief.htm"
    path.write_text("<html><body><p>Hanoi and Manila signed a coastguard accord.</p>"
                    "<time datetime='2023-12-20'>20 Dec</time></body></html>", encoding="utf-8")
    document = only_document(path)
    assert "Hanoi and Manila" in document.text
    assert (document.date, document.date_source) == ("2023-12-20", "html")


def test_html_dateline_in_text_wins_over_metadata(tmp_path):
    path = tmp_path / "wire.html"
    path.write_text(PAGE.replace("<h1>Pact restored</h1>", "<p>TOKYO, Nov. 23, 2019 -- Reaction was mixed.</p>"),
                    encoding="utf-8")
    document = only_document(path)
    assert (document.date, document.date_source) == ("2019-11-23", "dateline")


def test_html_with_nothing_to_read(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body></body></html>", encoding="utf-8")
    assert "no text" in only_error(path)


# --- PDF ----------------------------------------------------------------------------------------

def test_pdf_text_layer_and_title(tmp_path):
    path = tmp_path / "cable.pdf"
    path.write_bytes(text_pdf(["12 June 2018 - Singapore", "The two leaders signed a joint statement (four points)."],
                              title="Summit cable"))
    document = only_document(path)
    assert "signed a joint statement (four points)." in document.text
    assert (document.date, document.date_source, document.title) == ("2018-06-12", "dateline", "Summit cable")


def test_pdf_without_text_layer(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert "no text layer" in only_error(path)


def test_pdf_that_is_not_a_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a PDF at all\n")
    assert "not a readable PDF" in only_error(path)


# --- JSON Lines corpora ------------------------------------------------------------------------

CORPUS_LINES = [
    json.dumps({"id": "kr-01", "title": "Pact", "date": "2019-11-22", "text": ARTICLE}),
    '{"id": "kr-02", "text": "Truncated',
    json.dumps(["not", "an", "object"]),
    "",
    json.dumps({"id": "kr-05", "text": "   "}),
    json.dumps({"id": "kr-06", "date": "2019-13-45", "text": "Hanoi hosted the summit."}),
    json.dumps({"text": "Manila protested to Beijing.", "source": "https://example.org/a"}),
    json.dumps({"id": "kr-08"}),
]


@pytest.mark.parametrize("name, opener", [("news.jsonl", open), ("news.jsonl.gz", gzip.open)])
def test_corpus_reports_broken_lines_and_goes_on(tmp_path, name, opener):
    path = tmp_path / name
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(CORPUS_LINES) + "\n")
    items, warnings = read_all(path)
    got = [(i.label.rsplit(":", 1)[1], i.document.id if i.document else i.error) for i in items]
    assert got == [
        ("1", "kr-01"),
        ("2", "broken JSON line: Unterminated string starting at (column 25)"),
        ("3", "line is not a JSON object"),
        ("5", 'empty "text"'),
        ("6", "kr-06"),
        ("7", "news-7"),
        ("8", 'no "text" string on this line'),
    ]
    first = items[0].document
    assert (first.date, first.date_source, first.title, first.text) == ("2019-11-22", "corpus", "Pact", ARTICLE)
    assert items[4].document.date is None and warnings == [(f"{path}:6", "\"date\" '2019-13-45' is not a "
                                                                         "calendar date; ignored")]
    assert items[5].document.source == "https://example.org/a"


def test_truncated_gzip_keeps_lines_before_the_damage(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    lines = [json.dumps({"id": f"d{n}", "text": f"Document {n} on trade talks. " * 40}) for n in range(200)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path.write_bytes(data[: len(data) // 2])
    items, _ = read_all(path, tmp_path / "absent.txt")
    assert items[0].document.id == "d0"
    assert items[-2].label == str(path) and "truncated" in items[-2].error
    assert items[-1].error == "no such file"  # the next input still runs


def test_not_gzip_despite_name(tmp_path):
    path = tmp_path / "plain.jsonl.gz"
    path.write_text(CORPUS_LINES[0] + "\n", encoding="utf-8")
    assert "corrupt or truncated" in only_error(path)


def test_shared_corpus_streams(shared_dir):
    corpus = shared_dir / "corpus" / "wiki-ir-1200.jsonl.gz"
    if not corpus.exists():
        pytest.skip(f"{corpus} is absent")
    items = list(itertools.islice(read_inputs([str(corpus)]), 3))
    assert all(i.document and i.document.text and i.document.date == "2019-07-20" for i in items)
    assert [i.label for i in items] == [f"{corpus}:{n}" for n in (1, 2, 3)]


def test_decode_text_accepts_clean_utf8():
    assert decode_text("Kyiv \u2014 \u201cno\u201d".encode(), "x") == "Kyiv \u2014 \u201cno\u201d"
