"""Benchmark: question answering latency (and score) on a knowledge base, e.g. the whole corpus plus the seed.

Not a test: run it by hand and read the table.

    .venv/bin/python bench/ingest.py --runs j2 --workdir out/v2          # the wiki-ir-1200 knowledge base
    .venv/bin/python bench/ask.py --db out/v2/bench-ingest-j2.db --add ../shared/eval/seed.txt

``--add`` ingests documents into the knowledge base first (skipped when already stored), so
the seed's questions are asked with 1,200 other articles beside it. Every question of
``--questions`` is asked ``--reps`` times after one warm-up round (the model and the
gazetteer load once per process, not per question); p50/p95/max latency are reported
over all calls, and the answers of the last round are scored with the evaluation's own
``qa_score.py`` (so the score with the corpus beside the seed can be compared with the
score on the seed alone).

Target: p95 < 300 ms on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="the knowledge base (SQLite path or URL)")
    ap.add_argument("--add", nargs="*", default=[], help="documents to ingest first (skipped when stored)")
    ap.add_argument("--questions", default=str(SHARED / "eval" / "seed.qa.json"))
    ap.add_argument("--docs-dir", default=str(SHARED / "eval"),
                    help="the folder holding the questions' document (for qa_score.py)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out", default=str(REPO / "out" / "bench-ask.json"))
    args = ap.parse_args()

    from diplograph.qa import ask
    from diplograph.store import Store

    store = Store(args.db)
    if args.add:
        subprocess.run([sys.executable, "-c", "from diplograph.cli import app; app()", "ingest", *args.add,
                        "--db", args.db], check=True)
    questions = json.loads(Path(args.questions).read_text(encoding="utf-8"))
    documents = len(store.documents())

    for q in questions:  # warm-up: model, gazetteer, lexicons, SQLite page cache
        ask(q["question"], store)
    latencies: list[float] = []
    per_question: dict[str, list[float]] = {q["id"]: [] for q in questions}
    answers = {}
    for _ in range(args.reps):
        for q in questions:
            started = time.perf_counter()
            answers[q["id"]] = ask(q["question"], store)
            elapsed = (time.perf_counter() - started) * 1000
            latencies.append(elapsed)
            per_question[q["id"]].append(elapsed)
    store.close()

    score = _score(args, questions, answers)
    latencies.sort()
    result = {
        "db": args.db, "documents": documents, "questions": len(questions), "reps": args.reps,
        "calls": len(latencies), "cpus": os.cpu_count(),
        "p50_ms": statistics.median(latencies), "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": latencies[-1], "mean_ms": statistics.fmean(latencies),
        "slowest": sorted(((statistics.median(v), k) for k, v in per_question.items()), reverse=True)[:5],
        "score": score,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"{documents} documents, {len(questions)} questions x {args.reps}: p50 {result['p50_ms']:.1f} ms, "
          f"p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.1f} ms; score {score}")
    print(f"written to {args.out}")
    return 0


def _score(args, questions, answers) -> dict:
    """The answers scored by the evaluation's qa_score.py (its folder must hold the document)."""
    scorer = SHARED / "eval" / "qa_score.py"
    if not scorer.exists():
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.jsonl"
        path.write_text("".join(json.dumps(answers[q["id"]].score_record(q["id"])) + "\n" for q in questions),
                        encoding="utf-8")
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for q in questions:
            name = q.get("document") or "seed.txt"
            if (Path(args.docs_dir) / name).exists() and not (docs / name).exists():
                shutil.copy(Path(args.docs_dir) / name, docs / name)
        out = subprocess.run([sys.executable, str(scorer), args.questions, str(docs), str(path)],
                             capture_output=True, text=True).stdout
    m = re.search(r"accuracy ([\d.]+)\s+cited ([\d.]+)", out)
    return {"accuracy": float(m.group(1)), "cited": float(m.group(2))} if m else {"output": out.strip()}


if __name__ == "__main__":
    sys.exit(main())
