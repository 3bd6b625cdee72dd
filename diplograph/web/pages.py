"""The HTML pages. Each draws what an ``/api`` endpoint returns and links to it (``rel=alternate``).

The document page is rendered here, with its text escaped piece by piece
(``highlight.render_html``); the other pages are shells whose scripts fetch the API
and build the DOM with ``textContent`` only.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from diplograph.web import assets
from diplograph.web.api import document_view
from diplograph.web.highlight import KIND_LABELS, Mark, render_html, sentence_blocks, side_list

# autoescape on for every template: whatever a record holds is text
TEMPLATES = Jinja2Templates(env=Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                                            autoescape=True))
NAV = [("documents", "Documents", "/documents"), ("timeline", "Timeline", "/timeline"),
       ("network", "Network", "/network"), ("dyad", "Dyad trends", "/dyad"), ("figures", "Figures", "/figures"),
       ("ask", "Ask", "/ask")]

router = APIRouter(include_in_schema=False)


def page(request: Request, template: str, active: str, api: str, status_code: int = 200, **context) -> Response:
    return TEMPLATES.TemplateResponse(request, template, {"nav": NAV, "active": active, "api": api,
                                                          "assets_missing": request.app.state.assets_missing,
                                                          **context}, status_code=status_code)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/documents", status_code=307)


@router.get("/documents")
def documents_page(request: Request) -> Response:
    return page(request, "documents.html", "documents", "/api/documents")


@router.get("/documents/{name:path}")
def document_page(request: Request, name: str) -> Response:
    view = document_view(request.app.state.store, name)
    if view is None:
        return page(request, "missing.html", "documents", "/api/documents", status_code=404,
                    message=f"No document called {name!r} is stored.")
    text = view["text"]
    blocks = [(s["start"], s["end"]) for s in view["sentences"]]
    marks = [Mark(**span) for span in view["spans"]]
    body = Markup(render_html(text, marks, sentence_blocks(text, blocks)))  # every piece escaped inside
    kinds = {mark.kind for mark in marks}
    legend = [(kind, KIND_LABELS[kind]) for kind in KIND_LABELS if kind in kinds]
    return page(request, "document.html", "documents", f"/api/documents/{quote(name, safe='')}",
                name=name, document=view["document"], body=body, legend=legend,
                actor_types=sorted({mark.subtype for mark in marks if mark.kind == "actor" and mark.subtype}),
                groups=side_list(view["records"], blocks))


@router.get("/timeline")
def timeline_page(request: Request) -> Response:
    return page(request, "timeline.html", "timeline", "/api/timeline")


@router.get("/network")
def network_page(request: Request) -> Response:
    return page(request, "network.html", "network", "/api/network")


@router.get("/dyad")
def dyad_page(request: Request) -> Response:
    return page(request, "dyad.html", "dyad", "/api/dyad")


@router.get("/figures")
def figures_page(request: Request) -> Response:
    return page(request, "figures.html", "figures", "/api/figures")


@router.get("/ask")
def ask_page(request: Request) -> Response:
    return page(request, "ask.html", "ask", "/api/ask")


@router.get("/vendor/{asset}")
def vendor(request: Request, asset: str) -> Response:
    """A library file by its public name (a key of ``assets.VENDOR_FILES``; never a path)."""
    path = assets.vendor_path(asset)
    if path is None:
        return Response("no such asset\n", status_code=404, media_type="text/plain")
    if not path.is_file():
        return Response(f"{assets.missing_message()}\n", status_code=503, media_type="text/plain")
    return FileResponse(path, media_type=assets.MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
                        headers={"Cache-Control": "public, max-age=86400"})
