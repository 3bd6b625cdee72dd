"""Ingest jobs: an upload is extracted and stored in the background while the page polls its progress.

One worker thread does every write (the store's single writer); a job moves through
``queued -> running -> done | failed`` and its ``stage`` says what it is doing, so a
page can draw a progress bar. Only the last ``KEEP`` jobs are remembered.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Callable, Optional

from diplograph.errors import DiplographError, InputError
from diplograph.model import Document, Extraction

KEEP = 200
# Stages and how far along each one is, for the progress bar.
STAGES = {"queued": 0.0, "reading": 0.05, "loading the language model": 0.1, "extracting": 0.3,
          "storing": 0.85, "done": 1.0}

Extractor = Callable[[Document], Extraction]


def extract_document(document: Document) -> Extraction:
    """The real extraction, as ``diplograph ingest`` does it; raises DiplographError with its one line."""
    from diplograph.batch import extract_batch
    from diplograph.read.formats import Item

    outcome = extract_batch([Item(document.id, document)])[0]
    if not outcome.ok:
        raise DiplographError(outcome.error)
    return outcome.extraction


def model_loaded() -> bool:
    from diplograph.nlp import load_nlp

    return load_nlp.cache_info().currsize > 0


@dataclass
class Job:
    """What the page polls: ``status``, ``stage``, ``progress`` (0..1), and at the end the stored
    ``document`` and ``result`` (added, replaced, skipped) or the ``error``."""

    id: str
    label: str
    status: str = "queued"
    stage: str = "queued"
    progress: float = 0.0
    document: Optional[str] = None
    result: Optional[str] = None
    error: Optional[str] = None
    created: float = field(default_factory=time.time)
    finished: Optional[float] = None

    def as_dict(self) -> dict:
        return asdict(self)


class IngestJobs:
    """The background ingest queue of one app.

    store (Store): where documents go.
    extract (Callable): Document -> Extraction (the spaCy pipeline by default; tests give a fast one).
    """

    def __init__(self, store, extract: Optional[Extractor] = None):
        self.store = store
        self.extract = extract or extract_document
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="diplograph-ingest")

    def submit(self, label: str, read: Callable[[], tuple[Document, str]]) -> dict:
        """Queue one document: ``read()`` gives it and its name (or raises InputError). RETURNS the job."""
        job = Job(id=uuid.uuid4().hex, label=label)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)
            snapshot = job.as_dict()
        self._executor.submit(self._run, job, read)
        return snapshot

    def get(self, job_id: str) -> Optional[dict]:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.as_dict() if job else None

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _stage(self, job: Job, stage: str, **fields) -> None:
        with self._lock:
            job.stage = stage
            job.progress = STAGES.get(stage, job.progress)
            for name, value in fields.items():
                setattr(job, name, value)

    def _run(self, job: Job, read: Callable[[], tuple[Document, str]]) -> None:
        from diplograph.store import StoreError
        from diplograph.web.queries import name_for_text

        try:
            self._stage(job, "reading", status="running")
            document, name = read()
            stored = name_for_text(self.store, document.text)
            if stored is not None:  # the same text is stored already: nothing to extract
                self._finish(job, document=stored, result="skipped")
                return
            if self.extract is extract_document and not model_loaded():
                self._stage(job, "loading the language model")
            self._stage(job, "extracting")
            extraction = self.extract(document)
            self._stage(job, "storing")
            result = self.store.ingest(extraction, name=name)
            self._finish(job, document=result.name, result=result.status)
        except InputError as err:
            self._fail(job, err.reason)
        except (DiplographError, StoreError) as err:
            self._fail(job, str(err))
        except Exception as err:  # a bug must cost this document only, and say so in one line
            first = (str(err).strip().splitlines() or ["no message"])[0][:200]
            self._fail(job, f"internal error ({type(err).__name__}: {first})")

    def _finish(self, job: Job, **fields) -> None:
        self._stage(job, "done", status="done", finished=time.time(), **fields)

    def _fail(self, job: Job, error: str) -> None:
        with self._lock:
            job.status, job.error, job.finished = "failed", error, time.time()
