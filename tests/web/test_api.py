"""The REST API over a small knowledge base: what each endpoint returns, and its errors' one shape."""
from __future__ import annotations

import pytest

from web_helpers import wait_for_job

pytestmark = pytest.mark.slow  # the knowledge base is extracted with the spaCy model


def test_api_info_counts_documents_and_years(client):
    info = client.get("/api/info").json()
    assert info["documents"] == 3
    assert info["years"] == [2014, 2021]
    assert info["write_requires_token"] is False
    assert "AGREE" in info["event_types"] and "verbal cooperation" in info["quad_classes"]


def test_api_documents_lists_and_pages(client):
    body = client.get("/api/documents").json()
    assert [d["name"] for d in body["documents"]] == ["treaty", "talks", "trade"]
    assert body["total"] == 3
    page = client.get("/api/documents?limit=1&offset=1").json()
    assert [d["name"] for d in page["documents"]] == ["talks"]


def test_api_document_view_has_text_sentences_and_spans_of_each_kind(client):
    view = client.get("/api/documents/treaty").json()
    text = view["text"]
    assert text.startswith("July 12, 2021:")
    kinds = {span["kind"] for span in view["spans"]}
    assert {"actor", "event", "time", "statement"} <= kinds
    renewed = [s for s in view["spans"] if s["kind"] == "event"]
    assert text[renewed[0]["start"]:renewed[0]["end"]] == "renewed" and renewed[0]["label"] == "AGREE"
    assert any(text[s["start"]:s["end"]].startswith("China and North Korea renewed") for s in view["sentences"])
    assert view["records"]["events"][0]["type"] == "AGREE"


def test_api_document_records_match_the_store(client):
    records = client.get("/api/documents/talks/records").json()
    assert records["document"]["id"] == "talks"
    assert {event["type"] for event in records["events"]} == {"SANCTION", "CONSULT", "COOPERATE"}
    assert records["quantities"][0]["value"] == 6.86e9


@pytest.mark.parametrize("path", ["/api/documents/nope", "/api/documents/nope/records", "/api/documents/99999",
                                  "/api/documents/%C2%B2", "/api/documents/" + "9" * 40])
def test_api_unknown_document_is_404_with_one_line(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": response.json()["error"], "status": 404}
    assert "\n" not in response.json()["error"]


def test_api_timeline_finds_the_2021_renewal_between_china_and_north_korea(client):
    events = client.get("/api/timeline", params={"dyad": "CHN-PRK", "from": "2021", "to": "2021"}).json()["events"]
    assert [(e["date"], e["type"]) for e in events] == [("2021-07", "AGREE")]
    assert "renewed their 1961 friendship treaty" in events[0]["sources"][0]["text"]
    assert events[0]["sources"][0]["document"] == "treaty"


def test_api_timeline_filters_by_actor_name_and_type(client):
    by_name = client.get("/api/timeline", params={"actor": "United States"}).json()["events"]
    assert [e["type"] for e in by_name] == ["THREATEN"]
    conflict = client.get("/api/timeline", params={"type": "material conflict"}).json()["events"]
    assert [e["type"] for e in conflict] == ["SANCTION"]


def test_api_timeline_pages_with_next_offset(client):
    first = client.get("/api/timeline", params={"limit": 2}).json()
    assert len(first["events"]) == 2 and first["next_offset"] == 2
    rest = client.get("/api/timeline", params={"limit": 200, "offset": 2}).json()
    assert rest["next_offset"] is None
    everything = client.get("/api/timeline").json()["events"]
    assert first["events"] + rest["events"] == everything


def test_api_dyad_counts_per_year(client):
    body = client.get("/api/dyad", params={"a": "China", "b": "PRK"}).json()
    periods = {row["period"]: row for row in body["periods"]}
    assert periods["2021"]["verbal_cooperation"] == 1 and periods["2021"]["net_cooperation"] == 1.0
    assert periods["2017"]["material_conflict"] == 1
    decades = client.get("/api/dyad", params={"a": "CHN", "b": "PRK", "by": "decade"}).json()["periods"]
    assert [row["period"] for row in decades] == ["2010s", "2020s"]


def test_api_network_window_keeps_2018_only(client):
    graph = client.get("/api/network", params={"from": "2018", "to": "2018"}).json()
    assert {(e["source"], e["target"]) for e in graph["edges"]} == {("CHN", "PRK")}
    assert {n["id"] for n in graph["nodes"]} == {"CHN", "PRK"}
    assert graph["total_edges"] == 1
    everything = client.get("/api/network", params={"limit": 1}).json()
    assert len(everything["edges"]) == 1 and everything["total_edges"] > 1


def test_api_figures_mark_the_contradiction_and_keep_sources(client):
    points = client.get("/api/figures", params={"measure": "trade"}).json()["points"]
    assert {p["value"] for p in points} == {6.86e9, 5.1e9}
    assert all(p["contradiction"] for p in points)
    assert {p["sources"][0]["document"] for p in points} == {"talks", "trade"}
    claims = client.get("/api/contradictions").json()
    assert claims["total"] == 1
    measures = client.get("/api/figures/measures").json()
    assert {m["measure"] for m in measures} == {"trade", "bilateral trade"}


def test_api_actors_list_and_type_filter(client):
    actors = client.get("/api/actors").json()
    assert {"CHN", "PRK", "USA"} <= {a["id"] for a in actors["actors"]}
    people = client.get("/api/actors", params={"type": "person"}).json()["actors"]
    assert {a["type"] for a in people} == {"person"}


def test_api_ask_returns_an_answer_with_citations_shape(client):
    body = client.get("/api/ask", params={"q": "When did China and North Korea renew their treaty?"}).json()
    assert set(body) >= {"question", "found", "answer", "value", "method", "citations", "passages"}
    for citation in body["citations"] + body["passages"]:
        assert set(citation) >= {"document", "start", "end", "sentence"}


@pytest.mark.parametrize("path, status, words", [
    ("/api/dyad?a=Atlantis&b=PRK", 404, "no actor matches 'Atlantis'"),
    ("/api/timeline?actor=Atlantis", 404, "no actor matches"),
    ("/api/timeline?from=yesterday", 422, "is not an EDTF date"),
    ("/api/timeline?type=HUG", 422, "unknown event type"),
    ("/api/timeline?limit=0", 422, "limit"),
    ("/api/timeline?dyad=CHN", 422, "a dyad is two actors"),
    ("/api/dyad?a=CHN&b=CHN", 422, "two different actors"),
    ("/api/dyad?a=CHN&b=PRK&by=week", 422, "by"),
    ("/api/dyad?a=CHN", 422, "b"),
    ("/api/actors?type=planet", 422, "type"),
    ("/api/ask?q=", 422, "q"),
    ("/api/ask?q=%20%20", 422, "the question is empty"),
    ("/api/jobs/nope", 404, "no ingest job"),
])
def test_api_bad_input_is_4xx_with_the_one_error_shape(client, path, status, words):
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error", "status"} and body["status"] == status
    assert words in body["error"] and "\n" not in body["error"]


def test_api_store_error_is_503_with_its_line(client, monkeypatch):
    from diplograph import analytics
    from diplograph.store import StoreUnavailable

    def broken(*args, **kwargs):
        raise StoreUnavailable("cannot connect to the database postgresql://kb: connection refused")

    monkeypatch.setattr(analytics, "timeline", broken)
    response = client.get("/api/timeline")
    assert response.status_code == 503
    assert response.json() == {"error": "cannot connect to the database postgresql://kb: connection refused",
                                "status": 503}


def test_api_paste_ingests_in_the_background_then_forget_removes_it(make_client, kb_copy):
    from diplograph.web.jobs import extract_document

    client = make_client(kb_copy, extract=extract_document)
    text = "March 5, 2020:\nJapan and South Korea agreed to resume talks on export controls, officials said.\n"
    job = client.post("/api/documents/text", json={"text": text, "name": "export talks!"})
    assert job.status_code == 202
    done = wait_for_job(client, job.json())
    assert done["status"] == "done" and done["result"] == "added" and done["document"] == "export-talks"
    assert done["progress"] == 1.0
    view = client.get("/api/documents/export-talks").json()
    assert view["text"] == text and any(span["kind"] == "actor" for span in view["spans"])
    again = wait_for_job(client, client.post("/api/documents/text", json={"text": text}).json())
    assert again["result"] == "skipped" and again["document"] == "export-talks"
    assert client.delete("/api/documents/export-talks").json() == {"forgotten": "export-talks"}
    assert client.get("/api/documents/export-talks").status_code == 404
    assert client.delete("/api/documents/export-talks").status_code == 404


def test_api_upload_reads_html_and_names_it_from_the_file(client):
    page = b"<!doctype html><html><head><title>Summit</title></head><body><p>Leaders met in Hanoi.</p></body></html>"
    job = client.post("/api/documents", files={"file": ("summit-2019.html", page, "text/html")},
                      data={"date": "2019-02-27"})
    done = wait_for_job(client, job.json())
    assert done["status"] == "done", done
    assert done["document"] == "summit-2019"
    stored = client.get("/api/documents/summit-2019").json()
    assert "Leaders met in Hanoi." in stored["text"] and stored["document"]["date"] == "2019-02-27"


@pytest.mark.parametrize("content, filename, reason", [
    (b"", "empty.txt", "empty file"),
    (b"\x00\x01\x02binary" * 20, "blob.bin", "binary"),
    (b'{"id": "a", "text": "x"}\n', "corpus.jsonl", "ingest it with `diplograph ingest`"),
])
def test_api_unreadable_upload_fails_its_job_with_one_line(client, content, filename, reason):
    done = wait_for_job(client, client.post("/api/documents", files={"file": (filename, content)}).json())
    assert done["status"] == "failed" and reason in done["error"]


def test_api_bad_date_or_empty_text_on_write_is_422(client):
    assert client.post("/api/documents/text", json={"text": "x", "date": "soon"}).status_code == 422
    assert client.post("/api/documents/text", json={"text": "   "}).status_code == 422
    assert client.post("/api/documents/text", json={}).status_code == 422
    assert client.post("/api/documents", data={"date": "2020"}).status_code == 422  # no file


def test_api_openapi_schema_describes_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/documents", "/api/documents/text", "/api/documents/{name}", "/api/documents/{name}/records",
            "/api/jobs/{job_id}", "/api/timeline", "/api/dyad", "/api/figures", "/api/figures/measures",
            "/api/actors", "/api/network", "/api/contradictions", "/api/ask", "/api/info"} <= paths
    assert all(path.startswith("/api/") for path in paths)  # pages are not part of the API


@pytest.mark.parametrize("path", ["/documents", "/documents/treaty", "/timeline", "/network", "/dyad", "/figures",
                                  "/ask"])
def test_pages_render_and_link_their_json(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'rel="alternate" type="application/json" href="/api/' in response.text


def test_document_page_marks_records_and_links_them_to_sentences(client):
    html = client.get("/documents/treaty").text
    assert '<mark class="hl k-event" title="Event: AGREE' in html
    assert 'class="hl k-actor t-state"' in html
    assert 'data-sentence="sent-' in html
    sentence_ids = {part.split('"')[0] for part in html.split('id="sent-')[1:]}
    linked = {part.split('"')[0] for part in html.split('data-sentence="sent-')[1:]}
    assert linked and linked <= sentence_ids


def test_document_page_for_unknown_name_is_404_page(client):
    response = client.get("/documents/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.text and "&lt;script&gt;" in response.text
