"""The REST API under ``/api``: everything the pages show, as JSON, described by the OpenAPI schema.

Each endpoint validates its parameters (bad input is a 4xx with one line, never a 5xx),
calls one library function (``diplograph.analytics``, ``diplograph.qa.ask``, the store)
and returns a pydantic model. Long lists come in pages (``limit``, ``offset``).
"""
from __future__ import annotations

import threading
from typing import Literal, Optional

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials

from diplograph.model import PLOVER_TYPES, QUAD_CLASS
from diplograph.web import models, queries
from diplograph.web.highlight import marks_of, sentence_blocks
from diplograph.web.security import bearer, require_writer

#: events one timeline request returns unless asked for more: the CLI's page
TIMELINE_PAGE = 200
MAX_PAGE = 1000
MAX_OFFSET = 100_000
NETWORK_EDGES = 300
QUESTION_CHARS = 500
TEXT_PARAM = 200  # longest actor, dyad, type, measure or date a query takes

# Question answering loads its model on first use (an lru_cache, which does not stop several
# threads from each loading it at once): the first question runs alone.
_qa_first = threading.Lock()
_qa_warm = threading.Event()

router = APIRouter(prefix="/api", responses={422: {"model": models.Problem}, 503: {"model": models.Problem}})

ActorParam = Query(None, max_length=TEXT_PARAM, description="Actor id (CHN) or name (North Korea).")
FromParam = Query(None, alias="from", max_length=TEXT_PARAM, description="EDTF: from this date on (2018, 2018-03).")
ToParam = Query(None, alias="to", max_length=TEXT_PARAM, description="EDTF: up to this date.")


def store_of(request: Request):
    return request.app.state.store


def writer(request: Request, credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> None:
    """Dependency of every write: the token when the server has one, and a same-site origin."""
    require_writer(request, credentials)


def not_found(what: str) -> HTTPException:
    return HTTPException(404, what)


def valid_edtf(value: Optional[str], field: str) -> Optional[str]:
    """``value`` stripped, or 422 when it is not an EDTF date."""
    if value is None or not value.strip():
        return None
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parse_edtf(value.strip())
    except (EDTFParseException, ValueError, TypeError):
        raise HTTPException(422, f"{field} {value!r} is not an EDTF date (e.g. 2024-03-26, 2024-03, 2024)") from None
    return value.strip()


# --- about the knowledge base ----------------------------------------------------------------------

@router.get("/info", response_model=models.Info, summary="What this server holds and allows")
def info(request: Request):
    from importlib.metadata import PackageNotFoundError, version

    store = store_of(request)
    try:
        package_version = version("diplograph")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        package_version = "unknown"
    years = queries.event_years(store)
    return {"version": package_version, "documents": queries.document_count(store),
            "years": list(years) if years else None, "write_requires_token": bool(request.app.state.token),
            "max_upload_bytes": request.app.state.max_upload_bytes,
            "event_types": list(PLOVER_TYPES), "quad_classes": list(dict.fromkeys(QUAD_CLASS.values())),
            "assets_missing": request.app.state.assets_missing}


# --- documents -------------------------------------------------------------------------------------

@router.get("/documents", response_model=models.DocumentList, summary="Stored documents with record counts")
def list_documents(request: Request, limit: int = Query(100, ge=1, le=MAX_PAGE),
                   offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    documents = store_of(request).documents()
    return {"documents": documents[offset:offset + limit], "total": len(documents), "limit": limit,
            "offset": offset}


@router.post("/documents", response_model=models.Job, status_code=202, dependencies=[Depends(writer)],
             responses={401: {"model": models.Problem}, 403: {"model": models.Problem},
                        413: {"model": models.Problem}},
             summary="Upload a file (text, HTML or PDF) to ingest; poll the job it returns")
async def upload_document(request: Request, file: UploadFile = File(..., description="The document file."),
                          date: Optional[str] = Form(None, max_length=TEXT_PARAM,
                                                     description="Document date (EDTF).")):
    from diplograph.web.uploads import display_name, document_from_bytes

    date = valid_edtf(date, "date")
    data = await file.read()  # in memory: the body limit has bounded it; the file name is never a path
    filename = file.filename
    label = display_name(filename) or "upload"
    return request.app.state.jobs.submit(label, lambda: document_from_bytes(data, filename, date))


@router.post("/documents/text", response_model=models.Job, status_code=202, dependencies=[Depends(writer)],
             responses={401: {"model": models.Problem}, 403: {"model": models.Problem},
                        413: {"model": models.Problem}},
             summary="Ingest pasted text; poll the job it returns")
def paste_document(request: Request, body: models.PastedText):
    from diplograph.web.uploads import document_from_text, safe_name

    date = valid_edtf(body.date, "date")
    if not body.text.strip():
        raise HTTPException(422, "text: the text is empty (whitespace only)")
    label = safe_name(body.name) or "pasted text"
    return request.app.state.jobs.submit(label, lambda: document_from_text(body.text, body.name, date))


@router.get("/jobs/{job_id}", response_model=models.Job, responses={404: {"model": models.Problem}},
            summary="Progress of an ingest job")
def job_status(request: Request, job_id: str):
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise not_found(f"no ingest job {job_id!r} (jobs are kept for the last 200 uploads of this server run)")
    return job


@router.get("/documents/{name:path}/records", responses={404: {"model": models.Problem}},
            summary="A document's records grouped by kind, with their offsets")
def document_records(request: Request, name: str) -> dict:
    records = store_of(request).document_records(name) if queries.usable_name(name) else None
    if records is None:
        raise not_found(f"no document called {name!r} (GET /api/documents lists them)")
    return records


@router.get("/documents/{name:path}", response_model=models.DocumentView, responses={404: {"model": models.Problem}},
            summary="A document: text, sentences, the spans to highlight and its records")
def get_document(request: Request, name: str):
    view = document_view(store_of(request), name)
    if view is None:
        raise not_found(f"no document called {name!r} (GET /api/documents lists them)")
    return view


@router.delete("/documents/{name:path}", response_model=models.Forgotten, dependencies=[Depends(writer)],
               responses={401: {"model": models.Problem}, 403: {"model": models.Problem},
                          404: {"model": models.Problem}},
               summary="Forget a document and everything only it said")
def forget_document(request: Request, name: str):
    if not queries.usable_name(name) or not store_of(request).forget(name):
        raise not_found(f"no document called {name!r} (GET /api/documents lists them)")
    return {"forgotten": name}


def document_view(store, name: str) -> Optional[dict]:
    """What the document page shows; None when there is no such document."""
    if not queries.usable_name(name):
        return None
    records = store.document_records(name)
    found = queries.document_text(store, name)
    if records is None or found is None:
        return None
    document_id, text = found
    blocks = sentence_blocks(text, queries.document_sentences(store, document_id))
    return {"document": records["document"], "text": text,
            "sentences": [{"start": start, "end": end} for start, end in blocks],
            "spans": [mark.as_dict() for mark in marks_of(text, records)], "records": records}


# --- analytics -------------------------------------------------------------------------------------

@router.get("/timeline", response_model=models.Timeline, responses={404: {"model": models.Problem}},
            summary="Dated events in order, each with the sentences that report it")
def timeline(request: Request, actor: Optional[str] = ActorParam,
             dyad: Optional[str] = Query(None, max_length=TEXT_PARAM, description="Two actors: CHN-PRK."),
             type: Optional[str] = Query(None, max_length=TEXT_PARAM,
                                         description="PLOVER type (AGREE) or quad class (verbal cooperation)."),
             date_from: Optional[str] = FromParam, date_to: Optional[str] = ToParam,
             limit: int = Query(TIMELINE_PAGE, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    from diplograph.analytics import timeline as query

    date_from, date_to = valid_edtf(date_from, "from"), valid_edtf(date_to, "to")
    rows = query(store_of(request), actor=actor or None, dyad=dyad or None, type=type or None,
                 date_from=date_from, date_to=date_to, limit=offset + limit + 1)
    page = rows[offset:offset + limit]
    more = len(rows) > offset + limit
    return {"events": page, "limit": limit, "offset": offset, "next_offset": offset + limit if more else None}


@router.get("/dyad", response_model=models.Dyad, responses={404: {"model": models.Problem}},
            summary="Events between two actors per year or decade, and their net cooperation")
def dyad(request: Request, a: str = Query(..., min_length=1, max_length=TEXT_PARAM),
         b: str = Query(..., min_length=1, max_length=TEXT_PARAM), by: Literal["year", "decade"] = "year",
         date_from: Optional[str] = FromParam, date_to: Optional[str] = ToParam):
    from diplograph.analytics import dyad_series

    date_from, date_to = valid_edtf(date_from, "from"), valid_edtf(date_to, "to")
    rows = dyad_series(store_of(request), a, b, by=by, date_from=date_from, date_to=date_to)
    return {"a": a, "b": b, "by": by, "periods": rows}


@router.get("/figures", response_model=models.Figures, responses={404: {"model": models.Problem}},
            summary="Figure values over time with their sources; contradictions flagged")
def figures(request: Request,
            measure: Optional[str] = Query(None, max_length=TEXT_PARAM, description="Words of the measure: trade."),
            subject: Optional[str] = Query(None, max_length=TEXT_PARAM, description="Actors, exactly: CHN,PRK."),
            date_from: Optional[str] = FromParam, date_to: Optional[str] = ToParam,
            limit: int = Query(MAX_PAGE, ge=1, le=10 * MAX_PAGE), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    from diplograph.analytics import figure_series

    date_from, date_to = valid_edtf(date_from, "from"), valid_edtf(date_to, "to")
    points = figure_series(store_of(request), measure=measure or None, subject=subject or None,
                           date_from=date_from, date_to=date_to)
    more = len(points) > offset + limit
    return {"points": points[offset:offset + limit], "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None}


@router.get("/figures/measures", response_model=list[models.Measure], summary="The measures with the most figures")
def measures(request: Request, limit: int = Query(50, ge=1, le=MAX_PAGE)):
    return queries.common_measures(store_of(request), limit)


@router.get("/actors", response_model=models.Actors, summary="Actors with their documents, mentions and events")
def actors(request: Request, type: Optional[Literal["state", "person", "org", "igo", "group"]] = None,
           limit: int = Query(MAX_PAGE, ge=1, le=10 * MAX_PAGE), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    from diplograph.analytics import actors_list

    rows = actors_list(store_of(request), type=type)
    return {"actors": rows[offset:offset + limit], "total": len(rows), "limit": limit, "offset": offset}


@router.get("/network", response_model=models.Network,
            summary="Actors and who acts on whom: edges weighted by events, with net cooperation")
def network(request: Request, date_from: Optional[str] = FromParam, date_to: Optional[str] = ToParam,
            limit: int = Query(NETWORK_EDGES, ge=1, le=10 * MAX_PAGE, description="Keep the heaviest edges.")):
    from diplograph.analytics import network as query

    date_from, date_to = valid_edtf(date_from, "from"), valid_edtf(date_to, "to")
    graph = query(store_of(request), date_from=date_from, date_to=date_to)
    edges = graph.edges[:limit]
    kept = {edge["source"] for edge in edges} | {edge["target"] for edge in edges}
    return {"nodes": [node for node in graph.nodes if node["id"] in kept], "edges": edges,
            "total_edges": len(graph.edges)}


@router.get("/contradictions", response_model=models.Contradictions,
            summary="Figures on which sources disagree, each source with its value and sentence")
def contradictions(request: Request, limit: int = Query(100, ge=1, le=MAX_PAGE),
                   offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    from diplograph.analytics import contradictions as query

    claims = query(store_of(request))
    return {"claims": claims[offset:offset + limit], "total": len(claims), "limit": limit, "offset": offset}


@router.get("/ask", response_model=models.Answer, summary="Answer a question from the knowledge base, citing "
                                                          "the sentences it rests on")
def ask(request: Request, q: str = Query(..., min_length=1, max_length=QUESTION_CHARS,
                                         description="A question: When did China and North Korea renew their "
                                                     "treaty?")):
    from diplograph.qa import ask as answer

    if not q.strip():
        raise HTTPException(422, "q: the question is empty")
    if _qa_warm.is_set():
        return answer(q.strip(), store_of(request)).as_dict()
    with _qa_first:  # the first questions load the language model: once, not once per waiting thread
        result = answer(q.strip(), store_of(request)).as_dict()
        _qa_warm.set()
    return result
