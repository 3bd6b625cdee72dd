"""The JavaScript libraries are served by the app from npm's install; without them, one clear line."""
from __future__ import annotations

import pytest

from diplograph.web import assets


def test_assets_are_served_from_the_table_only(make_client):
    client = make_client()
    if assets.missing_assets():
        pytest.skip(f"the web libraries are not installed: {assets.missing_message()}")
    response = client.get("/vendor/vis-timeline.js")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/javascript")
    assert client.get("/vendor/vis-network.css").headers["content-type"].startswith("text/css")
    assert client.get("/vendor/package.json").status_code == 404


def test_assets_missing_say_so_in_one_line(make_client, tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "NODE_MODULES", tmp_path / "node_modules")
    message = assets.missing_message()
    assert message and "\n" not in message and "make install" in message
    client = make_client()
    assert client.get("/api/info").json()["assets_missing"] == message
    page = client.get("/timeline").text
    assert '<p class="banner" role="alert">' in page and "make install" in page
    response = client.get("/vendor/chart.js")
    assert response.status_code == 503 and response.text.strip() == message
