"""End to end in a real headless Chromium (Debian's chromium, driven by Playwright).

An analyst's path through the app against a server on a loopback port: upload the seed,
see it highlighted, find the 2021 treaty renewal on the timeline, filter the network to
2018, ask when China and North Korea renewed their treaty. Screenshots of each step go
to ``out/e2e-screenshots/`` for review.
"""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # extracts the seed with the spaCy model

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "e2e-screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]
HOSTILE = ('March 1, 2022:\nThe envoy wrote <script>window.__xss = 1</script> and '
           '<img src="x" onerror="window.__xss = 2"> in a note to Seoul.\n')


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium and chromium-driver (.ci/chromium.sh)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app with the real extractor on a free loopback port, over an empty knowledge base."""
    import uvicorn

    from diplograph.web import create_app

    app = create_app(str(tmp_path_factory.mktemp("e2e") / "kb.db"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda err: page.problems.append(f"page error: {err}"))
    page.on("console", lambda msg: page.problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False)
    print(f"screenshot: {SCREENSHOTS / name}")


def test_e2e_seed_upload_timeline_network_ask(page, server, shared_dir):
    from playwright.sync_api import expect

    seed = shared_dir / "eval" / "seed.txt"
    # 1. Upload the seed through the Documents page; the page follows the job and opens the document.
    page.goto(f"{server}/documents")
    page.set_input_files("#upload-file", str(seed))
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#job")).to_be_visible()
    page.wait_for_url(f"{server}/documents/seed", timeout=180_000)
    # 2. The document with its facts highlighted; a record click scrolls to and flashes its sentence.
    expect(page.locator("#doc-text mark.hl.k-event").first).to_be_visible()
    assert page.locator("#doc-text mark.hl.k-actor").count() > 20
    assert page.locator("#doc-text mark.hl.k-time").count() > 10
    assert page.locator("#doc-text mark.hl.k-figure").count() > 0
    record = page.locator("#records details[data-kind=event] a.record").first
    target = record.get_attribute("data-sentence")
    record.click()
    expect(page.locator(f"#{target}")).to_have_class("sent flash")
    shot(page, "01-document.png")

    # 3. Timeline: the 2021 treaty renewal between China and North Korea, with its evidence.
    page.goto(f"{server}/timeline")
    expect(page.locator("#timeline")).to_have_attribute("data-query", "", timeout=20_000)  # all events drawn
    page.fill("input[name=dyad]", "CHN-PRK")
    page.fill("input[name=from]", "2021")
    page.fill("input[name=to]", "2021")
    page.click("#filters button[type=submit]")
    expect(page.locator("#timeline")).to_have_attribute("data-query", "?dyad=CHN-PRK&from=2021&to=2021")
    renewal = page.locator(".vis-item", has_text="AGREE")
    expect(renewal.first).to_be_visible(timeout=20_000)
    renewal.first.click()
    evidence = page.locator("#evidence")
    expect(evidence).to_be_visible()
    expect(page.locator("#evidence-title")).to_contain_text("2021")
    expect(evidence).to_contain_text("renewed the 1961 Sino-North Korean Treaty")
    shot(page, "02-timeline.png")

    # 4. Network filtered to 2018 with the range sliders.
    page.goto(f"{server}/network")
    expect(page.locator("#summary")).to_contain_text("actors", timeout=20_000)
    page.locator("#year-from").fill("2018")
    page.locator("#year-to").fill("2018")
    expect(page.locator("#summary")).to_contain_text("2018–2018", timeout=20_000)
    expect(page.locator("#network canvas")).to_be_visible()
    assert page.locator("#network").get_attribute("data-years") == "2018-2018"
    page.wait_for_timeout(1500)  # let the layout settle for the screenshot
    shot(page, "03-network.png")

    # Trends and figures pages draw their charts (screenshots for review).
    page.goto(f"{server}/dyad?a=CHN&b=PRK&by=decade")
    expect(page.locator("#periods tbody tr").first).to_be_visible(timeout=20_000)
    shot(page, "04-dyad.png")
    page.goto(f"{server}/figures")
    expect(page.locator("#summary")).to_contain_text("values", timeout=20_000)
    shot(page, "05-figures.png")

    # 5. Ask: the answer is 2021, with the sentence it rests on.
    page.goto(f"{server}/ask")
    page.fill("#question", "When did China and North Korea renew their treaty?")
    page.click("#ask-form button[type=submit]")
    expect(page.locator("#answer-box")).to_be_visible(timeout=60_000)
    shot(page, "06-ask.png")
    expect(page.locator("#answer")).to_contain_text("2021")
    cited = page.locator("#citations li", has_text="renewed the 1961 Sino-North Korean Treaty")
    expect(cited.first).to_be_visible()
    expect(cited.first.locator("mark.answer-span")).to_contain_text("2021")
    assert page.problems == []


def test_e2e_hostile_document_text_never_runs(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/documents")
    page.fill("#paste-text", HOSTILE)
    page.fill("#paste-name", "hostile-note")
    page.click("#paste-form button[type=submit]")
    page.wait_for_url(f"{server}/documents/hostile-note", timeout=120_000)
    expect(page.locator("#doc-text")).to_contain_text("<script>window.__xss = 1</script>")
    expect(page.locator("#doc-text")).to_contain_text('<img src="x" onerror="window.__xss = 2">')
    assert page.locator("#doc-text script, #doc-text img").count() == 0
    page.goto(f"{server}/documents")
    expect(page.locator("#documents tbody")).to_contain_text("hostile-note")
    page.goto(f"{server}/timeline")
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    shot(page, "07-hostile-document.png")
    assert page.problems == []
