"""Benchmark: ingest a corpus into a fresh SQLite knowledge base with each engine, then time queries.

Not a test: run it by hand and read the table (the full corpus takes a while).

    .venv/bin/python bench/ingest.py                         # the whole wiki-ir-1200 corpus
    .venv/bin/python bench/ingest.py --docs 100 --out out/bench-ingest-100.json

Each run starts in its own Python process, so its peak RSS (that process and its workers,
sampled with psutil) is not inflated by an earlier run, and writes its own database in
``--workdir``:
- ``local -j 1``: extraction in the ingesting process;
- ``local -j 2``: two worker processes (``diplograph.batch.WorkerPool``);
- ``dask``: a 2-worker LocalCluster (``diplograph.engine.DaskEngine``).
Documents are stored in input order with ``Store.ingest``, as ``diplograph ingest`` does.
Time is wall time from before the engine starts (start-up included, also shown apart) to
the last document stored. Every run's knowledge base is digested table by table: the three
must be identical. Then timeline (per actor), dyad (per pair, by year) and figures (per
measure and subject) are run on the ``-j 1`` database for the 20 most frequent targets,
``--reps`` rounds each, and their p50/p95 latencies reported.

Targets: -j 2 >= 1.7x -j 1; the full corpus in < 15 min on 2 cores; query p95 < 100 ms.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

import psutil

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "wiki-ir-1200.jsonl.gz"
RUNS = {"j1": "local -j 1", "j2": "local -j 2", "dask": "dask, 2 workers"}
TARGET_SPEEDUP_2 = 1.7
TARGET_FULL_CORPUS_S = 15 * 60
TARGET_QUERY_P95_MS = 100.0
VOLATILE_COLUMNS = {"ingested_at"}  # when a row was written, not what it says


# --- one ingest run (in a child process) -------------------------------------------------------

class RssSampler:
    """Peak resident memory of this process and all its children, sampled in a thread."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, total_rss())
            time.sleep(self.interval)


def total_rss() -> int:
    """Bytes resident in this process and its children (workers, Dask nannies included)."""
    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:  # a child that just exited
            pass
    return total


def corpus_items(corpus: Path, docs: int) -> Iterator:
    from diplograph.read.formats import read_inputs

    items = read_inputs([str(corpus)])
    return itertools.islice(items, docs) if docs else items


def start_engine(run: str) -> tuple[Callable, Callable[[], None]]:
    """(items -> outcomes, close) for a run, started and warmed (every model loaded)."""
    from diplograph.batch import WorkerPool, batches, extract_items
    from diplograph.engine import DaskEngine
    from diplograph.nlp import load_nlp

    if run == "j1":
        load_nlp()
        return (lambda items: extract_items(items, jobs=1)), (lambda: None)
    if run == "j2":
        pool = WorkerPool(2)
        pool.warm()
        return (lambda items: pool.extract(batches(items))), (lambda: pool.__exit__(None, None, None))
    if run == "dask":
        engine = DaskEngine(workers=2)
        engine.warm()
        return (lambda items: engine.extract(batches(items))), engine.close
    raise SystemExit(f"bench: unknown run {run!r}")


def ingest_run(run: str, corpus: Path, docs: int, db: Path) -> dict:
    """Ingest the corpus with one engine into a new database; RETURNS its figures."""
    from diplograph.store import Store

    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    store = Store(f"sqlite:///{db}")
    stored = failed = n_words = 0
    with RssSampler() as rss:
        started = time.perf_counter()
        extract, close = start_engine(run)
        startup_s = time.perf_counter() - started
        try:
            for outcome in extract(corpus_items(corpus, docs)):
                if not outcome.ok:
                    failed += 1
                    continue
                store.ingest(outcome.extraction, name=outcome.extraction.document.id)
                stored += 1
                n_words += len(outcome.extraction.document.text.split())
        finally:
            close()
        seconds = time.perf_counter() - started
    digest = kb_digest(store.engine)
    store.close()
    return {"run": run, "documents": stored, "failed": failed, "words": n_words, "seconds": seconds,
            "startup_s": startup_s, "docs_per_s": stored / seconds, "words_per_s": n_words / seconds,
            "peak_rss_mb": rss.peak / 2**20, "db_mb": database_bytes(db) / 2**20, "db": str(db),
            "kb_digest": digest}


def kb_digest(engine) -> dict[str, str]:
    """A digest of every table's rows, sorted, write-time columns left out: equal digests mean
    the same knowledge base."""
    from sqlalchemy import select

    from diplograph.store.schema import metadata

    digests = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [column for column in table.columns if column.name not in VOLATILE_COLUMNS]
            rows = sorted(repr(tuple(row)) for row in conn.execute(select(*columns)))
            digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16] + f"/{len(rows)}"
    return digests


def database_bytes(db: Path) -> int:
    return sum(path.stat().st_size for path in (db, db.with_name(db.name + "-wal")) if path.exists())


# --- queries -------------------------------------------------------------------------------------

def frequent_targets(engine, limit: int) -> dict[str, list]:
    """The most frequent actors, dyads and (measure, subject) pairs of the knowledge base."""
    from sqlalchemy import and_, func, select

    from diplograph.store import schema as s

    source, target = s.event_actors.alias("source"), s.event_actors.alias("target")
    with engine.connect() as conn:
        actors = [row[0] for row in conn.execute(
            select(s.event_actors.c.actor_id).group_by(s.event_actors.c.actor_id)
            .order_by(func.count().desc(), s.event_actors.c.actor_id).limit(limit))]
        pairs = conn.execute(
            select(source.c.actor_id.label("a"), target.c.actor_id.label("b"), func.count().label("n"))
            .select_from(source.join(target, and_(source.c.event_id == target.c.event_id,
                                                  source.c.role == "source", target.c.role == "target")))
            .where(source.c.actor_id != target.c.actor_id)
            .group_by(source.c.actor_id, target.c.actor_id)).all()
        figures = [(row.measure, row.subject_key) for row in conn.execute(
            select(s.quantities.c.measure, s.quantities.c.subject_key)
            .where(s.quantities.c.measure.is_not(None), s.quantities.c.subject_key != "")
            .group_by(s.quantities.c.measure, s.quantities.c.subject_key)
            .order_by(func.count().desc(), s.quantities.c.measure).limit(limit))]
    dyad_counts: dict[tuple, int] = {}
    for row in pairs:  # A->B and B->A are one dyad
        key = tuple(sorted((row.a, row.b)))
        dyad_counts[key] = dyad_counts.get(key, 0) + row.n
    dyads = sorted(dyad_counts, key=lambda key: (-dyad_counts[key], key))[:limit]
    return {"actors": actors, "dyads": dyads, "figures": figures}


def time_queries(db: Path, limit: int, reps: int) -> dict:
    """p50/p95 latency (ms) of timeline, dyad and figures queries over the frequent targets."""
    from diplograph.analytics import QueryError, dyad_series, figure_series, timeline
    from diplograph.commands.query import TIMELINE_PAGE
    from diplograph.store import Store

    store = Store(f"sqlite:///{db}")
    targets = frequent_targets(store.engine, limit)
    calls = {
        # the CLI's default page (``diplograph timeline`` prints 200 events unless --limit 0) ...
        "timeline": [lambda actor=actor: timeline(store, actor=actor, limit=TIMELINE_PAGE)
                     for actor in targets["actors"]],
        # ... and the whole history of each frequent actor, for comparison
        "timeline_all": [lambda actor=actor: timeline(store, actor=actor) for actor in targets["actors"]],
        "dyad": [lambda a=a, b=b: dyad_series(store, a, b, by="year") for a, b in targets["dyads"]],
        "figures": [lambda m=m, subj=subj: figure_series(store, measure=m, subject=subj)
                    for m, subj in targets["figures"]],
    }
    results = {}
    for name, queries in calls.items():
        latencies, errors, rows = [], 0, 0
        first_ms = _first_call_ms(queries)  # caches (gazetteer, SQLite pages) fill here, untimed below
        for _ in range(reps):
            for query in queries:
                started = time.perf_counter()
                try:
                    rows += len(query())
                except QueryError:
                    errors += 1
                latencies.append((time.perf_counter() - started) * 1000)
        results[name] = {"targets": len(queries), "calls": len(latencies), "errors": errors,
                         "mean_rows": rows / len(latencies) if latencies else 0,
                         "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
                         "max_ms": max(latencies) if latencies else None, "first_call_ms": first_ms}
    results["targets"] = {"actors": targets["actors"], "dyads": ["-".join(d) for d in targets["dyads"]],
                          "figures": [f"{m} [{subj}]" for m, subj in targets["figures"]]}
    store.close()
    return results


def _first_call_ms(queries: list[Callable]) -> Optional[float]:
    """Run every query once, untimed but for the very first call (a cold start, shown apart)."""
    from diplograph.analytics import QueryError

    first_ms = None
    for query in queries:
        started = time.perf_counter()
        try:
            query()
        except QueryError:
            pass
        if first_ms is None:
            first_ms = (time.perf_counter() - started) * 1000
    return first_ms


def percentile(values: list[float], pct: int) -> Optional[float]:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


# --- the whole benchmark (parent process) ----------------------------------------------------------

def run_child(run: str, args: argparse.Namespace) -> dict:
    """One ingest run in a fresh interpreter; RETURNS its figures (the child's last stdout line)."""
    db = args.workdir / f"bench-ingest-{run}.db"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", run, "--corpus", str(args.corpus),
               "--docs", str(args.docs), "--db", str(db)]
    print(f"[{RUNS[run]}] ingesting ...", file=sys.stderr, flush=True)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"bench: the {RUNS[run]} run failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def corpus_words(corpus: Path) -> tuple[int, int]:
    """Documents and words of the whole corpus, to project a sample's time onto it."""
    documents = words = 0
    for item in corpus_items(corpus, 0):
        if item.document is not None:
            documents += 1
            words += len(item.document.text.split())
    return documents, words


def summarise(runs: dict[str, dict], queries: dict, args: argparse.Namespace) -> dict:
    j1, j2 = runs.get("j1"), runs.get("j2")
    results: dict = {"corpus": str(args.corpus), "sample_docs": args.docs or None, "cpus": os.cpu_count(),
                     "load_average_at_start": args.load_average, "runs": runs, "queries": queries}
    digests = {json.dumps(run["kb_digest"], sort_keys=True) for run in runs.values()}
    results["kb_identical"] = len(digests) == 1
    if j1 and j2:
        results["speedup_j2"] = j1["seconds"] / j2["seconds"]
        results["speedup_j2_after_startup"] = ((j1["seconds"] - j1["startup_s"])
                                               / (j2["seconds"] - j2["startup_s"]))
    fastest = min(runs.values(), key=lambda run: run["seconds"])
    if args.docs:
        total_docs, total_words = corpus_words(args.corpus)
        results["corpus_documents"], results["corpus_words"] = total_docs, total_words
        per_word = (fastest["seconds"] - fastest["startup_s"]) / max(fastest["words"], 1)
        results["projected_full_corpus_s"] = fastest["startup_s"] + per_word * total_words
    else:
        results["projected_full_corpus_s"] = fastest["seconds"]
    results["fastest_run"] = fastest["run"]
    results["targets"] = {"speedup_j2": TARGET_SPEEDUP_2, "full_corpus_s": TARGET_FULL_CORPUS_S,
                          "query_p95_ms": TARGET_QUERY_P95_MS}
    return results


def print_table(r: dict) -> None:
    def verdict(ok: bool) -> str:
        return "meets" if ok else "MISSES"

    first = next(iter(r["runs"].values()))
    print(f"{first['documents'] + first['failed']} documents ({first['failed']} failed), {first['words']:,} words, "
          f"{r['cpus']} CPUs, load average at start {r['load_average_at_start']:.1f}")
    print(f"{'run':<18}{'s':>9}{'start s':>9}{'docs/s':>9}{'words/s':>10}{'peak RSS MB':>13}{'DB MB':>8}")
    for run in r["runs"].values():
        print(f"{RUNS[run['run']]:<18}{run['seconds']:>9.1f}{run['startup_s']:>9.1f}{run['docs_per_s']:>9.2f}"
              f"{run['words_per_s']:>10,.0f}{run['peak_rss_mb']:>13,.0f}{run['db_mb']:>8.1f}")
    print(f"knowledge bases identical across runs: {r['kb_identical']}")
    if "speedup_j2" in r:
        print(f"-j 2 / -j 1: {r['speedup_j2']:.2f}x ({r['speedup_j2_after_startup']:.2f}x after start-up); "
              f"target {TARGET_SPEEDUP_2}x: {verdict(r['speedup_j2'] >= TARGET_SPEEDUP_2)}")
    label = "full corpus" if not r["sample_docs"] else f"full corpus projected from {r['sample_docs']} documents"
    print(f"{label}: {r['projected_full_corpus_s'] / 60:.1f} min ({RUNS[r['fastest_run']]}); target "
          f"{TARGET_FULL_CORPUS_S // 60} min: {verdict(r['projected_full_corpus_s'] < TARGET_FULL_CORPUS_S)}")
    print(f"{'query':<10}{'targets':>8}{'calls':>7}{'rows':>7}{'first ms':>9}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'max ms':>9}")
    for name in ("timeline", "timeline_all", "dyad", "figures"):
        q = r["queries"][name]
        if not q["calls"]:
            print(f"{name:<10}{0:>8}  (nothing in the knowledge base to query)")
            continue
        print(f"{name:<10}{q['targets']:>8}{q['calls']:>7}{q['mean_rows']:>7.1f}{q['first_call_ms']:>9.1f}"
              f"{q['p50_ms']:>9.1f}"
              f"{q['p95_ms']:>9.1f}{q['max_ms']:>9.1f}  p95 target {TARGET_QUERY_P95_MS:g} ms: "
              f"{verdict(q['p95_ms'] < TARGET_QUERY_P95_MS)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--docs", type=int, default=0, help="documents from the head of the corpus (0: all)")
    parser.add_argument("--runs", default="j1,j2,dask", help=f"comma-separated, of {', '.join(RUNS)}")
    parser.add_argument("--workdir", type=Path, default=REPO / "out", help="where the databases go")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench-ingest.json")
    parser.add_argument("--targets", type=int, default=20, help="frequent actors/dyads/figures to query")
    parser.add_argument("--reps", type=int, default=50, help="rounds of queries over the targets")
    parser.add_argument("--child", choices=sorted(RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"bench: {args.corpus} is absent; pass --corpus")
    if args.child:
        print(json.dumps(ingest_run(args.child, args.corpus, args.docs, args.db)))
        return 0

    runs = [run.strip() for run in args.runs.split(",") if run.strip()]
    unknown = [run for run in runs if run not in RUNS]
    if unknown or not runs:
        sys.exit(f"bench: --runs takes {', '.join(RUNS)}, not {args.runs!r}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.load_average = os.getloadavg()[0]
    results = {run: run_child(run, args) for run in runs}
    print("timing queries ...", file=sys.stderr, flush=True)
    queries = time_queries(Path(results[runs[0]]["db"]), args.targets, args.reps)
    summary = summarise(results, queries, args)
    print_table(summary)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
