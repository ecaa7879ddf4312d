"""The book build shared by the book tests: built once per test process, whichever test
module asks first; with several pytest workers, a lock keeps builds from overlapping.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
REPORTS = HTML / "reports"
BUILD_COMMAND = [
    sys.executable,
    "-c",
    "from jupyter_book.cli.main import main; main()",
    "build",
    str(ROOT),
    "--warningiserror",
    "--keep-going",
]

_result: dict[str, object] = {}


def build_book() -> Path:
    """Build the book into _build/html once per process; fail with the log on error."""
    if "error" in _result:
        pytest.fail(str(_result["error"]), pytrace=False)
    if "html" in _result:
        return HTML
    start = time.perf_counter()
    # pytest's workers may both ask: one builds while the other waits, then rebuilds
    # from the execution cache (seconds), so two builds never write _build/ at once
    (ROOT / "_build").mkdir(exist_ok=True)
    with (ROOT / "_build" / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run(BUILD_COMMAND, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    _result["seconds"] = time.perf_counter() - start
    if proc.returncode != 0:
        reports = "".join(
            f"\n--- {log.relative_to(HTML)}\n{log.read_text()[-4000:]}"
            for log in sorted(REPORTS.rglob("*.log"))
        )
        _result["error"] = (
            f"jupyter-book build failed (exit {proc.returncode}):\n"
            f"{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}{reports}"
        )
        pytest.fail(str(_result["error"]), pytrace=False)
    _result["html"] = HTML
    return HTML


def toc_pages() -> list[str]:
    """Every page of the book in _toc.yml order, as paths without suffix ("intro", ...)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))
            for part in entry.get("parts", []):
                walk(part.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return pages


class PageParser(HTMLParser):
    """Collects what the checks need from one built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # <a href>
        self.resources: list[tuple[str, str]] = []  # (tag, url) loaded by the page
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag in ("img", "script", "iframe", "source", "video", "audio") and a.get("src"):
            self.resources.append((tag, a["src"]))
        elif tag == "object" and a.get("data"):
            self.resources.append((tag, a["data"]))
        elif tag == "link" and a.get("href") and a.get("rel") not in ("canonical", "alternate"):
            self.resources.append((f"link rel={a.get('rel')}", a["href"]))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(page: Path) -> PageParser:
    parser = PageParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def page_text(page: Path) -> str:
    """The visible text of a built page, tags stripped, whitespace collapsed."""
    return " ".join("".join(parse(page).text).split())
