"""The instructor's loop, end to end: a small class graded, one essay graded by hand in
Formgrader (headless Chromium), finalize, and the new score in grades.csv, the learner's
feedback page and report.html. Until then, essays read "awaiting grading", never 0; the
terminal shows the progress bar and the summary only; no page loads anything.

Screenshots: _build/screenshots/class-loop/.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from grading_support import autograder
from playwright.sync_api import sync_playwright

from autograder.config import REPO
from autograder.synthetic import build_class
from autograder.terminal import quiet

SHOTS = REPO / "_build" / "screenshots" / "class-loop"
TOKEN = "class-loop-test-token"
KEEP = ("good000", "blank")
TERMINAL_LINES = [  # all the grader may print on the terminal
    r"",
    r"\[[#-]+\] \d+/\d+ graded, \d+ flagged, \d+ failed, .* left",
    r"\d+ submissions?: \d+ graded cleanly, \d+ flagged, \d+ failed(; .*)?",
    r"mean score per exercise \(points / maximum\):",
    r"  \S+ +\S+ +(-|\d+\.\d\d) / \d+( +\(\d+ graded, \d+ awaiting grading\))?",
    r"awaiting hand grading: .*",
    r"  \S+: .*",
    r"report: .* log: .*",
    r"feedback pages made again with hand grades: \d+",
]


def _rows(out: Path) -> dict[str, dict]:
    with (out / "grades.csv").open() as f:
        return {r["student"]: r for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The quiz, answered in full (its essays wait for a grader) and left blank."""
    root = tmp_path_factory.mktemp("class") / "submitted"
    build_class(root, ["quiz"], bad_for="")
    for student in root.iterdir():
        if student.name not in KEEP:
            shutil.rmtree(student)
    out = tmp_path_factory.mktemp("out")
    run = autograder("grade", str(root), "--out", str(out), "--workers", "2")
    return out, run


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / name)


def test_the_terminal_shows_progress_and_summary_only(graded):
    out, run = graded
    assert run.stdout == ""
    strange = [
        line
        for line in run.stderr.replace("\r", "\n").splitlines()
        if not any(re.fullmatch(p, line) for p in TERMINAL_LINES)
    ]
    assert strange == [], "printed on the terminal:\n" + "\n".join(strange)
    assert "==== " in (out / "grader.log").read_text()  # this run's part of the log


def test_a_child_process_writes_to_the_log_not_the_terminal(tmp_path, capfd):
    with quiet(tmp_path, limit=4000) as terminal:
        subprocess.run([sys.executable, "-c", "import sys; sys.stderr.write('warn ' * 1000)"])
        os.write(2, b"python's own warning\n")  # where sys.stderr writes, outside pytest
        terminal.write("progress\n")
    seen = capfd.readouterr()
    assert seen.err == "progress\n"
    log, older = (tmp_path / "grader.log"), (tmp_path / "grader.log.1")
    text = older.read_text() + log.read_text()
    assert "warn warn" in text and "python's own warning" in text
    assert log.stat().st_size <= 4000 and older.stat().st_size <= 4000  # turned over when full


def test_exercises_sort_naturally_with_their_maxima(graded):
    _, run = graded
    assert run.stderr.index(" test-q2 ") < run.stderr.index(" test-q10 ")
    assert re.search(r" test-q6 +\d+\.\d\d / 4\n", run.stderr)
    assert re.search(r" essay-1 +\d+\.\d\d / 4 +\(1 graded, 1 awaiting grading\)", run.stderr)
    assert "awaiting hand grading: 1 submission, 20 points" in run.stderr
    assert "  quiz: good000\n" in run.stderr


def test_essays_nobody_graded_await_grading_and_never_score_0(graded):
    out, _ = graded
    good = _rows(out)["good000"]
    assert (good["score"], good["max_score"], good["awaiting"]) == ("41", "61", "20")
    assert "awaiting grading: essay-1, essay-2, essay-3, essay-4, essay-5" in good["message"]
    page = (out / "feedback" / "good000" / "quiz" / "quiz.html").read_text()
    assert page.count("awaiting grading (4 points)") == 10  # in the table and at each essay
    assert not re.search(r">\s*0 / 4\s*<", page)
    assert "20 points awaiting grading" in page
    # the blank quiz's essays were left as given: nbgrader scores those 0, rightly
    assert _rows(out)["blank"]["awaiting"] == ""
    blank = (out / "feedback" / "blank" / "quiz" / "quiz.html").read_text()
    assert "Rubric for the grader" not in blank and "Model answer" not in blank
    assert "Rubric for the grader" in (out / "autograded/blank/quiz/quiz.ipynb").read_text()


def test_pages_need_nothing_from_the_network(graded, browser):
    out, _ = graded
    pages = [*sorted((out / "feedback").rglob("*.html")), out / "report.html"]
    context = browser.new_context(java_script_enabled=False)
    for path in pages:
        html = path.read_text()
        assert "<script" not in html and "cdn" not in html.lower(), path
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), path
        page = context.new_page()
        asked = []
        page.on("request", lambda r, asked=asked: asked.append(r.url))
        page.goto(path.as_uri())
        assert asked == [path.as_uri()], asked
        page.close()
    context.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - 127.0.0.1 only
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _grade_essay_in_formgrader(browser, out: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "autograder", "formgrader", str(out), "--port", str(port)],
        env={**os.environ, "AUTOGRADER_FORMGRADER_TOKEN": TOKEN},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=REPO,
    )
    try:
        _wait_for(f"{base}/formgrader/api/status?token={TOKEN}")
        page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
        page.goto(f"{base}/formgrader?token={TOKEN}")
        quiz = page.locator("tr", has_text="quiz").first
        quiz.wait_for(timeout=60_000)
        assert quiz.locator(".num-submissions").inner_text().strip() == "2"
        _shot(page, "01-assignments.png")

        page.goto(f"{base}/formgrader/gradebook/quiz/quiz")
        page.locator("tbody tr").nth(1).wait_for(timeout=60_000)
        assert page.locator("tbody tr").count() == 2  # every submission is listed
        _shot(page, "02-submissions.png")
        listed = page.request.get(f"{base}/formgrader/api/submitted_notebooks/quiz/quiz").json()
        (good,) = [s for s in listed if s["student"] == "good000"]

        page.goto(f"{base}/formgrader/submissions/{good['id']}/")
        score = page.locator("input#essay-1")
        score.wait_for(timeout=60_000)
        rubric = page.locator(".cell", has_text="For graders").first
        assert "Rubric for the grader" in rubric.inner_text()
        rubric.scroll_into_view_if_needed()
        _shot(page, "03-essay-with-rubric.png")

        score.fill("3.5")
        score.press("Tab")
        comment = page.locator("textarea#essay-1-comment")
        comment.fill("Storage and environments are right; the dates are missing.")
        comment.press("Tab")
        saved = f"{base}/formgrader/api/grades?submission_id={good['id']}"
        deadline = time.monotonic() + 30
        while not any(
            g["name"] == "essay-1" and g["manual_score"] == 3.5
            for g in page.request.get(saved).json()
        ):
            assert time.monotonic() < deadline, "Formgrader did not save the score"
            page.wait_for_timeout(300)
        score.scroll_into_view_if_needed()
        _shot(page, "04-essay-graded.png")

        # Formgrader's own Autograde would run student code outside the sandbox
        xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_xsrf")
        refused = page.request.post(
            f"{base}/formgrader/api/submission/quiz/good000/autograde",
            headers={"X-XSRFToken": xsrf},
        ).json()
        assert refused["success"] is False and "sandbox" in refused["error"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_essay_graded_in_formgrader_reaches_every_output(graded, browser):
    out, _ = graded
    _grade_essay_in_formgrader(browser, out)
    before = (out / "grades.csv").read_text()
    assert _rows(out)["good000"]["score"] == "41"  # nothing changes before finalize

    done = autograder("finalize", str(out))
    assert "feedback pages made again with hand grades: 1" in done.stderr
    assert (out / "grades.csv").read_text() != before
    good = _rows(out)["good000"]
    assert (good["score"], good["awaiting"]) == ("44.5", "16")
    assert "awaiting grading: essay-2, essay-3, essay-4, essay-5" in good["message"]

    feedback = out / "feedback" / "good000" / "quiz" / "quiz.html"
    html = feedback.read_text()
    assert "3.5 / 4" in html and "the dates are missing" in html
    assert "44.5 / 61" in html and "16 points awaiting grading" in html
    assert "For graders" not in html  # the note Formgrader showed stays with graders
    report = (out / "report.html").read_text()
    assert re.search(r"<td>good000</td><td>quiz</td><td class=\"n\">44.5</td>", report)

    context = browser.new_context(
        viewport={"width": 1100, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(feedback.as_uri())
    page.locator("#essay-1").scroll_into_view_if_needed()
    _shot(page, "05-feedback-after-finalize.png")
    page.goto((out / "report.html").as_uri())
    page.screenshot(path=SHOTS / "06-report.png", full_page=True)
    context.close()
    # finalize again: nothing to redo, nothing lost
    again = autograder("finalize", str(out))
    assert "made again" not in again.stderr
    assert _rows(out)["good000"]["score"] == "44.5"
    assert json.loads((out / "results.json").read_text())["rows"]


@pytest.mark.parametrize("command", [["finalize"], ["export", "--lms", "canvas"]])
def test_a_damaged_or_missing_class_gets_a_clear_message(tmp_path, command):
    done = autograder(command[0], str(tmp_path), *command[1:], ok=False)
    assert done.returncode == 2 and "python -m autograder grade" in done.stdout
    (tmp_path / "results.json").write_text('{"rows": [')  # cut short
    (tmp_path / "gradebook.db").touch()
    done = autograder(command[0], str(tmp_path), *command[1:], ok=False)
    assert done.returncode == 2 and "damaged" in done.stdout, done.stdout + done.stderr


def test_formgrader_on_a_taken_port_says_so(graded):
    out, _ = graded
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = autograder("formgrader", str(out), "--port", str(port), ok=False)
    assert done.returncode == 2 and f"port {port}" in done.stdout and "--port" in done.stdout
