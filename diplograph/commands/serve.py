"""``serve``: run the web app and REST API (FastAPI + uvicorn) over one knowledge base.

On a loopback address only this machine can connect, so writes are open unless a
token is given; bound to any other address, writes always need a token (one is made
and printed once when none is given).
"""
from __future__ import annotations

import secrets
import sys
from typing import Optional

import typer

from diplograph.cli import EXIT_FAILED, EXIT_USAGE, app, report

DB_HELP = ("Database: a SQLite path or sqlite:///PATH, or postgresql://USER@HOST:PORT/DB "
           "(default: $DIPLOGRAPH_DB or ./diplograph.db).")


@app.command()
def serve(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; other than loopback, writes need "
                                                         "the token."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="DIPLOGRAPH_TOKEN",
                                        help="Token writes must send (Authorization: Bearer TOKEN); made and "
                                             "printed once when bound to a non-loopback address without one."),
    max_upload_mb: float = typer.Option(10.0, "--max-upload-mb", min=0,
                                        help="Refuse request bodies (uploads) over this many MB with 413; 0: no limit."),
) -> None:
    """Serve the web app: documents with their facts highlighted, timeline, network, trends, figures, ask.

    Example: diplograph serve --db kb.db --port 8000   (then open http://127.0.0.1:8000)
    """
    raise typer.Exit(run_serve(db=db, host=host, port=port, token=token, max_upload_mb=max_upload_mb))


def run_serve(db: Optional[str], host: str, port: int, token: Optional[str], max_upload_mb: float) -> int:
    """Build the app and run uvicorn until interrupted; RETURNS the exit status."""
    try:
        import uvicorn

        from diplograph.web import create_app
        from diplograph.web.security import LOOPBACK_NAMES, is_loopback
    except ImportError as err:
        report("serve", f"the web app's packages are not installed ({err}); run `make install`")
        return EXIT_FAILED
    from diplograph.store import StoreError

    if token is not None and not token.strip():
        report("--token", "is empty; give a token or leave it out")
        return EXIT_USAGE
    loopback = is_loopback(host)
    if not loopback and not token:
        token = secrets.token_urlsafe(24)
        sys.stderr.write(f"diplograph: writes need this token (send Authorization: Bearer TOKEN): {token}\n")
    allowed = sorted({*LOOPBACK_NAMES, "127.0.0.1", "::1", "[::1]", host}) if loopback else None
    try:
        web_app = create_app(db, token=token, max_upload_bytes=int(max_upload_mb * 1024 * 1024),
                             allowed_hosts=allowed)
    except StoreError as err:
        sys.stderr.write(f"diplograph: {err}\n")
        return EXIT_FAILED
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"diplograph: serving {web_app.state.store.display} on http://{shown}:{port} "
                     f"(writes {'need the token' if token else 'open to this machine'}; Ctrl-C stops)\n")
    if web_app.state.assets_missing:
        sys.stderr.write(f"diplograph: warning: {web_app.state.assets_missing}\n")
    try:
        uvicorn.run(web_app, host=host, port=port, log_level="warning", server_header=False)
    except OSError as err:
        report(f"{host}:{port}", f"cannot listen ({err.strerror or err})")
        return EXIT_FAILED
    except KeyboardInterrupt:
        pass
    return 0
