"""A shared space for real: two users in one notebook, in two headless Chromium contexts.

Saves the screenshots the book shows (book/images/rtc/) when UPDATE_BOOK_SCREENSHOTS=1,
and always under _build/screenshots/rtc/.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

from shared_space.server import start

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots" / "rtc"
BOOK_SHOTS = ROOT / "book" / "images" / "rtc"
CELL = ".jp-Notebook .jp-CodeCell .cm-content"


def _open(browser, space, user):
    page = browser.new_context(viewport={"width": 1100, "height": 700}).new_page()
    page.goto(space.url(user))
    page.wait_for_selector(CELL, timeout=60_000)
    return page


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / name)
    if os.environ.get("UPDATE_BOOK_SCREENSHOTS") == "1":
        BOOK_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHOTS / name, BOOK_SHOTS / name)


def _cell_text(page) -> str:
    return page.eval_on_selector(CELL, "e => e.innerText")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_two_users_edit_one_notebook_and_see_each_other(browser, tmp_path):
    with start(tmp_path / "shared") as space:
        ana, ben = _open(browser, space, "ana"), _open(browser, space, "ben")
        ana.click(CELL)
        ana.keyboard.press("End")
        ana.keyboard.type("\nprint('hello from ana')")
        started = time.monotonic()
        ben.wait_for_function(
            f"() => document.querySelector('{CELL}').innerText.includes('hello from ana')",
            timeout=5_000,
        )
        assert time.monotonic() - started < 5
        ben.click(CELL)  # ben puts his cursor in the cell too
        ana.click('[data-id="jp-collaboration-panel"]')
        ana.wait_for_selector(".jp-CollaboratorsList .jp-Collaborator", timeout=10_000)
        people = ana.eval_on_selector_all(
            ".jp-CollaboratorsList .jp-Collaborator", "els => els.map(e => e.innerText)"
        )
        assert any(re.search(r"^B\s+Ben", p) for p in people), people
        circle = ana.eval_on_selector(
            ".jp-CollaboratorIcon", "e => [e.innerText, getComputedStyle(e).backgroundColor]"
        )
        assert circle[0] == "B" and circle[1] not in ("", "rgba(0, 0, 0, 0)")
        ben.click('[data-id="jp-collaboration-panel"]')
        ben.wait_for_selector(".jp-CollaboratorsList .jp-Collaborator", timeout=10_000)
        time.sleep(0.5)
        _shot(ana, "shared-ana.png")
        _shot(ben, "shared-ben.png")


def test_a_private_space_is_for_its_owner_only_without_collaboration(browser, tmp_path):
    with start(tmp_path / "private", users=("ana",), collaborative=False) as space:
        base = f"http://127.0.0.1:{space.port}/api/contents"
        with pytest.raises(urllib.error.HTTPError) as refused:  # nobody else has a link
            urllib.request.urlopen(f"{base}?token=not-ana", timeout=10)
        assert refused.value.code == 403
        ana, ana_again = _open(browser, space, "ana"), _open(browser, space, "ana")
        ana.click(CELL)
        ana.keyboard.press("End")
        ana.keyboard.type("\nprint('not shared, even with my other window')")
        time.sleep(3)
        assert "not shared" in _cell_text(ana)
        assert "not shared" not in _cell_text(ana_again), "collaboration should be off"
        ana.click('[data-id="jp-collaboration-panel"]')
        time.sleep(1)
        assert ana.query_selector_all(".jp-CollaboratorsList .jp-Collaborator") == []
        _shot(ana, "private-ana.png")


def test_the_server_listens_on_loopback_only_needs_a_token_and_stops(tmp_path):
    space = start(tmp_path / "shared")
    try:
        listening = [
            c
            for c in psutil.Process(space.process.pid).net_connections("inet")
            if c.status == psutil.CONN_LISTEN
        ]
        assert listening and all(c.laddr.ip == "127.0.0.1" for c in listening)
        base = f"http://127.0.0.1:{space.port}/api/contents"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base, timeout=10)
        assert refused.value.code == 403
        with urllib.request.urlopen(f"{base}?token={space.tokens['ben']}", timeout=10) as ok:
            assert ok.status == 200
    finally:
        space.stop()
    assert space.process.poll() is not None
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{space.port}/api/status", timeout=3)


def test_the_command_prints_a_link_per_user_and_stops_on_ctrl_c(tmp_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared_space",
            "--folder",
            str(tmp_path / "s"),
            "--users",
            "ana,ben,cy",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    try:
        lines = [process.stdout.readline() for _ in range(6)]  # up to "Ctrl-C stops"
        links = dict(
            re.findall(
                r"^\s+(\w+): (http://127\.0\.0\.1:\d+/lab/\S+token=\w+)", "".join(lines), re.M
            )
        )
        assert set(links) == {"ana", "ben", "cy"}
        assert len({link.rsplit("=", 1)[1] for link in links.values()}) == 3  # a token each
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=30)
    assert process.returncode == 0 and "Stopped." in out
    port = re.search(r":(\d+)/lab", links["ana"])[1]
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=3)


def test_the_book_shows_the_screenshots():
    for name in ("shared-ana.png", "shared-ben.png", "private-ana.png"):
        assert (BOOK_SHOTS / name).stat().st_size > 10_000, f"run `make rtc-screenshots` ({name})"
