"""Run one export into memory or a folder, for the tests."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Optional, Union

from sqlalchemy.engine import Engine

from diplograph.export import FORMATS, Selection, export


def run_export(engine: Engine, fmt: str, tmp_path: Optional[Path] = None,
               selection: Optional[Selection] = None) -> Union[str, bytes, Path]:
    """The export's text, bytes, or the folder it wrote (for directory formats)."""
    target = FORMATS[fmt].target
    if target == "directory":
        folder = tmp_path / fmt
        export(engine, fmt, folder, selection)
        return folder
    out = io.StringIO() if target == "text" else io.BytesIO()
    export(engine, fmt, out, selection)
    return out.getvalue()


# Fields the store adds to what an extraction gives (merge results).
STORE_EXTRAS = {"event": {"cluster", "n_sources"}, "quantity": {"claim", "contradiction"}}


def by_document(records: list[dict]) -> dict[str, list[dict]]:
    documents: dict[str, list[dict]] = {}
    for record in records:
        if record["kind"] == "document":
            current = documents.setdefault(record["id"], [])
        current.append(record)
    return documents


def comparable(record: dict) -> str:
    kept = {k: v for k, v in record.items() if k not in STORE_EXTRAS.get(record["kind"], ())}
    return json.dumps(kept, sort_keys=True)
