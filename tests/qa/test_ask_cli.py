"""``diplograph ask``: one question, a batch, and the mistakes users make."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from diplograph.cli import app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory, nlp):
    from diplograph import extract
    from diplograph.store import Store
    from qa_reports import REPORTS

    path = tmp_path_factory.mktemp("ask") / "kb.db"
    with Store(str(path)) as store:
        for name, text in REPORTS.items():
            store.ingest(extract(text, doc_id=name), name=name)
    return path


def test_one_question_prints_answer_and_sentence(kb_path):
    result = CliRunner().invoke(app, ["ask", "Where did the two leaders meet in May 2018?", "--db", str(kb_path)])
    assert result.exit_code == 0, result.output
    assert "Tokyo" in result.output and "hanoi-pact.txt" in result.output


def test_json_answer_has_citations(kb_path):
    result = CliRunner().invoke(app, ["ask", "Which resolution imposed new sanctions on Iran?", "--json",
                                      "--db", str(kb_path)])
    answer = json.loads(result.output)
    assert answer["found"] and answer["citations"][0]["document"] == "sanctions.txt"


def test_unanswerable_question_is_not_an_error(kb_path):
    result = CliRunner().invoke(app, ["ask", "What is the population of Mars?", "--db", str(kb_path)])
    assert result.exit_code == 0
    assert "No answer found" in result.output


def test_batch_writes_scorer_records(kb_path, tmp_path):
    questions = tmp_path / "q.json"
    questions.write_text(json.dumps([{"id": "a", "question": "When did Japan and Vietnam sign a maritime "
                                                              "security agreement?"},
                                     {"id": "b", "question": "What is the population of Mars?"}]))
    out = tmp_path / "answers.jsonl"
    result = CliRunner().invoke(app, ["ask", "--batch", str(questions), "--db", str(kb_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert records[0]["value"] == "2019" and records[0]["citations"][0]["document"] == "hanoi-pact.txt"
    assert records[1]["answer"] == "" and records[1]["citations"] == []


@pytest.mark.parametrize("content,reason", [
    ("not json", "not a JSON file"),
    ('{"id": 1}', "expected a JSON list"),
])
def test_bad_batch_file_is_one_line(kb_path, tmp_path, content, reason):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = CliRunner().invoke(app, ["ask", "--batch", str(path), "--db", str(kb_path)])
    assert result.exit_code == 1 and reason in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_question_or_batch_is_required(kb_path):
    result = CliRunner().invoke(app, ["ask", "--db", str(kb_path)])
    assert result.exit_code == 2


def test_missing_knowledge_base(tmp_path):
    result = CliRunner().invoke(app, ["ask", "Who?", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no knowledge base" in result.output
