"""The website in a real browser (Debian's Chromium, driven by Playwright, offline):
every page loads without console errors or failed requests, search finds results, and
folded answers unfold. Full-page screenshots go to _build/screenshots/."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from book_support import ROOT, build_book, toc_pages
from chromium import CHROMIUM, CHROMIUM_ARGS

SCREENSHOTS = ROOT / "_build" / "screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's Chromium (apt-get install chromium)"
)


@pytest.fixture(scope="session")
def book_html() -> Path:
    return build_book()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(book_html: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 at a free port, in a thread."""
    handler = functools.partial(QuietHandler, directory=str(book_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


class Watched:
    """A page that records console errors, page errors and failed or remote requests."""

    def __init__(self, browser: Any, site: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.page.on("request", self._request)
        self.site = site

    def _console(self, message: Any) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.problems.append(f"console error: {message.text} ({where})")

    def _failed(self, request: Any) -> None:
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _request(self, request: Any) -> None:
        if not request.url.startswith((self.site, "data:", "blob:", "about:")):
            self.problems.append(f"remote request: {request.url}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any, site: str) -> Iterator[Watched]:
    page = Watched(browser, site)
    yield page
    page.close()


@pytest.mark.parametrize("page_name", toc_pages())
def test_page_loads_cleanly(watched: Watched, site: str, page_name: str) -> None:
    watched.page.goto(f"{site}/{page_name}.html", wait_until="networkidle")
    assert watched.page.locator("main h1").count() >= 1, "no title"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{page_name.replace('/', '_')}.png"
    watched.page.screenshot(path=str(shot), full_page=True)
    assert not watched.problems, "\n".join(watched.problems)


def test_search_finds_ebs(watched: Watched, site: str) -> None:
    watched.page.goto(f"{site}/search.html?q=EBS", wait_until="networkidle")
    results = watched.page.locator("#search-results ul.search li")
    results.first.wait_for(state="visible", timeout=20_000)
    assert results.count() >= 3
    assert "storage" in watched.page.locator("#search-results").inner_text().lower()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(SCREENSHOTS / "search_EBS.png"), full_page=True)
    assert not watched.problems, "\n".join(watched.problems)


def test_folded_answer_unfolds(watched: Watched, site: str) -> None:
    watched.page.goto(f"{site}/book/spaces/index.html", wait_until="networkidle")
    dropdown = watched.page.locator("details.sd-dropdown").first
    content = dropdown.locator(".sd-summary-content")
    assert dropdown.get_attribute("open") is None
    assert not content.is_visible()
    dropdown.locator("summary").click()
    content.wait_for(state="visible", timeout=5_000)
    assert content.inner_text().strip()
    assert not watched.problems, "\n".join(watched.problems)
