"""Where extraction runs: this machine's processes (``local``) or a Dask cluster (``dask``).

Both engines take the same ``Item`` stream and give the same ``Outcome`` stream, in input
order, so the knowledge base an ingest builds does not depend on the engine. The Dask
engine ships the batches of ``diplograph.batch.batches`` to the workers, each running
``diplograph.batch.extract_batch``; a worker loads the spaCy model once (``load_nlp`` is
cached per process). Only a few batches are in flight at a time, so memory stays flat
however long the corpus. Without a scheduler address a ``LocalCluster`` on the loopback
interface is started and closed again; with one, its workers must have diplograph and
the model installed.
"""
from __future__ import annotations

import itertools
import logging
import os
from collections import deque
from contextlib import suppress
from typing import Iterable, Iterator, Optional

from diplograph.batch import PENDING_PER_WORKER, Outcome, batches, extract_batch, extract_items
from diplograph.errors import DiplographError
from diplograph.read.formats import Item

ENGINES = ("local", "dask")
# Seconds to wait for a scheduler to answer, and for it to have a worker, before giving up.
CONNECT_TIMEOUT = 10.0
# Batches are at most a few long documents (MAX_CHARS each): never worth Dask's warning.
LARGE_TASK = "4GB"
WORKER_DIED = "the Dask worker running it died (out of memory?); try it alone or with --engine local"


def outcomes(items: Iterable[Item], engine: str = "local", jobs: int = 1,
             scheduler: Optional[str] = None) -> Iterator[Outcome]:
    """One ``Outcome`` per item, in input order, from the chosen engine.

    engine (str): ``local`` (``jobs`` processes on this machine) or ``dask`` (``jobs``
        workers of a local cluster, or the cluster at ``scheduler``).
    """
    if engine == "local":
        return local_outcomes(items, jobs)
    if engine == "dask":
        return dask_outcomes(items, scheduler=scheduler, workers=max(jobs, 1))
    raise DiplographError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")


def local_outcomes(items: Iterable[Item], jobs: int = 1) -> Iterator[Outcome]:
    """The local engine: in this process (``jobs`` <= 1) or over ``jobs`` worker processes."""
    return extract_items(items, jobs=jobs)


def dask_outcomes(items: Iterable[Item], scheduler: Optional[str] = None, workers: int = 2,
                  connect_timeout: float = CONNECT_TIMEOUT) -> Iterator[Outcome]:
    """The Dask engine: one ``Outcome`` per item, in input order; the cluster is closed at the
    end, or when the caller closes this generator early.

    scheduler (str | None): address of a running scheduler (``tcp://host:8786``); None starts
        a LocalCluster of ``workers`` single-threaded processes on 127.0.0.1.
    workers (int): processes of the local cluster (ignored with a scheduler).
    connect_timeout (float): seconds before an unreachable scheduler is reported.
    Raises DiplographError (one line) when the scheduler cannot be reached or has no worker,
    or when the workers cannot extract at all (the spaCy model is missing there).
    """
    item_batches = batches(items)
    first = next(item_batches, None)
    if first is None:  # nothing to extract (a resumed ingest with every document stored): no cluster
        return
    with DaskEngine(scheduler, workers, connect_timeout) as engine:
        engine.warm()
        yield from engine.extract(itertools.chain([first], item_batches))


class DaskEngine:
    """A Dask client (and the LocalCluster it owns, if any) that extracts batches of items.

    Kept as a class so a benchmark can start and warm the cluster before it times the work.
    """

    def __init__(self, scheduler: Optional[str] = None, workers: int = 2,
                 connect_timeout: float = CONNECT_TIMEOUT):
        self.scheduler = scheduler
        self.connect_timeout = connect_timeout
        self.cluster = None
        self._environ = dict(os.environ)  # Dask's nannies set OMP_NUM_THREADS & co. here; undone on close
        self.client = self._connect(scheduler, max(workers, 1))

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connect(self, scheduler: Optional[str], workers: int):
        """A client of the given scheduler, or of a new LocalCluster; a failure is one line."""
        from distributed import Client, LocalCluster

        if scheduler is None:
            try:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address=None,
                                            # its HTTP routes on a free port: two ingests at once must not clash
                                            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                            silence_logs=logging.ERROR)
                return Client(self.cluster)
            except Exception as err:
                self.close()
                raise DiplographError(f"could not start a local Dask cluster ({_first_line(err)}); "
                                      f"use --engine local") from err
        _probe(scheduler, self.connect_timeout)
        try:
            return Client(scheduler, timeout=self.connect_timeout)
        except (OSError, TimeoutError):
            raise DiplographError(f"no Dask scheduler answered at {scheduler!r} within {self.connect_timeout:g} s; "
                                  f"check the address, or leave out --scheduler for a local cluster") from None
        except Exception as err:  # something answers there, in another protocol
            raise DiplographError(f"what answers at {scheduler!r} is not a Dask scheduler ({type(err).__name__}); "
                                  f"check the address, or leave out --scheduler for a local cluster") from None

    def warm(self) -> None:
        """Wait for a worker and load the model on every worker now, so a missing model is one
        error up front rather than one per batch, and timings leave start-up out."""
        try:
            self.client.wait_for_workers(1, timeout=self.connect_timeout)
        except TimeoutError:
            raise DiplographError(f"the Dask scheduler at {self.scheduler!r} has no workers; start some with "
                                  f"`dask worker {self.scheduler}`") from None
        self.client.run(_load_model)

    @property
    def in_flight(self) -> int:
        """Batches kept ahead of the results: enough to keep every worker thread busy."""
        threads = sum(self.client.nthreads().values()) or 1
        return threads * PENDING_PER_WORKER

    def extract(self, item_batches: Iterable[list[Item]]) -> Iterator[Outcome]:
        """The outcomes of every batch, in order, with a bounded number of batches submitted."""
        pending: deque = deque()
        limit = self.in_flight
        try:
            for batch in item_batches:
                pending.append((batch, self._submit(batch)))
                while len(pending) >= limit:
                    yield from self._collect(pending.popleft())
            while pending:
                yield from self._collect(pending.popleft())
        finally:
            for _, future in pending:  # stopped early: drop the work not collected
                future.cancel()

    def _submit(self, batch: list[Item]):
        """Send one batch to the cluster. A long document makes a large task by nature, so Dask's
        advice on large graphs (several lines on stderr) is not for us."""
        import dask

        with dask.config.set({"distributed.admin.large-graph-warning-threshold": LARGE_TASK}):
            return self.client.submit(extract_batch, batch, pure=False)

    def _collect(self, submitted: tuple) -> list[Outcome]:
        """The oldest batch's outcomes; a batch whose worker died fails on its own, like locally."""
        from distributed import KilledWorker

        batch, future = submitted
        try:
            return future.result()
        except KilledWorker:
            reason = WORKER_DIED
        except DiplographError:  # nothing can run on the workers (the model is missing)
            raise
        except Exception as err:  # the batch could not travel or run; its documents fail, the rest go on
            reason = f"the Dask engine failed on this batch ({type(err).__name__}: {_first_line(err)})"
        return [Outcome(item.label, error=item.error or reason, detail=item.detail) for item in batch]

    def close(self) -> None:
        """Close the client and, when this engine started it, the local cluster."""
        client, self.client = getattr(self, "client", None), None
        cluster, self.cluster = self.cluster, None
        for resource in (client, cluster):
            if resource is not None:
                with suppress(Exception):  # closing must not hide the error that got us here
                    resource.close()
        if cluster is not None:
            _restore_environ(self._environ)


def _restore_environ(saved: dict[str, str]) -> None:
    """Put back the variables a LocalCluster changed in this process, so what runs after it here
    (a -j N pool, the caller's own code) keeps its thread and allocator settings."""
    for name in set(os.environ) - set(saved):
        del os.environ[name]
    for name, value in saved.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


def _probe(scheduler: str, timeout: float) -> None:
    """Fail in one line on a malformed or unreachable address before a Client is made: a Client
    that fails to connect leaves Dask's shared event loop unusable for a while."""
    import socket

    from distributed.comm import get_address_host_port

    try:
        host, port = get_address_host_port(scheduler)
    except (ValueError, TypeError) as err:
        raise DiplographError(f"{scheduler!r} is not a Dask scheduler address ({_first_line(err)}); "
                              f"give one like tcp://HOST:8786") from None
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as err:
        reason = err.strerror or _first_line(err) if not isinstance(err, TimeoutError) else "timed out"
        raise DiplographError(f"cannot reach the Dask scheduler at {scheduler!r} ({reason}); check the "
                              f"address, or leave out --scheduler for a local cluster") from None


def _load_model() -> bool:
    """Run on every worker: load (and cache) the spaCy model in that process."""
    from diplograph.nlp import load_nlp

    load_nlp()
    return True


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0][:200] if lines else type(err).__name__
