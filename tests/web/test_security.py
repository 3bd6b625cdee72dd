"""Security: escaped document text, CSP, upload size limit, write token, same-origin writes, no paths from requests."""
from __future__ import annotations

import sys
import threading

import pytest

from web_helpers import wait_for_job

HOSTILE = ('March 1, 2022:\nThe envoy wrote <script>window.__xss = 1</script> and '
           '<img src="x" onerror="window.__xss = 2"> in a note to Seoul.\n')


def test_security_headers_on_pages_api_and_errors(make_client):
    client = make_client()
    for path in ("/documents", "/api/info", "/api/documents/missing", "/static/app.css"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_security_document_text_is_escaped_on_its_page(make_client):
    client = make_client()
    job = wait_for_job(client, client.post("/api/documents/text", json={"text": HOSTILE, "name": "note"}).json())
    assert job["status"] == "done"
    html = client.get("/documents/note").text
    assert "<script>window.__xss" not in html and "<img src" not in html
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    assert "&lt;img src=&quot;x&quot; onerror=&quot;window.__xss = 2&quot;&gt;" in html
    assert client.get("/api/documents/note").json()["text"] == HOSTILE  # the API gives the text as stored
    listing = client.get("/documents").text
    assert "__xss" not in listing  # the list page is a shell: names arrive as JSON, drawn with textContent


def test_security_hostile_document_name_is_made_safe(make_client):
    client = make_client()
    job = wait_for_job(client, client.post("/api/documents/text", json={
        "text": "Plain text.", "name": '<img src=x onerror="alert(1)">'}).json())
    assert job["document"] == "img-src-x-onerror-alert-1"


def test_security_upload_over_the_limit_is_413_before_reading_it(make_client):
    client = make_client(max_upload_bytes=1000)
    response = client.post("/api/documents", files={"file": ("big.txt", b"x" * 5000, "text/plain")})
    assert response.status_code == 413
    assert "over the upload limit" in response.json()["error"] and response.json()["status"] == 413
    pasted = client.post("/api/documents/text", json={"text": "y" * 5000})
    assert pasted.status_code == 413
    small = client.post("/api/documents", files={"file": ("small.txt", b"Small text.", "text/plain")})
    assert small.status_code == 202


def test_security_chunked_body_is_cut_at_the_limit(make_client):
    client = make_client(max_upload_bytes=1000)
    sent = []

    def chunks():
        for _ in range(100):
            sent.append(1)
            yield b"z" * 100

    response = client.post("/api/documents/text", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "content-length" not in {k.lower() for k in response.request.headers}


def test_security_body_limit_refuses_a_declared_length_without_reading_the_body():
    import asyncio

    from diplograph.web.security import BodySizeLimit

    async def app(scope, receive, send):  # pragma: no cover - must not be reached
        raise AssertionError("the app ran")

    messages = []

    async def receive():
        raise AssertionError("the body was read")

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/documents",
             "headers": [(b"content-length", b"999999999")]}
    asyncio.run(BodySizeLimit(app, max_bytes=10)(scope, receive, send))
    assert messages[0]["status"] == 413


def test_security_token_guards_writes_only(make_client):
    client = make_client(token="s3cret-token")
    assert client.get("/api/documents").status_code == 200
    assert client.get("/api/timeline").status_code == 200
    refused = client.post("/api/documents/text", json={"text": "A text."})
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert "needs a token" in refused.json()["error"]
    wrong = client.post("/api/documents/text", json={"text": "A text."}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    upload = client.post("/api/documents", files={"file": ("a.txt", b"A text.")})
    assert upload.status_code == 401
    assert client.delete("/api/documents/a").status_code == 401
    good = {"Authorization": "Bearer s3cret-token"}
    job = wait_for_job(client, client.post("/api/documents/text", json={"text": "A text.", "name": "a"},
                                           headers=good).json())
    assert job["status"] == "done"
    assert client.delete("/api/documents/a", headers=good).status_code == 200
    assert client.get("/api/info").json()["write_requires_token"] is True


def test_security_cross_site_write_is_refused(make_client):
    client = make_client()
    response = client.post("/api/documents/text", json={"text": "A text."},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403 and "another site" in response.json()["error"]
    same = client.post("/api/documents/text", json={"text": "A text."}, headers={"Origin": "http://testserver"})
    assert same.status_code == 202


def test_security_loopback_app_refuses_other_host_names(make_client):
    client = make_client(allowed_hosts=["127.0.0.1", "localhost"])
    assert client.get("/api/info", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/api/info", headers={"Host": "127.0.0.1:8000"}).status_code == 200


@pytest.fixture()
def opened_paths():
    """Every path this process opens while ``opened_paths.on`` is set (Python audit hook "open")."""
    class Recorder:
        on = False
        paths: list = []

    recorder = Recorder()
    lock = threading.Lock()

    def hook(event, args):
        if event == "open" and recorder.on and args and isinstance(args[0], (str, bytes)):
            with lock:
                recorder.paths.append(str(args[0]))

    sys.addaudithook(hook)  # hooks cannot be removed; this one records only while switched on
    yield recorder
    recorder.on = False


def test_security_no_request_path_reaches_the_filesystem(make_client, tmp_path, opened_paths, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client = make_client()
    opened_paths.on = True
    job = client.post("/api/documents", files={"file": ("../../../../tmp/evil-upload.txt", b"A quiet text.")}).json()
    done = wait_for_job(client, job)
    responses = [client.get(path) for path in (
        "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd", "/api/documents/../../etc/passwd",
        "/documents/..%2F..%2Fetc%2Fpasswd", "/vendor/..%2F..%2Fpackage.json", "/vendor/../../pyproject.toml",
        "/static/..%2F..%2F..%2Fpyproject.toml", "/static/../app.py")]
    opened_paths.on = False
    assert done["status"] == "done" and done["document"] == "evil-upload"
    assert all(response.status_code == 404 for response in responses), [r.status_code for r in responses]
    assert not any("evil" in path or "passwd" in path or "pyproject" in path for path in opened_paths.paths)
    assert not (tmp_path / "evil-upload.txt").exists()


@pytest.mark.parametrize("filename, name", [
    ("report.txt", "report"), ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\brief.pdf", "brief"),
    (".bashrc", "bashrc"), ("<script>.html", "script"), ("...", None), ("", None),
    ("Seoul–Tokyo talks 2024.txt", "Seoul-Tokyo-talks-2024"),
])
def test_security_display_name_from_a_client_file_name(filename, name):
    from diplograph.web.uploads import display_name

    assert display_name(filename) == name
