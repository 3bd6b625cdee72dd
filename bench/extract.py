"""Benchmark: words/s of bare spaCy and of full extraction, one and N processes, and memory.

Not a test: run it by hand, on a sample of the shared corpus, and read the table.

    .venv/bin/python bench/extract.py --docs 60 --out out/bench-extract.json

Measured in one run on the same documents and the same model:
- ``spacy``: bare ``nlp.pipe`` (the floor every extractor pays);
- ``full -j 1``: reading done, ``diplograph.batch.extract_items`` in this process;
- ``full -j N``: the same over N worker processes, started (model loaded) before timing;
- peak RSS of each run, this process and its workers together (psutil, sampled;
  a run's peak includes what earlier runs left resident), and memory
  flatness: RSS after half the documents against RSS after all of them (``-j 1``).
Targets: full -j 1 >= 0.7x bare spaCy; -j 2 >= 1.7x -j 1.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import threading
import time
from pathlib import Path

import psutil

from diplograph.batch import BATCH_DOCS, WorkerPool, batches, extract_batch
from diplograph.nlp import MODEL, load_nlp
from diplograph.read.formats import Item, read_inputs

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "wiki-ir-1200.jsonl.gz"
TARGET_FULL_VS_SPACY = 0.7
TARGET_SPEEDUP_2 = 1.7


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
    """Bytes resident in this process and its children (workers included)."""
    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:  # a child that just exited
            pass
    return total


def sample(corpus: Path, docs: int) -> list[Item]:
    items = [item for item in itertools.islice(read_inputs([str(corpus)]), docs) if item.document]
    if not items:
        sys.exit(f"bench: no documents read from {corpus}")
    return items


def words(items: list[Item]) -> int:
    return sum(len(item.document.text.split()) for item in items)


def time_spacy(items: list[Item]) -> float:
    nlp = load_nlp()
    start = time.perf_counter()
    for _ in nlp.pipe((item.document.text for item in items), batch_size=BATCH_DOCS):
        pass
    return time.perf_counter() - start


def time_full_one_process(items: list[Item]) -> tuple[float, int, int, int]:
    """Seconds, failures, and RSS after the first half and after all of the documents."""
    half = len(items) // 2
    done = failed = rss_half = 0
    start = time.perf_counter()
    for batch in batches(items):
        for outcome in extract_batch(batch):
            done += 1
            failed += not outcome.ok
            if done == half:
                rss_half = total_rss()
    return time.perf_counter() - start, failed, rss_half, total_rss()


def time_full_workers(items: list[Item], jobs: int) -> tuple[float, float, int]:
    """Seconds to start the workers, seconds to extract once they are up, failures."""
    start = time.perf_counter()
    with WorkerPool(jobs) as pool:
        pool.warm()
        started = time.perf_counter()
        failed = sum(not outcome.ok for outcome in pool.extract(batches(items)))
        return started - start, time.perf_counter() - started, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--docs", type=int, default=60, help="documents from the head of the corpus")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the parallel run")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench-extract.json")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"bench: {args.corpus} is absent; pass --corpus")

    items = sample(args.corpus, args.docs)
    n_words = words(items)
    load_nlp()  # model load is start-up, not throughput
    with RssSampler() as bare:
        spacy_s = time_spacy(items)
    with RssSampler() as one_process:
        full_s, failed_1, rss_half, rss_all = time_full_one_process(items)
    with RssSampler() as workers:
        startup_s, parallel_s, failed_n = time_full_workers(items, args.jobs)

    results = {
        "model": MODEL, "corpus": str(args.corpus), "documents": len(items), "words": n_words,
        "cpus": os.cpu_count(), "jobs": args.jobs,
        "spacy_words_per_s": n_words / spacy_s,
        "full_j1_words_per_s": n_words / full_s,
        f"full_j{args.jobs}_words_per_s": n_words / parallel_s,
        f"full_j{args.jobs}_startup_s": startup_s,
        "full_vs_spacy": spacy_s / full_s,
        f"speedup_j{args.jobs}": full_s / parallel_s,
        "peak_rss_mb_spacy": bare.peak / 2**20,
        "peak_rss_mb_j1": one_process.peak / 2**20,
        f"peak_rss_mb_j{args.jobs}": workers.peak / 2**20,
        "rss_mb_after_half": rss_half / 2**20, "rss_mb_after_all": rss_all / 2**20,
        "rss_growth_second_half": rss_all / rss_half - 1 if rss_half else None,
        "failed_documents": {"j1": failed_1, f"j{args.jobs}": failed_n},
        "targets": {"full_vs_spacy": TARGET_FULL_VS_SPACY, f"speedup_j{args.jobs}": TARGET_SPEEDUP_2},
    }
    print_table(results, args.jobs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


def print_table(r: dict, jobs: int) -> None:
    def verdict(value: float, target: float) -> str:
        return "meets" if value >= target else "BELOW"

    print(f"{r['documents']} documents, {r['words']:,} words, {r['cpus']} CPUs, model {r['model']}")
    print(f"{'run':<22}{'words/s':>12}{'peak RSS MB':>14}")
    print(f"{'bare spaCy nlp.pipe':<22}{r['spacy_words_per_s']:>12,.0f}{r['peak_rss_mb_spacy']:>14,.0f}")
    print(f"{'full extraction -j 1':<22}{r['full_j1_words_per_s']:>12,.0f}{r['peak_rss_mb_j1']:>14,.0f}")
    print(f"{f'full extraction -j {jobs}':<22}{r[f'full_j{jobs}_words_per_s']:>12,.0f}"
          f"{r[f'peak_rss_mb_j{jobs}']:>14,.0f}")
    print(f"full / spaCy: {r['full_vs_spacy']:.2f}x (target {TARGET_FULL_VS_SPACY}x: "
          f"{verdict(r['full_vs_spacy'], TARGET_FULL_VS_SPACY)})")
    print(f"-j {jobs} / -j 1: {r[f'speedup_j{jobs}']:.2f}x (target {TARGET_SPEEDUP_2}x: "
          f"{verdict(r[f'speedup_j{jobs}'], TARGET_SPEEDUP_2)}); worker start-up "
          f"{r[f'full_j{jobs}_startup_s']:.1f} s, not counted")
    growth = r["rss_growth_second_half"]
    print(f"RSS after half / all documents: {r['rss_mb_after_half']:,.0f} / {r['rss_mb_after_all']:,.0f} MB"
          + (f" ({growth:+.1%} in the second half)" if growth is not None else ""))


if __name__ == "__main__":
    sys.exit(main())
