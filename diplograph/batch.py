"""Extraction over many inputs: in this process or in N worker processes, streamed.

Each input ends as one ``Outcome``: its extraction, or one line saying why it failed.
A failure never stops the batch. Documents travel in small batches so spaCy's
``nlp.pipe`` batching is used and memory stays flat however large the corpus; a very
long text is parsed in pieces and joined back into one ``Doc`` with the same offsets.
"""
from __future__ import annotations

import multiprocessing
import traceback
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from diplograph.errors import DiplographError, InputError
from diplograph.model import Extraction
from diplograph.read.formats import MAX_CHARS, Item, Warn, read_inputs

# A batch closes at this many documents or characters, whichever comes first.
BATCH_DOCS = 4
BATCH_CHARS = 100_000
# Texts longer than this are parsed in pieces of about this size (spaCy's memory grows with length).
CHUNK_CHARS = 100_000
# Batches waiting on the workers, per worker: enough to keep them busy, few enough to stay flat.
PENDING_PER_WORKER = 2
DEBUG_HINT = "rerun with --debug for the traceback"


@dataclass(slots=True)
class Outcome:
    """What became of one input: an extraction, or an error line (and a traceback for --debug)."""

    label: str
    extraction: Optional[Extraction] = None
    error: Optional[str] = None
    detail: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _ignore(label: str, message: str) -> None:
    """Default ``Warn``: a library caller that passes no callback hears nothing."""


def run_batch(paths: Iterable[str], date: Optional[str] = None, jobs: int = 1,
              warn: Warn = _ignore, max_chars: int = MAX_CHARS) -> Iterator[Outcome]:
    """Read and extract every input, yielding one ``Outcome`` per document, in input order.

    paths (Iterable[str]): files (txt, html, pdf, jsonl, jsonl.gz) or ``-`` for stdin.
    date (str | None): EDTF date for every document, overriding datelines and metadata.
    jobs (int): worker processes; 1 runs in this process.
    warn (Warn): called with (input, message) for problems worked around.
    max_chars (int): documents longer than this fail with a reason (0: no limit).
    RETURNS (Iterator[Outcome]): streamed; raises DiplographError only when nothing can
        run at all (the spaCy model is missing).
    """
    return extract_items(read_inputs(paths, date=date, warn=warn, max_chars=max_chars), jobs=jobs)


def extract_items(items: Iterable[Item], jobs: int = 1) -> Iterator[Outcome]:
    """One ``Outcome`` per item, in order; ``jobs`` > 1 spreads batches over worker processes."""
    if jobs <= 1:
        for batch in batches(items):
            yield from extract_batch(batch)
    else:
        with WorkerPool(jobs) as pool:
            yield from pool.extract(batches(items))


def batches(items: Iterable[Item], max_docs: int = BATCH_DOCS,
            max_chars: int = BATCH_CHARS) -> Iterator[list[Item]]:
    """Items grouped for ``nlp.pipe``, keeping their order (failed items ride along)."""
    batch: list[Item] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item.document.text) if item.document else 0
        if len(batch) >= max_docs or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def extract_batch(batch: list[Item]) -> list[Outcome]:
    """Parse the batch's documents together, then run the stages on each, one failure apiece."""
    from diplograph.nlp import load_nlp

    nlp = load_nlp()
    docs = parse_texts(nlp, [item.document.text for item in batch if item.document])
    outcomes = []
    for item in batch:
        if item.document is None:
            outcomes.append(Outcome(item.label, error=item.error, detail=item.detail))
        else:
            outcomes.append(_run_stages(item, next(docs)))
    return outcomes


def _run_stages(item: Item, parsed) -> Outcome:
    """The extraction of one parsed document; any error becomes this input's one line."""
    from diplograph.pipeline import run_stages

    try:
        if isinstance(parsed, BaseException):
            raise parsed
        return Outcome(item.label, extraction=run_stages(item.document, parsed))
    except InputError as err:
        return Outcome(item.label, error=err.reason)
    except DiplographError as err:
        return Outcome(item.label, error=str(err))
    except (MemoryError, RecursionError) as err:
        return Outcome(item.label, error=f"too large to process ({type(err).__name__})")
    except Exception as err:  # one bad document must not stop the batch
        return Outcome(item.label, error=f"internal error ({type(err).__name__}: {_first_line(err)}); "
                                         f"{DEBUG_HINT}", detail=_traceback(err))


def parse_texts(nlp, texts: list[str]) -> Iterator[object]:
    """A spaCy ``Doc`` per text, in order (or the exception that text raised).

    Short texts go through ``nlp.pipe`` together; long ones are parsed in pieces. If the
    batch fails, each text is parsed alone so only the culprit fails.
    """
    short = [text for text in texts if len(text) <= CHUNK_CHARS]
    try:
        parsed_short = iter(list(nlp.pipe(short, batch_size=max(len(short), 1))))
    except Exception:
        parsed_short = iter([_parse_alone(nlp, text) for text in short])
    for text in texts:
        if len(text) <= CHUNK_CHARS:
            yield next(parsed_short)
        else:
            yield _parse_alone(nlp, text)


def _parse_alone(nlp, text: str):
    try:
        return parse_long(nlp, text) if len(text) > CHUNK_CHARS else nlp(text)
    except Exception as err:
        return err


def parse_long(nlp, text: str, chunk_chars: int = CHUNK_CHARS):
    """One ``Doc`` for a long text, parsed in whitespace-ended pieces and joined.

    ``Doc.from_docs`` keeps character offsets when each piece ends in whitespace; if the
    joined text differs from the original anyway, the text is parsed whole.
    """
    from spacy.tokens import Doc

    pieces = list(split_text(text, chunk_chars))
    if len(pieces) == 1:
        return nlp(text)
    joined = Doc.from_docs(list(nlp.pipe(pieces, batch_size=4)), ensure_whitespace=True)
    return joined if joined.text == text else nlp(text)


def split_text(text: str, chunk_chars: int = CHUNK_CHARS) -> Iterator[str]:
    """Pieces of ``text`` of at most about ``chunk_chars``, cut after a paragraph break if
    one is near, else after a line break, a sentence end or a space."""
    start = 0
    while len(text) - start > chunk_chars:
        window_start, window_end = start + chunk_chars // 2, start + chunk_chars
        cut = -1
        for boundary in ("\n\n", "\n", ". ", " "):
            found = text.rfind(boundary, window_start, window_end)
            if found >= 0:
                cut = found + len(boundary)
                break
        if cut < 0:  # no whitespace in the window: let spaCy take the rest whole
            break
        yield text[start:cut]
        start = cut
    yield text[start:]


# --- worker processes -------------------------------------------------------------------------

def _init_worker() -> None:
    """Load the model once per worker; a missing model is reported by the first batch.

    Ctrl-C is the main process's to handle: workers ignore it rather than print tracebacks.
    """
    import signal

    from diplograph.nlp import load_nlp

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    try:
        load_nlp()
    except DiplographError:
        pass


def _ready() -> bool:
    """A task that only proves a worker is up (its initializer has loaded the model)."""
    return True


class WorkerPool:
    """Worker processes that each load the model once and extract batches of items.

    Results come back in input order with a bounded queue ahead of them, so memory
    stays flat; a worker that dies fails its own batch and the pool is restarted.
    """

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.context = multiprocessing.get_context("spawn")  # no fork: safe beside threads
        self.executor = self._start()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=self.context, initializer=_init_worker)

    def warm(self) -> None:
        """Start every worker now (model loaded), so timings leave start-up out."""
        for future in [self.executor.submit(_ready) for _ in range(self.jobs)]:
            future.result()

    def extract(self, item_batches: Iterable[list[Item]]) -> Iterator[Outcome]:
        pending: deque[tuple[list[Item], Future]] = deque()
        for batch in item_batches:
            pending.append((batch, self.executor.submit(extract_batch, batch)))
            while len(pending) >= self.jobs * PENDING_PER_WORKER:
                yield from self._collect(pending)
        while pending:
            yield from self._collect(pending)

    def _collect(self, pending: deque) -> list[Outcome]:
        """The oldest batch's outcomes; a crashed worker fails that batch and the pool restarts."""
        batch, future = pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            reason = "the worker process died (out of memory?); try it alone or with -j 1"
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._start()
            resubmitted = [(b, self.executor.submit(extract_batch, b)) for b, _ in pending]
            pending.clear()
            pending.extend(resubmitted)
            return [Outcome(item.label, error=item.error or reason, detail=item.detail) for item in batch]


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else "no message"


def _traceback(err: BaseException) -> str:
    return "".join(traceback.format_exception(type(err), err, err.__traceback__))
