"""``create_app``: the FastAPI application over one knowledge base, with its pages, API and safeguards.

Errors have one shape on the API, ``{"error": one line, "status": code}``: bad input
is 4xx (an unknown actor 404), a database that cannot be read 503, never a traceback.
"""
from __future__ import annotations

import logging
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Optional, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from diplograph.analytics import QueryError
from diplograph.errors import DiplographError
from diplograph.store import Store, StoreError
from diplograph.web import api, assets, pages
from diplograph.web.highlight import esc
from diplograph.web.jobs import Extractor, IngestJobs
from diplograph.web.security import BodySizeLimit, SecurityHeaders

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Requests handled at once (threads): below the store's connection pool (5 + 10 overflow, 30 s wait),
# so a burst of clients queues here instead of timing out on a connection; two cores gain
# nothing from more.
REQUEST_THREADS = 8
STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("diplograph.web")


def create_app(db_url: Optional[str] = None, token: Optional[str] = None,
               max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES, extract: Optional[Extractor] = None,
               allowed_hosts: Optional[Sequence[str]] = None) -> FastAPI:
    """The web app and REST API over one knowledge base.

    db_url (str | None): as ``Store``: a path, ``sqlite:///PATH`` or ``postgresql://...``;
        None -> ``$DIPLOGRAPH_DB`` or ``./diplograph.db``.
    token (str | None): when set, writes need ``Authorization: Bearer TOKEN``.
    max_upload_bytes (int): request bodies above this get 413 (0: no limit).
    extract (Callable | None): Document -> Extraction for uploads (default: the spaCy pipeline).
    allowed_hosts (list | None): Host headers to accept (``serve`` on loopback: local names only,
        which stops DNS rebinding); None accepts any.
    RETURNS (FastAPI): the app; raises StoreError when the knowledge base cannot be opened.
    """
    store = Store(db_url)
    jobs = IngestJobs(store, extract)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        yield
        jobs.shutdown()
        store.close()

    app = FastAPI(title="diplograph", summary="Actors, dated PLOVER events, figures and statements rebuilt from "
                                              "reporting on international relations, with their evidence.",
                  version=_version(), docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  lifespan=lifespan)
    app.state.store = store
    app.state.jobs = jobs
    app.state.token = token or None
    app.state.max_upload_bytes = max_upload_bytes
    app.state.assets_missing = assets.missing_message()
    if app.state.assets_missing:
        log.warning("diplograph: %s", app.state.assets_missing)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _add_error_handlers(app)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(BodySizeLimit, max_bytes=max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("diplograph")
    except PackageNotFoundError:  # pragma: no cover
        return "0"


def problem(request: Request, status: int, message: str, headers: Optional[dict] = None):
    """The one error shape: JSON on the API, a small escaped page elsewhere."""
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
    body = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>diplograph: {status}</title>"
            f"<link rel=stylesheet href=/static/app.css></head><body><main class=page><h1>{status}</h1>"
            f"<p class=error>{esc(message)}</p><p><a href=/documents>Documents</a></p></main></body></html>")
    return HTMLResponse(body, status_code=status, headers=headers)


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:300]


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException):
        message = err.detail if isinstance(err.detail, str) else str(err.detail)
        return problem(request, err.status_code, message, getattr(err, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError):
        errors = err.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("query", "body", "path"))
        message = f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid request")
        return problem(request, 422, message.replace("\n", " "))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, err: QueryError):
        message = _first_line(err)
        return problem(request, 404 if message.startswith("no actor matches") else 422, message)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, err: StoreError):
        return problem(request, 503, _first_line(err))

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, err: SQLAlchemyError):
        cause = getattr(err, "orig", None) or err
        return problem(request, 503, f"cannot read the knowledge base ({type(cause).__name__}: {_first_line(cause)})")

    @app.exception_handler(DiplographError)
    async def user_error(request: Request, err: DiplographError):
        return problem(request, 422, _first_line(err))

    @app.exception_handler(Exception)
    async def internal(request: Request, err: Exception):
        print(f"diplograph: internal error on {request.url.path}: {type(err).__name__}: {_first_line(err)}",
              file=sys.stderr)
        return problem(request, 500, f"internal error ({type(err).__name__}: {_first_line(err)})")
