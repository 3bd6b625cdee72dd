"""Input formats -> ``Document``: plain text, HTML, PDF, JSON Lines corpora and stdin.

Every reader raises ``InputError(source, reason)`` with a reason a user can act on; a
corpus reports a broken line as its own failed item and goes on with the next line.
Texts are kept exactly as decoded (no newline translation, no stripping) because
record offsets index into them.
"""
from __future__ import annotations

import gzip
import json
import logging
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional

from diplograph.errors import InputError
from diplograph.model import Document
from diplograph.read.dateline import make_document, normalise_date

# warn(input_label, message): how readers report a problem they worked around.
Warn = Callable[[str, str], None]

STDIN = "-"
STDIN_LABEL = "<stdin>"
# Bytes that cannot be UTF-8 above this share mean the file is not text at all.
MAX_BAD_BYTE_SHARE = 0.05
# Control, unassigned or private-use characters above this share of a sample: not text.
MAX_NONTEXT_SHARE = 0.02
_NONTEXT_CATEGORIES = {"Cc", "Cn", "Co", "Cs"}
# Longest document parsed by default: about 850,000 words, some 5 GB of parse at peak; a 20 MB
# text is refused with a reason rather than run for most of an hour.
MAX_CHARS = 5_000_000
_SAMPLE_CHARS = 65536
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_SUFFIX_FORMATS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html",
                   ".xhtml": "html", ".pdf": "pdf", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(slots=True)
class Item:
    """One unit of work from the inputs: a document to extract, or why an input failed.

    label names the input in messages: the path as given, ``PATH:LINE`` for a corpus
    line, ``<stdin>``.
    """

    label: str
    document: Optional[Document] = None
    error: Optional[str] = None
    detail: Optional[str] = None  # traceback of an unexpected error, for --debug


def _ignore(label: str, message: str) -> None:
    """Default ``Warn``: readers used as a library stay quiet."""


def read_inputs(paths: Iterable[str], date: Optional[str] = None, warn: Warn = _ignore,
                max_chars: int = MAX_CHARS) -> Iterator[Item]:
    """Every document of every input, in order, one at a time (a corpus is streamed).

    paths (Iterable[str]): file paths, or ``-`` for stdin.
    date (str | None): EDTF date that overrides every other source of the document date.
    warn (Warn): called for problems worked around, e.g. invalid UTF-8 replaced.
    max_chars (int): longer documents are refused with a reason (parsing one costs memory
        in proportion to its length); 0 lifts the limit.
    RETURNS (Iterator[Item]): a document or an error for each input (each corpus line).
    """
    for path in paths:
        label = STDIN_LABEL if path == STDIN else path
        try:
            for item in _read_one(path, label, date, warn):
                yield _within_limit(item, max_chars)
        except InputError as err:
            yield Item(label=err.source, error=err.reason)
        except Exception as err:  # a reader bug must cost this input only
            yield _unexpected(label, err)


def _within_limit(item: Item, max_chars: int) -> Item:
    """The item, or its refusal when the text is longer than one parse should hold."""
    if item.document is None or not max_chars or len(item.document.text) <= max_chars:
        return item
    return Item(label=item.label, error=(
        f"{len(item.document.text):,} characters is over the limit of {max_chars:,} for one document; "
        f"split the text or raise the limit with --max-chars"))


def _unexpected(label: str, err: Exception) -> Item:
    """An error no reader foresaw, as one line (the traceback kept for --debug)."""
    import traceback

    message = (str(err).strip().splitlines() or ["no message"])[0][:200]
    return Item(label, error=f"internal error while reading ({type(err).__name__}: {message}); "
                             "rerun with --debug for the traceback",
                detail="".join(traceback.format_exception(type(err), err, err.__traceback__)))


def _read_one(path: str, label: str, date: Optional[str], warn: Warn) -> Iterator[Item]:
    """The documents of one input; raises ``InputError`` when the input is unreadable."""
    if path == STDIN:
        data = sys.stdin.buffer.read()
        yield Item(label, _document_from_bytes(data, label, "stdin", "stdin", date, warn))
        return
    file = _check_file(Path(path), label)
    kind = input_format(file)
    if kind == "jsonl":
        yield from read_corpus(file, label, date, warn)
        return
    data = _read_bytes(file, label)
    yield Item(label, _document_from_bytes(data, label, file.stem, file.name, date, warn, kind))


def input_format(path: Path) -> str:
    """``text``, ``html``, ``pdf`` or ``jsonl`` by file name; other names are sniffed later."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-2:] in ([".jsonl", ".gz"], [".ndjson", ".gz"]):
        return "jsonl"
    return _SUFFIX_FORMATS.get(suffixes[-1] if suffixes else "", "sniff")


def _check_file(path: Path, label: str) -> Path:
    if not path.exists():
        raise InputError(label, "no such file")
    if path.is_dir():
        raise InputError(label, "is a directory; give the files in it (e.g. DIR/*.txt)")
    if not path.is_file():
        raise InputError(label, "not a regular file")
    return path


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError(label, "permission denied") from None
    except OSError as err:
        raise InputError(label, f"cannot read: {err.strerror or err}") from None


def _document_from_bytes(data: bytes, label: str, doc_id: str, source: str, date: Optional[str],
                         warn: Warn, kind: str = "sniff") -> Document:
    """A document from a whole file's bytes, by its format (sniffed from the bytes if unknown)."""
    if kind == "sniff":
        kind = _sniff(data)
    if kind == "pdf":
        return read_pdf(data, label, doc_id, source, date)
    text = decode_text(data, label, warn)
    if kind == "html":
        return read_html(text, label, doc_id, source, date)
    _require_text(text, label)
    return make_document(text, doc_id=doc_id, date=date, source=source)


def _sniff(data: bytes) -> str:
    """The format of bytes with no telling file name: PDF and HTML by their first bytes."""
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def decode_text(data: bytes, label: str, warn: Warn = _ignore) -> str:
    """Bytes -> text: UTF-8 (or UTF-16/32 with a byte order mark), else ``InputError`` binary.

    Invalid UTF-8 in a text that is otherwise fine is replaced with U+FFFD and reported
    with ``warn``, so one stray Latin-1 byte does not lose a document.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _require_characters(data.decode(encoding), label)
            except UnicodeDecodeError:
                raise InputError(label, f"binary file (not valid {encoding.upper()} text)") from None
    if b"\x00" in data:
        raise InputError(label, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad > MAX_BAD_BYTE_SHARE * max(len(data), 1):
            raise InputError(label, "binary file (not UTF-8 text)") from None
        warn(label, f"invalid UTF-8 at byte {err.start}; {bad} undecodable "
                    f"byte sequence{'s' if bad != 1 else ''} replaced with U+FFFD")
    return _require_characters(text, label)


def _require_characters(text: str, label: str) -> str:
    """``text`` unless a sample of it is full of control or unassigned characters (binary)."""
    sample = text[:_SAMPLE_CHARS]
    nontext = sum(1 for char in sample if unicodedata.category(char) in _NONTEXT_CATEGORIES
                  and char not in "\t\n\r\f\v")
    if nontext > MAX_NONTEXT_SHARE * len(sample):
        raise InputError(label, "binary file (control characters), not text")
    return text


def _require_text(text: str, label: str) -> None:
    if not text.strip():
        raise InputError(label, "empty file" if not text else "no text (whitespace only)")


# --- HTML -----------------------------------------------------------------------------------

_META_DATE_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//time[@datetime]/@datetime",
)


def read_html(html: str, label: str, doc_id: str, source: Optional[str], date: Optional[str]) -> Document:
    """The main text of a page (trafilatura, offline), its title and publication date.

    Scripts, styles, navigation and boilerplate are left out; paragraphs are separated
    by a blank line so later stages see them as paragraphs.
    """
    import lxml.html
    import trafilatura

    _quiet_libraries()
    if not html.strip():
        raise InputError(label, "empty file" if not html else "no text (whitespace only)")
    try:
        tree = lxml.html.document_fromstring(html)
    except Exception as err:  # lxml raises several unrelated types for unparsable markup
        raise InputError(label, f"not readable HTML ({type(err).__name__})") from None
    meta_date = _html_meta_date(tree)
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                            favor_recall=True,
                                            date_extraction_params={"extensive_search": False})
    text = getattr(extracted, "text", None) or ""
    if not text.strip():  # pages too short for trafilatura's main-text heuristics
        text = trafilatura.html2txt(html) or ""
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    if not text:
        raise InputError(label, "no text found in the HTML page")
    title = getattr(extracted, "title", None) or _html_title(tree)
    meta_date = meta_date or normalise_date(getattr(extracted, "date", None))
    return make_document(text, doc_id=doc_id, date=date, source=source, title=title,
                         meta_date=meta_date, meta_date_source="html" if meta_date else None)


def _html_meta_date(tree) -> Optional[str]:
    """The publication date the page declares, in the order publishers use them."""
    for xpath in _META_DATE_XPATHS:
        for value in tree.xpath(xpath):
            date = normalise_date(str(value))
            if date:
                return date
    return None


def _html_title(tree) -> Optional[str]:
    titles = tree.xpath("//title/text()")
    return titles[0].strip() or None if titles else None


# --- PDF ------------------------------------------------------------------------------------

def read_pdf(data: bytes, label: str, doc_id: str, source: Optional[str], date: Optional[str]) -> Document:
    """The text layer of a PDF, pages separated by a blank line; scans need OCR first."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    _quiet_libraries()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(label, "encrypted PDF; decrypt it first")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise InputError(label, f"not a readable PDF ({type(err).__name__}: {err})") from None
    text = "\n\n".join(page.strip("\n") for page in pages if page.strip())
    if not text.strip():
        raise InputError(label, "PDF has no text layer (a scan?); run OCR on it first")
    return make_document(text, doc_id=doc_id, date=date, source=source,
                         title=str(title).strip() or None if title else None)


# --- JSON Lines corpora ------------------------------------------------------------------------

def read_corpus(path: Path, label: str, date: Optional[str] = None, warn: Warn = _ignore) -> Iterator[Item]:
    """One document per line of ``{"id", "text", "date"?, "title"?, "source"?}``, streamed.

    A broken line becomes a failed ``Item`` named ``PATH:LINE`` and reading goes on; a
    corrupt gzip stream ends the file with an ``InputError`` after the lines already read.
    """
    lineno = 0
    try:
        with _open_corpus(path, label) as stream:
            for lineno, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                try:
                    yield _corpus_item(raw, f"{label}:{lineno}", path, lineno, date, warn)
                except Exception as err:  # a bug on one line must not lose the rest
                    yield _unexpected(f"{label}:{lineno}", err)
    except (OSError, EOFError, zlib.error) as err:
        where = f"after line {lineno}" if lineno else "at the start"
        raise InputError(label, f"corrupt or truncated file {where} ({err})") from None


def _open_corpus(path: Path, label: str) -> BinaryIO:
    try:
        if path.suffix.lower() == ".gz":
            return gzip.open(path, "rb")
        return path.open("rb")
    except PermissionError:
        raise InputError(label, "permission denied") from None


def _corpus_item(raw: bytes, label: str, path: Path, lineno: int, date: Optional[str], warn: Warn) -> Item:
    """The document of one corpus line, or the reason the line cannot be one."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.decode("utf-8", errors="replace")
        warn(label, f"invalid UTF-8 at byte {err.start} of the line; replaced with U+FFFD")
    try:
        record = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as err:
        return Item(label, error=f"broken JSON line: {err.msg} (column {err.colno})")
    if not isinstance(record, dict):
        return Item(label, error="line is not a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        return Item(label, error='no "text" string on this line')
    if not text.strip():
        return Item(label, error='empty "text"')
    doc_id = record.get("id")
    doc_id = str(doc_id) if isinstance(doc_id, (str, int)) and str(doc_id) else f"{_corpus_name(path)}-{lineno}"
    meta_date = normalise_date(record.get("date"))
    if record.get("date") not in (None, "") and meta_date is None:
        warn(label, f'"date" {record.get("date")!r} is not a calendar date; ignored')
    title = record.get("title") if isinstance(record.get("title"), str) else None
    source = record.get("source") if isinstance(record.get("source"), str) else f"{path.name}:{lineno}"
    document = make_document(text, doc_id=doc_id, date=date, source=source, title=title,
                             meta_date=meta_date, meta_date_source="corpus" if meta_date else None)
    return Item(label, document)


def _corpus_name(path: Path) -> str:
    """``news`` for ``news.jsonl.gz``: the name ids of lines without one are made from."""
    name = path.name
    for suffix in (".gz", ".jsonl", ".ndjson"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or path.name


def _quiet_libraries() -> None:
    """pypdf and trafilatura log recoverable oddities; users get our one line instead."""
    for name in ("pypdf", "trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.ERROR)
