"""Command line: a thin shell over the library. STUB (extract only)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, help="Rebuild the system of international relations a text describes.")


@app.callback()
def main() -> None:
    """diplograph command line."""


@app.command()
def extract(paths: List[str], output: Optional[Path] = typer.Option(None, "-o", "--output"),
            format: str = typer.Option("jsonl", "--format"), date: Optional[str] = typer.Option(None, "--date")):
    """Extract records from documents."""
    from diplograph.pipeline import extract_document
    from diplograph.read.dateline import make_document

    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    for p in paths:
        text = Path(p).read_text(encoding="utf-8")
        ex = extract_document(make_document(text, doc_id=Path(p).stem, date=date, source=Path(p).name))
        for r in ex.records():
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
