"""The command line, batch runs and output formats.

Bad inputs each give one stderr line naming the input, the batch goes on, the exit
status is 1; no traceback reaches the user. Tests that run the real pipeline use the
shared ``nlp`` fixture (the model is loaded once) and are marked slow.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph import batch, pipeline
from diplograph.cli import app
from diplograph.model import Actor, Document, Event, Extraction, Mention, Quantity, Span, Statement
from diplograph.read.formats import Item
from diplograph.render import as_object, date_key, format_number, make_renderer

ARTICLE = ("2019-11-22:\nSeoul and Tokyo agreed on Friday to keep a military intelligence pact, "
           "the foreign ministry said.\n\nWashington welcomed the decision.\n")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def good_file(tmp_path) -> Path:
    path = tmp_path / "pact.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Stages that only echo the document, and a parser that parses nothing: fast CLI tests."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    class Parser:
        vocab = Vocab()

        def pipe(self, texts, batch_size=1):
            return (self(text) for text in texts)

        def __call__(self, text):
            return Doc(self.vocab, words=[])

    monkeypatch.setattr("diplograph.nlp.load_nlp", lambda: Parser())
    monkeypatch.setattr(pipeline, "run_stages", lambda document, doc: Extraction(document=document))


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def documents_in(jsonl: str) -> list[dict]:
    return [r for r in map(json.loads, jsonl.splitlines()) if r["kind"] == "document"]


# --- bad inputs -----------------------------------------------------------------------------------

def _binary(path: Path) -> None:
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)


def _broken_corpus(path: Path) -> None:
    path.write_text(json.dumps({"id": "ok-line", "text": "Hanoi hosted the talks."}) + "\n{\"id\": 2,\n",
                    encoding="utf-8")


@pytest.mark.parametrize("name, make, label_suffix, reason", [
    ("absent.txt", None, "", "no such file"),
    ("folder", lambda p: p.mkdir(), "", "is a directory"),
    ("program.txt", _binary, "", "binary file"),
    ("empty.txt", lambda p: p.write_bytes(b""), "", "empty file"),
    ("blank.txt", lambda p: p.write_text(" \n\n\t"), "", "whitespace only"),
    ("lines.jsonl", _broken_corpus, ":2", "broken JSON line"),
])
def test_bad_input_gives_one_line_and_batch_goes_on(runner, tmp_path, good_file, fake_pipeline,
                                                     name, make, label_suffix, reason):
    bad = tmp_path / name
    if make:
        make(bad)
    result = runner.invoke(app, ["extract", str(bad), str(good_file)])
    assert result.exit_code == 1
    lines = stderr_lines(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"diplograph: {bad}{label_suffix}: ") and reason in lines[0]
    assert "Traceback" not in result.output
    assert "pact" in [d["id"] for d in documents_in(result.stdout)]


def test_invalid_utf8_warns_and_succeeds(runner, tmp_path, fake_pipeline):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Talks in Bogot\u00e1 resumed in 2016.".encode("latin-1"))
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0
    assert stderr_lines(result) == [f"diplograph: {path}: warning: invalid UTF-8 at byte 14; "
                                    "1 undecodable byte sequence replaced with U+FFFD"]
    assert documents_in(result.stdout)[0]["id"] == "latin1"


def test_twenty_megabyte_text_is_refused_with_a_reason_and_the_batch_goes_on(runner, tmp_path, good_file,
                                                                              fake_pipeline):
    path = tmp_path / "huge.txt"
    paragraph = "Delegations from Hanoi and Manila met again to discuss the maritime boundary.\n\n"
    path.write_text(paragraph * (20_000_000 // len(paragraph) + 1), encoding="utf-8")
    out = tmp_path / "huge.jsonl"
    result = runner.invoke(app, ["extract", str(path), str(good_file), "-o", str(out)])
    assert result.exit_code == 1
    [line] = stderr_lines(result)
    assert line.startswith(f"diplograph: {path}: 20,000,") and "--max-chars" in line
    assert [d["id"] for d in documents_in(out.read_text(encoding="utf-8"))] == ["pact"]


def test_twenty_megabyte_text_is_processed_when_the_limit_is_lifted(runner, tmp_path, fake_pipeline):
    path = tmp_path / "huge.txt"
    paragraph = "Delegations from Hanoi and Manila met again to discuss the maritime boundary.\n\n"
    path.write_text(paragraph * (20_000_000 // len(paragraph) + 1), encoding="utf-8")
    out = tmp_path / "huge.jsonl"
    result = runner.invoke(app, ["extract", str(path), "--max-chars", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert documents_in(out.read_text(encoding="utf-8"))[0]["id"] == "huge"


def test_unexpected_error_is_one_line_with_debug_hint(runner, tmp_path, good_file, monkeypatch, fake_pipeline):
    def explode(document, doc):
        if "EXPLODE" in document.text:
            raise ValueError("stage broke\nsecond line")
        return Extraction(document=document)

    monkeypatch.setattr(pipeline, "run_stages", explode)
    bad = tmp_path / "bad.txt"
    bad.write_text("EXPLODE in 2020.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(bad), str(good_file)])
    assert result.exit_code == 1
    assert stderr_lines(result) == [f"diplograph: {bad}: internal error (ValueError: stage broke); "
                                    "rerun with --debug for the traceback"]
    debug = runner.invoke(app, ["extract", str(bad), "--debug"])
    assert "Traceback" in debug.stderr and "stage broke" in debug.stderr


@pytest.mark.parametrize("date", ["yesterday", "2021-13-01", "26/03/2024"])
def test_bad_date_option(runner, good_file, date):
    result = runner.invoke(app, ["extract", str(good_file), "--date", date])
    assert result.exit_code == 2
    assert stderr_lines(result) == [f"diplograph: --date: {date!r} is not an EDTF date "
                                    "(e.g. 2024-03-26, 2024-03, 2024)"]


def test_unwritable_output(runner, tmp_path, good_file):
    result = runner.invoke(app, ["extract", str(good_file), "-o", str(tmp_path / "no" / "such" / "dir.jsonl")])
    assert result.exit_code == 2
    assert "cannot write the output" in result.stderr


def test_stdin_dash(runner, fake_pipeline):
    result = runner.invoke(app, ["extract", "-", "--date", "2020"], input=ARTICLE)
    assert result.exit_code == 0
    document = documents_in(result.stdout)[0]
    assert (document["id"], document["date"], document["date_source"]) == ("stdin", "2020", "cli")


def test_date_option_applies_to_every_document(runner, tmp_path, good_file, fake_pipeline):
    result = runner.invoke(app, ["extract", str(good_file), "--date", "1965-09"])
    assert documents_in(result.stdout)[0]["date"] == "1965-09"


# --- the real pipeline ------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "json", "table"])
def test_output_file_in_each_format(runner, tmp_path, good_file, nlp, fmt):
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["extract", str(good_file), "-o", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = out.read_text(encoding="utf-8")
    if fmt == "jsonl":
        assert documents_in(written) == [{"kind": "document", "id": "pact", "date": "2019-11-22", "title": None,
                                          "source": "pact.txt", "date_source": "dateline"}]
    elif fmt == "json":
        (document,) = json.loads(written)
        assert document["document"]["id"] == "pact" and isinstance(document["actors"], list)
    else:
        assert "pact" in written and "dated 2019-11-22 (from dateline)" in written


@pytest.mark.slow
def test_html_page_through_the_cli(runner, tmp_path, nlp):
    page = tmp_path / "page.html"
    page.write_text("<html><head><meta property='article:published_time' content='2019-11-22'>"
                    "<script>document.write('Moscow invaded')</script></head><body><article>"
                    "<p>Seoul and Tokyo agreed to keep the intelligence pact, officials said on Friday.</p>"
                    "</article></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0 and stderr_lines(result) == []
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["date_source"] == "html"
    assert all("Moscow" not in json.dumps(r) for r in records)


@pytest.mark.slow
def test_two_workers_give_the_same_records_as_one(runner, tmp_path, nlp):
    paths = []
    for n, city in enumerate(["Hanoi", "Manila", "Jakarta", "Canberra", "Ottawa"]):
        path = tmp_path / f"d{n}.txt"
        path.write_text(f"2021-0{n + 1}-10:\nDiplomats from {city} met Chinese officials in Beijing in 2020.\n",
                        encoding="utf-8")
        paths.append(str(path))
    paths.insert(2, str(tmp_path / "absent.txt"))
    one = runner.invoke(app, ["extract", *paths])
    two = runner.invoke(app, ["extract", *paths, "-j", "2"])
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout and len(documents_in(two.stdout)) == 5
    assert stderr_lines(two) == [f"diplograph: {tmp_path / 'absent.txt'}: no such file"]


# --- batch ----------------------------------------------------------------------------------------

def _item(n: int, chars: int = 10) -> Item:
    return Item(f"d{n}", Document(id=f"d{n}", text="x" * chars))


@pytest.mark.parametrize("sizes, max_docs, max_chars, expected", [
    ([10] * 5, 2, 1000, [2, 2, 1]),
    ([600, 600, 10], 8, 1000, [2, 1]),
    ([5000, 10], 8, 1000, [1, 1]),
    ([], 8, 1000, []),
])
def test_batches_close_on_count_or_size(sizes, max_docs, max_chars, expected):
    items = [_item(n, size) for n, size in enumerate(sizes)]
    got = list(batch.batches(items, max_docs=max_docs, max_chars=max_chars))
    assert [len(b) for b in got] == expected
    assert [i for b in got for i in b] == items


@pytest.mark.parametrize("text", [
    "Talks resumed. " * 5000,
    ("A paragraph on the maritime dispute.\n\n" * 3000) + "Final line without newline",
    "Lines\nof\na\ncable\n" * 4000,
    "x" * 250_000,  # no whitespace at all: one piece
])
def test_split_text_pieces_end_in_whitespace_and_rejoin(text):
    pieces = list(batch.split_text(text, chunk_chars=10_000))
    assert "".join(pieces) == text
    assert all(len(p) <= 10_000 and p[-1].isspace() for p in pieces[:-1])


def test_parse_long_keeps_offsets():
    import spacy

    nlp = spacy.blank("en")
    text = "Hanoi and Manila met in 2019.  They agreed to talk.\n\n\nA new paragraph follows.\n" * 400
    doc = batch.parse_long(nlp, text, chunk_chars=2_000)
    assert doc.text == text
    assert [t.idx for t in doc] == [t.idx for t in nlp(text)]


# --- renderers ------------------------------------------------------------------------------------

SAMPLE_TEXT = ("In 2014 Beijing sent aid worth $6 billion [sic] to Pyongyang, officials said. "
               "\"We will not abide,\" the minister said in 2017.")


def sample_extraction() -> Extraction:
    text = SAMPLE_TEXT
    document = Document(id="sample", text=text, date="2018", source="sample.txt", date_source="cli")
    china = Actor("CHN", "China", "state", mentions=[Mention(8, 15, "Beijing")])
    korea = Actor("PRK", "North Korea", "state", mentions=[Mention(51, 60, "Pyongyang")])
    sentence, quote = Span(0, 77), Span(78, 125)
    return Extraction(
        document=document, actors=[china, korea],
        events=[Event("ev-1", "AID", ["CHN"], ["PRK"], "2014", sentence, Span(16, 20)),
                Event("ev-2", "REJECT", ["PRK"], [], None, quote, Span(82, 96), hedged=True)],
        quantities=[Quantity(6e9, "USD", sentence, Span(31, 41), date="2014", subject=["CHN", "PRK"])],
        statements=[Statement(["PRK"], "2017", quote, Span(79, 97), Span(112, 116),
                              role="minister", direct=True)])


def test_jsonl_renderer_writes_exactly_the_records():
    import io

    out = io.StringIO()
    extraction = sample_extraction()
    renderer = make_renderer("jsonl", out)
    renderer.begin()
    renderer.write(extraction)
    renderer.end()
    assert [json.loads(line) for line in out.getvalue().splitlines()] == list(extraction.records())


def test_json_renderer_is_one_valid_array():
    import io

    out = io.StringIO()
    renderer = make_renderer("json", out)
    renderer.begin()
    for _ in range(2):
        renderer.write(sample_extraction())
    renderer.end()
    documents = json.loads(out.getvalue())
    assert len(documents) == 2 and documents[0] == json.loads(json.dumps(as_object(sample_extraction())))
    assert [len(documents[0][k]) for k in ("actors", "events", "quantities", "statements")] == [2, 2, 1, 1]


def test_table_renderer_shows_timeline_figures_statements_actors():
    import io

    out = io.StringIO()
    make_renderer("table", out).write(sample_extraction())
    shown = out.getvalue()
    for expected in ("Timeline (2 events)", "AID", "China", "North Korea", "[sic]", "Figures (1)",
                     "6,000,000,000", "$6 billion", "We will not abide", "Statements (1)", "minister", "direct", "Actors (2)", "hedged"):
        assert expected in shown, expected
    assert shown.index("2014") < shown.index("REJECT")  # dated events first, undated last


@pytest.mark.parametrize("dates, ordered", [
    (["2017", None, "199X", "../2018", "1950/1953", "2014-05"],
     ["1950/1953", "199X", "2014-05", "2017", "../2018", None]),
])
def test_date_key_orders_edtf(dates, ordered):
    assert sorted(dates, key=date_key) == ordered


@pytest.mark.parametrize("value, shown", [(6.86e9, "6,860,000,000"), (28500, "28,500"), (0.5, "0.5"),
                                          (1.23456, "1.235")])
def test_format_number(value, shown):
    assert format_number(value) == shown
