"""The JavaScript and CSS libraries the pages use, served by the app itself (no CDN: it works offline).

They come from npm at install time (``make install`` runs ``npm ci`` in
``diplograph/web/frontend``); this module maps each public name to one file of
``node_modules``. A request names an entry of this table, never a path.
"""
from __future__ import annotations

from pathlib import Path

FRONTEND = Path(__file__).resolve().parent / "frontend"
NODE_MODULES = FRONTEND / "node_modules"

#: public name under /vendor/ -> file in node_modules (the packages are pinned in frontend/package.json)
VENDOR_FILES = {
    "vis-timeline.js": "vis-timeline/standalone/umd/vis-timeline-graph2d.min.js",
    "vis-timeline.css": "vis-timeline/styles/vis-timeline-graph2d.min.css",
    "vis-network.js": "vis-network/standalone/umd/vis-network.min.js",
    "vis-network.css": "vis-network/styles/vis-network.min.css",
    "chart.js": "chart.js/dist/chart.umd.min.js",
}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def vendor_path(name: str) -> Path | None:
    """The file behind a public asset name; None for a name not in the table."""
    relative = VENDOR_FILES.get(name)
    return NODE_MODULES / relative if relative is not None else None


def missing_assets() -> list[str]:
    """Public names whose file is not installed."""
    return [name for name, relative in VENDOR_FILES.items() if not (NODE_MODULES / relative).is_file()]


def missing_message() -> str | None:
    """One line saying the libraries are missing and how to install them; None when all are there."""
    missing = missing_assets()
    if not missing:
        return None
    return (f"the web app's JavaScript libraries are not installed ({', '.join(missing)}): run `make install` "
            f"(npm ci in {FRONTEND}); the timeline, network and charts stay empty until then")
