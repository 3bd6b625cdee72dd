"""jsonl: the stored records come back in the evaluation format, equal to what was extracted."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from diplograph.export import Selection
from export_helpers import by_document, comparable, run_export
from export_kb import build_kb

KIND_ORDER = ["document", "actor", "event", "quantity", "statement", "timex"]


def exported(engine, selection=None) -> list[dict]:
    return [json.loads(line) for line in run_export(engine, "jsonl", selection=selection).splitlines()]


def test_export_jsonl_lines_are_evaluation_records(kb_engine):
    records = exported(kb_engine)
    assert records[0]["kind"] == "document"
    assert {r["kind"] for r in records} == set(KIND_ORDER)
    for document, own in by_document(records).items():
        ranks = [KIND_ORDER.index(r["kind"]) for r in own]
        assert ranks == sorted(ranks), f"{document}: records out of the evaluation order"
        for record in own:
            if "evidence" in record:
                assert 0 <= record["evidence"]["start"] < record["evidence"]["end"]


def test_export_jsonl_gives_back_what_was_extracted(kb_engine, extractions):
    documents = by_document(exported(kb_engine))
    assert set(documents) == {e.document.id for e in extractions}
    for extraction in extractions:
        original = sorted(comparable(r) for r in extraction.records())
        assert sorted(comparable(r) for r in documents[extraction.document.id]) == original


def test_export_jsonl_keeps_merge_results(kb_engine):
    events = [r for r in exported(kb_engine) if r["kind"] == "event"]
    agreements = [e for e in events if e["type"] == "AGREE"]
    assert len(agreements) == 2 and agreements[0]["cluster"] == agreements[1]["cluster"]
    assert {e["n_sources"] for e in agreements} == {2}
    figures = [r for r in exported(kb_engine) if r["kind"] == "quantity"]
    assert all(f["contradiction"] for f in figures)  # $2.4 bn and $2.8 bn for the same year


@pytest.mark.parametrize("selection, documents, events", [
    (Selection(actor="USA"), {"review-2020"}, {"ev-2", "ev-4"}),
    (Selection(date_from="2019-06-20", date_to="2019-06-20"), {"visit-2019", "review-2020"},
     {"ev-1", "ev-2", "ev-4", "ev-5", "ev-3"}),
])
def test_export_jsonl_narrowed_keeps_whole_context(kb_engine, selection, documents, events):
    records = exported(kb_engine, selection)
    grouped = by_document(records)
    assert set(grouped) == documents
    assert {r["id"] for r in records if r["kind"] == "event"} == events
    # actors and time expressions of a kept document are its context: given whole
    for name, own in grouped.items():
        assert any(r["kind"] == "timex" for r in own)


@pytest.mark.slow
def test_export_jsonl_scores_like_the_extraction(nlp, shared_dir, tmp_path):
    """The seed, extracted, stored and exported, scores exactly as the extraction itself."""
    from diplograph.pipeline import extract

    text = (shared_dir / "eval" / "seed.txt").read_text(encoding="utf-8")
    extraction = extract(text, date="2024-03-26", doc_id="seed")
    direct = tmp_path / "direct.jsonl"
    direct.write_text("".join(json.dumps(r) + "\n" for r in extraction.records()), encoding="utf-8")
    engine = build_kb(f"sqlite:///{tmp_path / 'seed.db'}", [extraction])
    stored = tmp_path / "stored.jsonl"
    stored.write_text(run_export(engine, "jsonl"), encoding="utf-8")
    engine.dispose()

    def score(records) -> dict:
        result = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"),
                                 str(shared_dir / "eval" / "seed.gold.json"), str(shared_dir / "eval" / "seed.txt"),
                                 str(records), "--json"], capture_output=True, text=True, check=True)
        return json.loads(result.stdout)

    assert score(stored) == score(direct)
