"""``kill -9`` in the middle of an ingest, for real: no partial document, and a rerun completes the rest.

A subprocess ingests generated reports with the real pipeline; once a few documents
are committed it is killed with SIGKILL. Every document then stored must have exactly
the rows a clean run gives it; rerunning the same command must end with the same
table counts as a clean run of the same inputs, and no duplicates. (The rerun goes
through the same ``run_ingest`` in this process, where the model is already loaded.)
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from store_helpers import document_counts, table_counts

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")]

N_DOCUMENTS = 40
KILL_AFTER = 3  # committed documents before the kill
POLL_SECONDS = 0.02
DEADLINE_SECONDS = 120

# (capital, country as written, adjective) -- countries the gazetteer knows.
STATES = [
    ("New Delhi", "India", "Indian"), ("Islamabad", "Pakistan", "Pakistani"), ("Tokyo", "Japan", "Japanese"),
    ("Seoul", "South Korea", "South Korean"), ("Beijing", "China", "Chinese"), ("Paris", "France", "French"),
    ("Berlin", "Germany", "German"), ("Ankara", "Turkey", "Turkish"), ("Cairo", "Egypt", "Egyptian"),
    ("Nairobi", "Kenya", "Kenyan"), ("Hanoi", "Vietnam", "Vietnamese"), ("Jakarta", "Indonesia", "Indonesian"),
    ("Ottawa", "Canada", "Canadian"), ("Canberra", "Australia", "Australian"), ("Brasilia", "Brazil", "Brazilian"),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
COOPERATION = ["signed an agreement on {topic}", "agreed to expand cooperation on {topic}",
               "held talks on {topic}", "announced a joint plan on {topic}"]
CONFLICT = ["{c} protested the decision", "{c} accused {a} of violating the agreement",
            "{c} imposed sanctions on {a_adj} banks", "{c} rejected the proposal"]
TOPICS = ["trade", "energy security", "maritime patrols", "climate finance", "vaccine production",
          "railway construction", "fisheries", "nuclear safety"]


def generated_report(rng: random.Random, number: int) -> str:
    """A short wire report: a dated dateline, a bilateral event, a trade figure, a reaction, a quote."""
    (capital, a, a_adj), (_, b, _), (_, c, _) = rng.sample(STATES, 3)
    year = rng.randint(1995, 2023)
    verb = rng.choice(COOPERATION).format(topic=rng.choice(TOPICS))
    reaction = rng.choice(CONFLICT).format(c=c, a=a, a_adj=a_adj)
    value = rng.randint(12, 980) / 10
    return (f"{capital.upper()}, {rng.choice(MONTHS)} {rng.randint(1, 28)}, {year} -- {a} and {b} {verb} on "
            f"Tuesday, the {a_adj} foreign ministry said. Trade between {a} and {b} reached ${value} billion in "
            f"{year - 1}, according to official figures. Later that week {reaction}. \"This is report {number} "
            f"of a long process,\" a senior {a_adj} diplomat told reporters in {capital}.")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("reports")
    rng = random.Random(20240326)
    paths = []
    for number in range(1, N_DOCUMENTS + 1):
        path = folder / f"report-{number:02d}.txt"
        path.write_text(generated_report(rng, number), encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.fixture(scope="module")
def clean_run(corpus, tmp_path_factory) -> str:
    """The same inputs ingested without interruption: what the killed and resumed run must equal."""
    from diplograph.commands.ingest import run_ingest

    url = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'clean.db'}"
    assert run_ingest(corpus, db=url, progress=False) == 0
    return url


def ingest_command(paths: list[str], url: str) -> list[str]:
    return [sys.executable, "-c", "from diplograph.cli import app; app()", "ingest", *paths, "--db", url, "-j", "1"]


def stored_documents(url: str) -> int:
    """Documents committed so far (0 while the database or its tables do not exist yet)."""
    from diplograph.store.db import database_url
    from diplograph.store.schema import documents

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return 0
    engine = create_engine(database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(documents)).scalar_one()
    except Exception:  # not created yet, or locked for a moment: ask again
        return 0
    finally:
        engine.dispose()


def kill_after_some_commits(command: list[str], url: str) -> int:
    """Start the ingest, SIGKILL it once ``KILL_AFTER`` documents are committed; RETURNS the count then."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if stored_documents(url) >= KILL_AFTER:
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(POLL_SECONDS)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL, f"the ingest ended before it could be killed:\n{stderr}"
    return stored_documents(url)


def test_kill_resume_leaves_no_partial_document_and_completes(corpus, clean_run, store_url, capsys):
    clean_url = clean_run
    clean_documents = document_counts(clean_url)
    assert len(clean_documents) == N_DOCUMENTS

    stored_at_kill = kill_after_some_commits(ingest_command(corpus, store_url), store_url)
    assert KILL_AFTER <= stored_at_kill < N_DOCUMENTS, "kill the run before it finishes: make the reports longer"
    after_kill = document_counts(store_url)
    assert len(after_kill) == stored_at_kill
    for name, counts in after_kill.items():  # every stored document is whole
        assert counts == clean_documents[name], name

    from diplograph.commands.ingest import run_ingest

    capsys.readouterr()
    assert run_ingest(corpus, db=store_url, jobs=1, progress=False) == 0  # the same command, run again
    last_line = capsys.readouterr().err.splitlines()[-1]
    assert f"{N_DOCUMENTS - stored_at_kill} added, 0 replaced, {stored_at_kill} skipped, 0 failed" in last_line
    assert document_counts(store_url) == clean_documents
    assert table_counts(store_url) == table_counts(clean_url)
