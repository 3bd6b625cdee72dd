"""Turn what a user sends (a file's bytes, pasted text) into a ``Document``, safely.

The client's file name is only a display name: it is cut to its last component,
reduced to letters, digits, ``.``, ``_`` and ``-``, and never used to open anything.
The bytes are read from memory with the same readers as ``diplograph ingest``
(text, HTML, PDF; a JSON Lines corpus is refused: ingest those from the command line).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from typing import Optional

from diplograph.errors import InputError
from diplograph.model import Document
from diplograph.read.dateline import make_document
from diplograph.read.formats import decode_text, input_format, read_html, read_pdf, MAX_CHARS
from diplograph.store import content_hash

NAME_CHARS = 80
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def display_name(filename: Optional[str]) -> Optional[str]:
    """A document name from a client's file name: last component, no suffix, safe characters only.

    RETURNS (str | None): None when nothing usable is left (the caller names it by its hash).
    """
    if not filename:
        return None
    last = PurePosixPath(filename.replace("\\", "/")).name
    stem = last.rsplit(".", 1)[0] if "." in last.lstrip(".") else last
    return safe_name(stem)


def safe_name(name: Optional[str]) -> Optional[str]:
    """``name`` reduced to letters, digits, ``.``, ``_`` and ``-`` (at most 80), or None if empty."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name)
    text = _UNSAFE.sub("-", text).strip(".-_")[:NAME_CHARS].strip(".-_")
    return text or None


def hash_name(text: str, prefix: str = "pasted") -> str:
    """A name for a text that came without one: stable for the same text."""
    return f"{prefix}-{content_hash(text)[:12]}"


def document_from_bytes(data: bytes, filename: Optional[str], date: Optional[str]) -> tuple[Document, str]:
    """The document in an uploaded file and the name to store it under.

    Raises InputError (one line) when the bytes are not a readable text, HTML page or PDF.
    """
    label = display_name(filename) or "upload"
    suffix = PurePosixPath((filename or "").replace("\\", "/")).suffix.lower()
    kind = input_format(PurePosixPath(f"upload{suffix}"))  # by name only: nothing is opened
    if kind == "jsonl":
        raise InputError(label, "a JSON Lines corpus holds many documents; ingest it with `diplograph ingest`")
    if kind == "sniff":
        head = data[:1024].lstrip().lower()
        kind = "pdf" if head.startswith(b"%pdf-") else "html" if head.startswith((b"<!doctype html", b"<html")) \
            else "text"
    if not data:
        raise InputError(label, "empty file")
    if kind == "pdf":
        document = read_pdf(data, label, label, label, date)
    else:
        text = decode_text(data, label)
        if kind == "html":
            document = read_html(text, label, label, label, date)
        else:
            _require_text(text, label)
            document = make_document(text, doc_id=label, date=date, source=label)
    _within_limit(document, label)
    name = display_name(filename) or hash_name(document.text, "upload")
    return document, name


def document_from_text(text: str, name: Optional[str], date: Optional[str]) -> tuple[Document, str]:
    """The document a user pasted, and its name (the one given, made safe, or one from its hash)."""
    label = safe_name(name) or "pasted text"
    _require_text(text, label)
    stored_name = safe_name(name) or hash_name(text)
    document = make_document(text, doc_id=stored_name, date=date, source="pasted")
    _within_limit(document, label)
    return document, stored_name


def _require_text(text: str, label: str) -> None:
    if not text.strip():
        raise InputError(label, "no text (empty or whitespace only)")


def _within_limit(document: Document, label: str) -> None:
    if len(document.text) > MAX_CHARS:
        raise InputError(label, f"{len(document.text):,} characters is over the limit of {MAX_CHARS:,} for one "
                                f"document; split the text")
