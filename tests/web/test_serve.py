"""``diplograph serve``: options, the token rule for non-loopback addresses, one-line errors."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from diplograph.cli import app


@pytest.fixture()
def served(monkeypatch):
    """Run `serve` without listening: records what uvicorn.run was given."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda web_app, **options: calls.append((web_app, options)))
    monkeypatch.delenv("DIPLOGRAPH_TOKEN", raising=False)
    return calls


def test_serve_on_loopback_needs_no_token_and_accepts_local_host_names(served, tmp_path):
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "kb.db"), "--port", "8123"])
    assert result.exit_code == 0, result.output
    web_app, options = served[0]
    assert options["host"] == "127.0.0.1" and options["port"] == 8123
    assert web_app.state.token is None
    assert "writes open to this machine" in result.output and "token" not in result.output.split("writes")[0]


def test_serve_on_another_address_makes_a_token_and_prints_it_once(served, tmp_path):
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "kb.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    token = served[0][0].state.token
    assert token and len(token) >= 24
    assert result.output.count(token) == 1


def test_serve_takes_the_token_from_the_environment(served, tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOGRAPH_TOKEN", "from-env")
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "kb.db"), "--host", "192.0.2.10"])
    assert result.exit_code == 0, result.output
    assert served[0][0].state.token == "from-env"
    assert "from-env" not in result.output


def test_serve_upload_limit_option(served, tmp_path):
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "kb.db"), "--max-upload-mb", "0.5"])
    assert result.exit_code == 0, result.output
    assert served[0][0].state.max_upload_bytes == 512 * 1024


def test_serve_unopenable_database_is_one_line_and_status_1(served, tmp_path):
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "no-such-folder" / "kb.db")])
    assert result.exit_code == 1
    assert "folder" in result.output and "does not exist" in result.output and "Traceback" not in result.output
    assert served == []


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True),
                                            ("[::1]", True), ("localhost", True), ("0.0.0.0", False),
                                            ("::", False), ("192.168.1.4", False), ("example.org", False)])
def test_serve_loopback_addresses(host, loopback):
    from diplograph.web.security import is_loopback

    assert is_loopback(host) is loopback
