"""The Dask engine gives exactly what the local engine gives: same records, same order, same
errors, and the same knowledge base once stored; and it fails in one line when it cannot run.

One LocalCluster (2 worker processes, each loading the model) serves the comparison tests.
"""
from __future__ import annotations

import os
import time

import psutil
import pytest

from diplograph.batch import Outcome
from diplograph.errors import DiplographError
from diplograph.read.formats import Item, read_inputs

ENVIRON_AT_IMPORT = dict(os.environ)

REPORTS = {
    "summit-2019.txt": (
        "HANOI, Feb. 28, 2019 -- U.S. President Donald Trump and North Korean leader Kim Jong Un ended "
        "their second summit early on Thursday without signing an agreement. Trump said Pyongyang had "
        "demanded that all sanctions be lifted. North Korea's foreign minister later told reporters that "
        "his country had asked only for partial relief.\n"),
    "grain-deal.txt": (
        "Russia and Turkey signed a grain export agreement in Istanbul on 22 July 2022. The United "
        "Nations said the deal would let Ukraine ship about 20 million tonnes of wheat and maize. "
        "Moscow suspended its participation a year later, accusing the West of blocking its own exports.\n"),
    "border-clash.txt": (
        "India accused China of provoking a clash on the disputed border in the Galwan Valley in June "
        "2020, in which twenty Indian soldiers were killed. Beijing rejected the accusation and urged "
        "New Delhi to restrain its troops. The two governments held talks between corps commanders in "
        "the following months.\n"),
    "aid-pledge.txt": (
        "Japan pledged $5.5 billion in aid to Ukraine in February 2023, Prime Minister Fumio Kishida "
        "said. \"We will stand with Ukraine for as long as it takes,\" he told a news conference in "
        "Tokyo. The European Union announced new sanctions against Russia the same week.\n"),
    "trade-talks.txt": (
        "Bilateral trade between China and Australia fell to $180 billion in 2020 after Beijing imposed "
        "tariffs on Australian barley and wine. Australia's trade minister said Canberra would "
        "challenge the tariffs at the World Trade Organization. China's commerce ministry called the "
        "move regrettable.\n"),
    "expulsions.txt": (
        "Germany expelled two Russian diplomats in December 2019 over the killing of a Georgian man in "
        "Berlin. The Kremlin called the decision unfounded and threatened to retaliate. Two days later "
        "Russia expelled two German diplomats from Moscow.\n"),
}
BROKEN = {
    "empty.txt": b"   \n",
    "binary.txt": bytes(range(256)) * 8,
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Item]:
    """The sample as the readers give it: six reports and two inputs that fail to read, mixed."""
    folder = tmp_path_factory.mktemp("engine-inputs")
    paths = []
    names = list(REPORTS)
    for position, name in enumerate(names):
        (folder / name).write_text(REPORTS[name], encoding="utf-8")
        paths.append(folder / name)
        if position in (1, 4):
            broken = list(BROKEN)[position // 4]
            (folder / broken).write_bytes(BROKEN[broken])
            paths.append(folder / broken)
    items = list(read_inputs([str(path) for path in paths]))
    assert sum(item.document is None for item in items) == len(BROKEN)
    return items


@pytest.fixture(scope="module")
def local_run(inputs, nlp) -> list[Outcome]:
    from diplograph.engine import local_outcomes

    return list(local_outcomes(inputs, jobs=1))


@pytest.fixture(scope="module")
def dask_run(inputs) -> list[Outcome]:
    from diplograph.engine import dask_outcomes

    return list(dask_outcomes(inputs, workers=2))


def outcome_view(outcome: Outcome) -> tuple:
    """What a user gets from one outcome: its label, its records or its error line."""
    records = list(outcome.extraction.records()) if outcome.ok else None
    return outcome.label, outcome.error, records


@pytest.mark.slow
def test_dask_outcomes_equal_local_ones(local_run, dask_run, inputs):
    assert [o.label for o in dask_run] == [item.label for item in inputs]  # input order, nothing lost
    assert [outcome_view(o) for o in dask_run] == [outcome_view(o) for o in local_run]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_inputs_fail_alone_with_their_reason(dask_run, name):
    failed = [o for o in dask_run if o.label.endswith(name)]
    assert len(failed) == 1 and not failed[0].ok and failed[0].error
    assert sum(o.ok for o in dask_run) == len(REPORTS)


@pytest.mark.slow
def test_sample_yields_records_worth_comparing(local_run):
    """Guard against a vacuous comparison: the sample must produce events and figures."""
    extractions = [o.extraction for o in local_run if o.ok]
    assert sum(len(e.events) for e in extractions) >= len(REPORTS)
    assert sum(len(e.quantities) for e in extractions) >= 2


@pytest.mark.slow
def test_knowledge_base_is_the_same_from_either_engine(local_run, dask_run, tmp_path):
    store_module = pytest.importorskip("diplograph.store", reason="the knowledge base (helper A's Store) is absent")
    dumps = []
    for engine, run in (("local", local_run), ("dask", dask_run)):
        store = store_module.Store(f"sqlite:///{tmp_path / f'{engine}.db'}")
        with store:
            for outcome in run:
                if outcome.ok:
                    store.ingest(outcome.extraction)
            dumps.append(dump_tables(store.engine))
    local_dump, dask_dump = dumps
    assert local_dump["documents"] and local_dump["events"]
    assert dask_dump == local_dump


# Columns that record when a row was written, not what it says.
VOLATILE_COLUMNS = {"ingested_at"}


def dump_tables(engine) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the write-time columns."""
    from sqlalchemy import select

    from diplograph.store.schema import metadata

    dump = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [column for column in table.columns if column.name not in VOLATILE_COLUMNS]
            rows = conn.execute(select(*columns)).all()
            dump[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return dump


@pytest.mark.slow
@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "not a scheduler address::", "tcp://127.0.0.1",
                                     "tcp://scheduler.invalid:8786"])
def test_unreachable_scheduler_is_one_clear_line(address):
    from diplograph.engine import dask_outcomes

    started = time.monotonic()
    with pytest.raises(DiplographError) as caught:
        list(dask_outcomes([Item("x", error="unused")], scheduler=address, connect_timeout=1))
    message = str(caught.value)
    assert "\n" not in message and "Dask scheduler" in message and address in message
    assert time.monotonic() - started < 15


@pytest.mark.slow
def test_closing_early_stops_the_cluster(inputs):
    """A caller that stops reading (a full disk, Ctrl-C) must not leave worker processes behind."""
    from diplograph.engine import dask_outcomes

    before = {child.pid for child in psutil.Process().children(recursive=True)}
    before |= resource_trackers()  # multiprocessing's helper stays for the life of this process
    stream = dask_outcomes(inputs, workers=1)
    assert next(stream).label == inputs[0].label
    assert {child.pid for child in psutil.Process().children(recursive=True)} - before  # a worker is up
    stream.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = {c.pid for c in psutil.Process().children(recursive=True) if c.is_running()}
        alive -= before | resource_trackers()
        if not alive:
            break
        time.sleep(0.2)
    assert not alive


def resource_trackers() -> set[int]:
    trackers = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if any("resource_tracker" in part for part in child.cmdline()):
                trackers.add(child.pid)
        except psutil.Error:
            pass
    return trackers


@pytest.mark.parametrize("engine, expected", [("local", "local_outcomes"), ("dask", "dask_outcomes")])
def test_outcomes_dispatches_to_the_named_engine(monkeypatch, engine, expected):
    import diplograph.engine as engine_module

    called = []
    monkeypatch.setattr(engine_module, expected, lambda items, *args, **kwargs: called.append(expected) or [])
    assert list(engine_module.outcomes([], engine=engine, jobs=2)) == []
    assert called == [expected]


def test_unknown_engine_is_refused():
    from diplograph.engine import outcomes

    with pytest.raises(DiplographError, match="unknown engine 'spark'"):
        outcomes([], engine="spark")


@pytest.mark.slow
def test_a_large_batch_travels_without_dask_advice(recwarn):
    """A long document makes a large task; the user must not get Dask's lines about large graphs."""
    from diplograph.engine import dask_outcomes

    big = Item("huge.txt", error="too long to extract", detail="x" * 12_000_000)
    outcomes = list(dask_outcomes([big, Item("second.txt", error="empty")], workers=1))
    assert [(o.label, o.error) for o in outcomes] == [("huge.txt", "too long to extract"), ("second.txt", "empty")]
    assert not [w for w in recwarn if "large graph" in str(w.message)]


@pytest.mark.slow
def test_the_local_cluster_leaves_this_process_environment_as_it_was(dask_run):
    """Dask's nannies set OMP_NUM_THREADS & co. in the parent; later code here must not inherit them."""
    assert dask_run  # a cluster has come and gone in this process
    assert os.environ.get("MALLOC_TRIM_THRESHOLD_") == ENVIRON_AT_IMPORT.get("MALLOC_TRIM_THRESHOLD_")
    assert os.environ.get("OMP_NUM_THREADS") == ENVIRON_AT_IMPORT.get("OMP_NUM_THREADS")


def test_nothing_to_extract_starts_no_cluster(monkeypatch):
    """A resumed ingest whose documents are all stored must not pay for a cluster."""
    import diplograph.engine as engine_module

    monkeypatch.setattr(engine_module, "DaskEngine", lambda *args, **kwargs: pytest.fail("a cluster was started"))
    assert list(engine_module.dask_outcomes([], scheduler="tcp://127.0.0.1:9")) == []
