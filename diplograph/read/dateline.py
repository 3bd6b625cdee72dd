"""Document date from a dateline at the top of the text. STUB.

Contract: ``make_document(text, doc_id, date=None, source=None, title=None) -> Document``
(``date`` given wins; else a dateline; else None).
"""
from __future__ import annotations

import re
from typing import Optional

from diplograph.model import Document

_ISO = re.compile(r"\A\s*(\d{4}-\d{2}-\d{2}):")


def make_document(text: str, doc_id: str, date: Optional[str] = None, source: Optional[str] = None,
                  title: Optional[str] = None) -> Document:
    src = "cli" if date else None
    if date is None:
        m = _ISO.match(text)
        if m:
            date, src = m.group(1), "dateline"
    return Document(id=doc_id, text=text, date=date, title=title, source=source, date_source=src)
