"""The class hub, end to end, in headless Chromium: two learners open a lab from the
book's link, answer an exercise and submit; a third cannot reach their servers or files;
the instructor collects and grades; each learner reads their feedback; a team shares a
server; everything listens on 127.0.0.1 and stops with the hub.

Runs as root (it creates system accounts, all in the group course-hub-test, and removes
them at the end). Screenshots go to _build/screenshots/hub/, and to book/images/hub/
when UPDATE_BOOK_SCREENSHOTS=1 (make hub-screenshots).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from hub_support import (
    TEST_GROUP,
    api_session,
    make_hub,
    passwords,
    processes_of,
    remove_hub,
    run_code,
    start_server,
)
from playwright.sync_api import sync_playwright

from class_hub import accounts, instructor

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots" / "hub"
BOOK_SHOTS = ROOT / "book" / "images" / "hub"
ROSTER = ["ana,learner,red", "ben,learner,red", "cy,learner,", "ines,instructor,"]
PEOPLE = ["ana", "ben", "cy", "ines", "team-red"]
CELL = ".jp-Notebook .jp-CodeCell .cm-content"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the hub makes system accounts: root")


BOOK_USES = ("lab-from-book.png", "feedback.png", "refused.png", "team-ana.png")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / name)
    if os.environ.get("UPDATE_BOOK_SCREENSHOTS") == "1" and name in BOOK_USES:
        BOOK_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHOTS / name, BOOK_SHOTS / name)


def _answers() -> dict[str, str]:
    """ana answers exercise 1 of the spaces lab right, ben with the known wrong variant."""
    source = json.loads((ROOT / "solutions" / "spaces" / "spaces.ipynb").read_text())
    cell = next(
        c
        for c in source["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "create-space"
    )
    right = re.sub(r"### (BEGIN|END) SOLUTION\n?", "", "".join(cell["source"])).strip()
    spec = importlib.util.spec_from_file_location("wrong", ROOT / "tests/lab_variants/spaces.py")
    wrong = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wrong)
    return {"ana": right, "ben": wrong.WRONG["create-space"].strip()}


@pytest.fixture(scope="module")
def hub():
    running = make_hub(ROSTER)
    yield running
    tree = psutil.Process(running.process.pid).children(recursive=True)  # proxy, services
    remove_hub(running, PEOPLE)  # only its own: the culler test may be running beside it
    assert processes_of(PEOPLE) == [], "a learner's process outlived the hub"
    assert not [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    left = set(accounts.members(TEST_GROUP)) & set(PEOPLE)
    assert not left, f"test accounts were left behind: {left}"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(browser):
    """One browser context (one login) per person, kept across the tests of the module."""
    return {
        who: browser.new_context(viewport={"width": 1200, "height": 760}).new_page()
        for who in ("ana", "ben", "cy")
    }


def _sign_in(page, hub, user: str) -> None:
    page.wait_for_selector("#username_input", timeout=30_000)
    page.fill("#username_input", user)
    page.fill("#password_input", passwords(hub)[user])
    page.click("#login_submit")


def _signed_in(page, hub, user: str):
    """The page, signed in as ``user`` (each test can run on its own)."""
    page.goto(f"{hub.url}/hub/home")
    if page.locator("#username_input").count():
        _sign_in(page, hub, user)
        page.wait_for_url(lambda url: "/hub/login" not in url, timeout=120_000)
    return page


def _book_link(lab: str) -> str:
    """The 'Practise' link that ends the lab's chapter, as the built book has it."""
    from book_support import build_book

    html = build_book()
    pattern = r'<a class="practise-link reference external" href="([^"]+)"'
    for page in sorted((html / "book").rglob("*.html")):
        for link in re.findall(pattern, page.read_text()):
            if link.endswith(f"labs/{lab}/{lab}.ipynb"):
                return link.replace("&amp;", "&")
    raise AssertionError(f"no chapter of the book links to the {lab} lab on the hub")


def _on_hub(link: str, hub) -> str:
    """The book points at the hub of _config.yml (in the link, and in the repository it
    names); the test's hub has a port of its own."""
    netloc = urlsplit(link).netloc
    return link.replace(netloc, f"127.0.0.1:{hub.port}").replace(
        netloc.replace(":", "%3A"), f"127.0.0.1%3A{hub.port}"
    )


def _open_assignments(page) -> None:
    page.click("text=Nbgrader")
    page.click("text=Assignment List")
    page.wait_for_selector("#fetched_assignments_list", timeout=30_000)


STATE: dict[str, object] = {}


def test_learners_open_the_lab_from_the_book_answer_and_submit(hub, pages):
    link = _book_link("spaces")
    assert "/hub/user-redirect/git-pull?" in link
    assert "urlpath=lab/tree/labs/spaces/spaces.ipynb" in link
    answers = _answers()
    for who in ("ana", "ben"):
        page = pages[who]
        started = time.monotonic()
        page.goto(_on_hub(link, hub))
        _sign_in(page, hub, who)
        page.wait_for_url(f"**/user/{who}/lab/tree/labs/spaces/spaces.ipynb", timeout=120_000)
        page.wait_for_selector(CELL, timeout=60_000)
        STATE[f"{who}_ready_seconds"] = time.monotonic() - started
        # exercise 1: the first cell that still says YOUR CODE HERE
        cells = page.locator(".jp-Notebook .jp-CodeCell", has_text="YOUR CODE HERE")
        editor = cells.first.locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(answers[who])
        page.keyboard.press("Control+s")
        page.wait_for_function(
            "() => !document.querySelector('.jp-mod-current.jp-mod-dirty')", timeout=15_000
        )
        if who == "ana":
            _shot(page, "lab-from-book.png")
        _open_assignments(page)
        row = page.locator("#fetched_assignments_list .list_item", has_text="spaces")
        row.locator("button", has_text="Submit").click()
        page.wait_for_selector(
            "#submitted_assignments_list .list_item:has-text('spaces')", timeout=60_000
        )
        if who == "ana":
            _shot(page, "submitted.png")
    # what each submitted is in the exchange, in their own name and owned by them
    inbound = hub.state.exchange / instructor.course_id() / "inbound"
    for who in ("ana", "ben"):
        mine = list(inbound.glob(f"{who}+spaces+*"))
        assert len(mine) == 1 and mine[0].owner() == who
        submitted = json.loads((mine[0] / "spaces.ipynb").read_text())
        text = "".join("".join(c["source"]) for c in submitted["cells"])
        assert answers[who].splitlines()[0] in text


def test_a_third_learner_cannot_open_their_servers_or_read_their_files(hub, pages):
    cy = pages["cy"]
    cy.goto(f"{hub.url}/hub/login")
    _sign_in(cy, hub, "cy")
    cy.wait_for_url("**/user/cy/lab**", timeout=120_000)
    response = cy.goto(f"{hub.url}/user/ana/lab/tree/labs/spaces/spaces.ipynb")
    assert response.status == 403 or "403" in cy.title(), cy.title()
    _shot(cy, "refused.png")

    api = api_session(hub, "cy")
    for url in (
        f"{hub.url}/user/ana/api/contents/labs/spaces/spaces.ipynb",
        f"{hub.url}/user/ben/api/contents",
        f"{hub.url}/user/ana/team/api/contents",
    ):
        assert api.get(url, timeout=30).status_code in (403, 404, 424), url
    assert api.get(f"{hub.url}/hub/api/users/ana", timeout=30).status_code == 404
    # the same request from the instructor (the hub's administrator) is answered
    ines = api_session(hub, "ines")
    assert ines.get(f"{hub.url}/user/ana/api/contents/labs", timeout=30).status_code == 200
    # cy cannot share anyone's server with herself, nor her own with anyone
    assert api.post(f"{hub.url}/hub/api/shares/ana/", json={"user": "cy"}).status_code in (403, 404)
    assert api.post(f"{hub.url}/hub/api/shares/cy/", json={"user": "ana"}).status_code == 403

    # code in cy's own kernel, trying the filesystem
    prefix = start_server(hub, api, "cy")
    probe = f"""
import json, os
targets = {{
    "ana_home": {str(hub.state.home("ana"))!r},
    "ana_lab": {str(hub.state.home("ana") / "labs/spaces/spaces.ipynb")!r},
    "team_folder": {str(hub.state.team_home("red"))!r},
    "instructor_home": {str(hub.state.home("ines"))!r},
    "hub_secrets": {str(hub.state.passwords)!r},
    "solutions": {str(ROOT / "solutions" / "spaces" / "spaces.ipynb")!r},
    "inbound": {str(hub.state.exchange / instructor.course_id() / "inbound")!r},
}}
found = {{}}
for name, path in targets.items():
    try:
        found[name] = os.listdir(path) if os.path.isdir(path) else open(path).read(50)
    except OSError as error:
        found[name] = type(error).__name__
found["pids"] = len([p for p in os.listdir("/proc") if p.isdigit()])
found["me"] = os.getuid()
# a forged submission in ana's name
import datetime, shutil
stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
forged = os.path.join(targets["inbound"], "ana+spaces+" + stamp + "+forged")
os.makedirs(forged)
shutil.copy(os.path.expanduser("~/labs/spaces/spaces.ipynb"), forged)
open(os.path.join(forged, "timestamp.txt"), "w").write(stamp)
print(json.dumps(found))
"""
    found = json.loads(run_code(api, prefix, probe).strip().splitlines()[-1])
    # inside her sandbox, other folders are not there at all
    hidden = ("ana_home", "ana_lab", "team_folder", "instructor_home", "hub_secrets", "solutions")
    for name in hidden:
        assert found[name] == "FileNotFoundError", (name, found[name])
    assert found["inbound"] == "PermissionError"  # nbgrader's inbound: write-only for learners
    assert found["pids"] < 10, "cy's server sees other processes"
    assert found["me"] == pwd.getpwnam("cy").pw_uid
    # and the second wall: outside any sandbox, cy's account cannot read them either
    for path in (hub.state.home("ana"), hub.state.team_home("red"), hub.state.hub):
        as_cy = subprocess.run(
            ["setpriv", "--reuid=cy", "--regid=cy", "--init-groups", "ls", str(path)],
            capture_output=True,
            text=True,
        )
        assert as_cy.returncode != 0 and "Permission denied" in as_cy.stderr, path


def test_the_instructor_collects_grades_and_releases_feedback(hub, tmp_path_factory):
    out = tmp_path_factory.mktemp("graded")
    submitted = out / "submitted"
    refused = instructor.collect(hub.state, submitted, hub.roster.learners, ["spaces"])
    assert any("forged" in r and "submitted by cy" in r for r in refused), refused
    assert sorted(p.name for p in submitted.iterdir()) == ["ana", "ben"]
    started = time.monotonic()
    grade = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(submitted), "--out", str(out / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert grade.returncode == 0, grade.stdout + grade.stderr
    STATE["grading_seconds"] = time.monotonic() - started
    with (out / "out" / "grades.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if r["assignment"] == "spaces"]
    scores = {r["student"]: float(r["score"]) for r in rows}
    assert scores["ana"] - scores["ben"] == 3.0, scores  # exercise 1 is worth 3 points
    STATE["scores"] = scores
    released = instructor.release_feedback(hub.state, submitted, out / "out")
    assert sorted(released) == ["ana/spaces/spaces.html", "ben/spaces/spaces.html"]


def test_each_learner_reads_their_own_feedback(hub, pages):
    for who in ("ana", "ben"):
        page = pages[who]
        page.click("#refresh_assignments_list")
        row = page.locator("#submitted_assignments_list .list_item", has_text="spaces")
        row.locator("button", has_text="Fetch Feedback").click()
        link = page.locator("#submitted_assignments_list a", has_text="view feedback")
        link.first.wait_for(timeout=60_000)
        link.first.click()  # JupyterLab's file browser opens the feedback folder
        page.locator(".jp-DirListing-item", has_text="spaces.html").dblclick()
        frame = page.frame_locator(".jp-HTMLViewer iframe").first
        frame.get_by_text("Score:").first.wait_for(timeout=30_000)
        text = frame.locator("body").inner_text()
        # each sees their own score, as the grader wrote it in grades.csv
        assert f"Score: {STATE['scores'][who]:g} / " in text, text[:300]
        if who == "ana":
            page.wait_for_timeout(500)
            _shot(page, "feedback.png")
        mine = list((hub.state.home(who) / "labs" / "spaces" / "feedback").glob("*/spaces.html"))
        assert len(mine) == 1
        STATE[f"{who}_feedback"] = mine[0].read_text()
    assert STATE["ana_feedback"] != STATE["ben_feedback"]


def test_a_new_release_arrives_and_the_learners_answer_stays(hub, pages):
    """The instructor releases a correction; the book's link pulls it into ana's labs
    folder (nbgitpuller's merge) and her edited notebook is left as she saved it."""
    from class_hub import labs_repo

    outbound = hub.state.exchange / instructor.course_id() / "outbound"
    (outbound / "spaces" / "errata.md").write_text("# Errata\n\nExercise 3: read 'ml.m5.xlarge'.\n")
    assert labs_repo.publish(outbound, hub.state.labs_repo, "errata for spaces")
    mine = hub.state.home("ana") / "labs" / "spaces"
    before = (mine / "spaces.ipynb").read_text()
    assert _answers()["ana"].splitlines()[0] in before
    page = _signed_in(pages["ana"], hub, "ana")
    page.goto(_on_hub(_book_link("spaces"), hub))
    page.wait_for_url("**/user/ana/lab/tree/labs/spaces/spaces.ipynb", timeout=120_000)
    assert (mine / "errata.md").read_text().startswith("# Errata")
    assert (mine / "spaces.ipynb").read_text() == before


def test_a_team_shares_one_server_and_others_are_refused(hub, pages):
    ana, ben, cy = (_signed_in(pages[who], hub, who) for who in ("ana", "ben", "cy"))
    notebook = f"{hub.url}/user/ana/team/lab/tree/team-notebook.ipynb"
    ana.goto(f"{hub.url}/hub/spawn/ana/team")
    ana.wait_for_url("**/user/ana/team/**", timeout=120_000)
    ana.goto(notebook)
    ana.wait_for_selector(CELL, timeout=60_000)
    ben.goto(notebook)
    _consent_if_asked(ben)
    ben.wait_for_selector(CELL, timeout=60_000)
    ana.click(CELL)
    ana.keyboard.press("End")
    ana.keyboard.type("\nprint('ana was here')")
    ben.wait_for_function(
        f"() => document.querySelector('{CELL}').innerText.includes('ana was here')", timeout=10_000
    )
    ben.click(CELL)
    ben.keyboard.press("Control+End")
    ben.keyboard.type("\nprint('ben too')")
    ana.wait_for_function(
        f"() => document.querySelector('{CELL}').innerText.includes('ben too')", timeout=10_000
    )
    ana.click('[data-id="jp-collaboration-panel"]')
    ana.wait_for_selector(".jp-CollaboratorsList .jp-Collaborator", timeout=10_000)
    time.sleep(0.5)
    _shot(ana, "team-ana.png")
    # the non-member: the page is refused, and so is the API with her own token
    response = cy.goto(notebook)
    assert response.status == 403, response.status
    assert "You do not have permission to access Server at /user/ana/team/" in cy.content()
    _shot(cy, "team-refused.png")
    api = api_session(hub, "cy")
    assert api.get(f"{hub.url}/user/ana/team/api/contents", timeout=30).status_code == 403
    # the team server runs as the team's account, in the team's folder
    team_files = hub.state.team_home("red")
    assert team_files.owner() == "team-red" and (team_files.stat().st_mode & 0o777) == 0o700
    assert any(p.username() == "team-red" for p in processes_of(["team-red"]))
    # code a member runs there acts as the team, and sees no member's private folder
    ben_api = api_session(hub, "ben")
    probe = (
        "import os, json\n"
        "seen = {}\n"
        f"for path in ({str(hub.state.home('ana'))!r}, {str(hub.state.home('ben'))!r}):\n"
        "    try:\n"
        "        seen[path] = os.listdir(path)\n"
        "    except OSError as error:\n"
        "        seen[path] = type(error).__name__\n"
        "print(json.dumps([os.getuid(), os.getcwd(), seen]))\n"
    )
    uid, cwd, seen = json.loads(run_code(ben_api, f"{hub.url}/user/ana/team/", probe))
    assert uid == pwd.getpwnam("team-red").pw_uid and cwd == str(hub.state.team_home("red"))
    assert set(seen.values()) == {"FileNotFoundError"}, seen
    # a second team member cannot start a second team server
    r = ben_api.post(f"{hub.url}/hub/api/users/ben/servers/team", timeout=60)
    print(f"\nsecond team server: {r.status_code} {r.text[:300]}")
    assert r.status_code >= 400 and "already running" in r.text, (r.status_code, r.text)
    servers = ben_api.get(f"{hub.url}/hub/api/users/ben", timeout=30).json()["servers"]
    assert not servers.get("team", {}).get("ready"), servers


def _consent_if_asked(page) -> None:
    """On a first visit to someone else's (shared) server, JupyterHub asks to authorize."""
    page.wait_for_selector(f"{CELL}, button:has-text('Authorize')", timeout=60_000)
    if page.locator("button:has-text('Authorize')").count():
        _shot(page, "team-consent.png")
        page.click("button:has-text('Authorize')")


def test_every_server_listens_on_loopback_only(hub):
    tree = psutil.Process(hub.process.pid)
    processes = [tree, *tree.children(recursive=True), *processes_of(PEOPLE)]
    listening = [
        c.laddr for p in processes for c in _connections(p) if c.status == psutil.CONN_LISTEN
    ]
    assert len(listening) >= 5  # hub, proxy (2), service, servers
    assert all(addr.ip == "127.0.0.1" for addr in listening), listening
    timings = {k: f"{v:.1f} s" for k, v in STATE.items() if k.endswith("_seconds")}
    print(f"\nclass hub timings: {timings}")


def _connections(process: psutil.Process):
    try:
        return process.net_connections("inet")
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []


def test_the_book_shows_the_screenshots():
    for name in BOOK_USES:
        assert (BOOK_SHOTS / name).stat().st_size > 10_000, f"run `make hub-screenshots` ({name})"
