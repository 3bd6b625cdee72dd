"""What keeps the app safe to run: body size limit, write token, same-origin writes, security headers.

Document text is never trusted: pages build it with ``html.escape`` (server side) or
``textContent`` (browser side), and the Content-Security-Policy forbids inline scripts,
so even a text that slipped through could not run. Writes (upload, paste, forget) need
``Authorization: Bearer TOKEN`` when the app has a token, which ``diplograph serve``
always sets when bound to an address other people can reach.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Optional
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")

bearer = HTTPBearer(auto_error=False, description="Needed for writes when the server has a token "
                                                  "(always when bound to a non-loopback address).")


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` only lets this machine in (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def require_writer(request: Request, credentials: Optional[HTTPAuthorizationCredentials]) -> None:
    """Refuse a write without the app's token (401), or sent from another site's page (403).

    The origin check stops a web page elsewhere from posting to a server on localhost
    (browsers send ``Origin`` on cross-site POST and DELETE requests).
    """
    token = request.app.state.token
    if token:
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "this server needs a token for writes: send Authorization: Bearer TOKEN "
                                     "(the token `diplograph serve` printed, or --token)",
                                headers={"WWW-Authenticate": "Bearer"})
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc.lower() != host.lower():
            raise HTTPException(403, f"a write from another site ({origin}) is refused")


class SecurityHeaders:
    """ASGI middleware: the same security headers on every response, pages and API alike."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    header for header in SECURITY_HEADERS if header[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """ASGI middleware: a request body over ``max_bytes`` gets 413, and is not read to its end.

    A declared ``Content-Length`` over the limit is refused before any of the body is
    read; a body without one (chunked) is counted as it arrives and cut at the limit.
    """

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.max_bytes:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        too_large = False
        started = False

        async def limited_receive():
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _BodyTooLarge()
            return message

        async def guarded_send(message):
            nonlocal started
            if too_large:
                return  # whatever the app answers once the body was cut, the answer is 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _BodyTooLarge:
            pass
        if too_large and not started:
            await self._refuse(send)

    async def _refuse(self, send) -> None:
        limit_mb = self.max_bytes / (1024 * 1024)
        body = json.dumps({"error": f"the request body is over the upload limit of {limit_mb:g} MB "
                                    f"({self.max_bytes:,} bytes); split the document or start the server with "
                                    f"a larger --max-upload-mb", "status": 413}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})
