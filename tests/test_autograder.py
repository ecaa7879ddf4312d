"""The class grader: a synthetic class (solutions, blanks, wrong variants and every kind
of bad submission) graded with 1 and with 2 workers gives the expected grades, the
same each time, without touching the submissions."""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.config import REPO, assignments
from autograder.synthetic import build_class

TIMEOUT = "20"  # seconds per cell: the infinite loop must not take long


def _grade(submissions: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "grade",
            str(submissions),
            "--out",
            str(out),
            "--timeout",
            TIMEOUT,
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    return result


def _rows(out: Path) -> list[dict]:
    with (out / "grades.csv").open() as f:
        return list(csv.DictReader(f))


def _fingerprints(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """The class: domains with its wrong variants and the bad submissions, plus a good
    and a blank submission of every other assignment."""
    root = tmp_path_factory.mktemp("class") / "submitted"
    expected = build_class(root, ["domains"])
    for name in [a for a in assignments() if a != "domains"]:
        expected += [
            e for e in build_class(root, [name], bad_for="") if e.student in ("good000", "blank")
        ]
    for path in root.glob("*/*"):  # keep only the submissions expected above
        if (path.parent.name, path.name) not in {(e.student, e.assignment) for e in expected}:
            for f in path.iterdir():
                f.unlink()
            path.rmdir()
    return root, expected, _fingerprints(root)


@pytest.fixture(scope="module")
def graded_once(klass, tmp_path_factory):
    root, _, _ = klass
    out = tmp_path_factory.mktemp("out1")
    _grade(root.parent, out, "--workers", "1")
    return out


@pytest.fixture(scope="module")
def graded_twice(klass, tmp_path_factory):
    """The lab with every kind of submission, again with 2 workers (the other labs' good
    and blank submissions, graded once above, add nothing here but time)."""
    root, _, _ = klass
    out = tmp_path_factory.mktemp("out2")
    run = _grade(root, out, "--workers", "2", "--assignment", "domains")
    return out, run


def test_grades_are_the_expected_ones(klass, graded_once):
    _, expected, _ = klass
    rows = {(r["student"], r["assignment"]): r for r in _rows(graded_once)}
    assert set(rows) == {(e.student, e.assignment) for e in expected}
    wrong = []
    for e in expected:
        row = rows[(e.student, e.assignment)]
        got = (float(row["score"]), float(row["max_score"]), row["status"])
        if (
            got != (e.score, e.max_score, e.status)
            or e.keyword.lower() not in row["message"].lower()
        ):
            wrong.append(
                f"{e.student}/{e.assignment}: expected {(e.score, e.max_score, e.status)} "
                f"with '{e.keyword}', got {got}: {row['message']}"
            )
    assert not wrong, "\n".join(wrong)


def test_one_and_two_workers_give_identical_grades(klass, graded_once, graded_twice):
    out2, _ = graded_twice
    _, expected, _ = klass
    once = [r for r in _rows(graded_once) if r["assignment"] == "domains"]
    assert len(once) == len([e for e in expected if e.assignment == "domains"])
    assert _rows(out2) == once


def test_submissions_are_never_modified(klass, graded_once, graded_twice):
    root, _, before = klass
    assert _fingerprints(root) == before
    assert not (root.parent / "escaped.txt").exists(), "a submission wrote outside its folder"


def test_feedback_shows_failures_but_not_hidden_tests(klass, graded_once):
    feedback = graded_once / "feedback" / "wrong-effective-role" / "domains" / "domains.html"
    html = feedback.read_text()
    assert "A profile&#39;s own role wins" in html or "A profile's own role wins" in html
    assert "BEGIN HIDDEN TESTS" not in html
    assert "NEW_ROLE" not in html  # a name that only the hidden tests use
    source = (REPO / "solutions" / "domains" / "domains.ipynb").read_text()
    assert "NEW_ROLE" in source  # ... and which the hidden tests do use


def test_summary_and_progress_are_printed(graded_twice):
    _, run = graded_twice
    assert "submissions:" in run.stderr and "flagged" in run.stderr
    assert "mean score per exercise" in run.stderr
    assert "left" in run.stderr  # the time-left estimate


def test_rerunning_gives_the_same_grades_without_regrading(klass, graded_twice):
    root, _, _ = klass
    out, _ = graded_twice
    before = (out / "grades.csv").read_text()
    again = _grade(root, out, "--workers", "2", "--assignment", "domains")
    assert (out / "grades.csv").read_text() == before
    assert "already graded (unchanged), 0 to grade" in again.stderr
    lines = (out / "grades.csv").read_text().splitlines()
    assert len(lines) == len(set(lines))


def test_an_interrupted_run_resumes(klass, tmp_path):
    root, expected, _ = klass
    small = tmp_path / "submitted"
    for student in ("good000", "blank", "wrong-home-efs"):
        shutil.copytree(root / student / "domains", small / student / "domains")
    out = tmp_path / "out"
    _grade(small, out, "--assignment", "domains")
    journal = (out / "journal.jsonl").read_text().splitlines()
    (out / "journal.jsonl").write_text("\n".join(journal[:1]) + "\n" + journal[1][:20])  # cut off
    again = _grade(small, out, "--assignment", "domains")
    assert "1 submissions already graded (unchanged), 2 to grade" in again.stderr
    assert len(_rows(out)) == 3


def test_zip_and_lms_downloads_are_accepted(klass, tmp_path, graded_once):
    root, _, _ = klass
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for student in ("good000", "blank"):
            for nb in (root / student / "domains").glob("*.ipynb"):
                zf.write(nb, f"submitted/{student}/domains/{nb.name}")
    _grade(archive, tmp_path / "from-zip", "--assignment", "domains")
    lms = tmp_path / "downloads"
    lms.mkdir()
    for student in ("good000", "blank"):
        nb = next((root / student / "domains").glob("*.ipynb"))
        (lms / f"{student}_domains.ipynb").write_bytes(nb.read_bytes())
    _grade(lms, tmp_path / "from-lms")
    expected = {
        (r["student"], r["score"])
        for r in _rows(graded_once)
        if r["assignment"] == "domains" and r["student"] in ("good000", "blank")
    }
    for out in ("from-zip", "from-lms"):
        assert {(r["student"], r["score"]) for r in _rows(tmp_path / out)} == expected


def test_hostile_names_are_refused_and_the_rest_graded(klass, tmp_path):
    """A zip entry that would land outside, a link inside a zip, and a student id that is
    not a safe folder name: each refused with a message, the others graded."""
    root, _, _ = klass
    good = next((root / "good000" / "domains").glob("*.ipynb")).read_bytes()
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("submitted/good000/domains/domains.ipynb", good)
        zf.writestr("submitted/../../escaped/domains.ipynb", good)
        zf.writestr("/absolute/domains.ipynb", good)
        link = zipfile.ZipInfo("submitted/linked/domains/domains.ipynb")
        link.external_attr = 0o120777 << 16  # a symbolic link, to /etc/passwd
        zf.writestr(link, "/etc/passwd")
        zf.writestr("submitted/bad id;rm -rf/domains/domains.ipynb", good)
    result = _grade(archive, tmp_path / "out", "--assignment", "domains")
    rows = {r["student"]: r for r in _rows(tmp_path / "out")}
    assert float(rows["good000"]["score"]) == 10
    assert rows["bad id;rm -rf"]["status"] == "failed"
    assert "not accepted" in rows["bad id;rm -rf"]["message"]
    assert "linked" not in rows
    assert result.stderr.count("refused") >= 3, result.stderr
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()


def test_unreadable_input_gets_a_clear_message(tmp_path):
    (tmp_path / "notes.txt").write_text("not a class")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "grade",
            str(tmp_path / "notes.txt"),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert "not a zip archive" in result.stdout


def test_a_killed_grader_leaves_nothing_running(klass, tmp_path):
    """Killed mid-run (SIGKILL: no clean-up code runs), the grader leaves no worker
    process and no kernel behind."""
    import os
    import signal
    import time

    root, _, _ = klass
    small = tmp_path / "submitted"
    for student in ("good000", "blank", "wrong-home-efs"):
        shutil.copytree(root / student / "domains", small / student / "domains")
    uids = range(64000, 65000)
    grader = subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", str(small), "--out", str(tmp_path / "o")]
        + ["--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        env={**os.environ, "AUTOGRADER_UIDS": "64000-64999"},
    )

    def ours() -> list[str]:
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
                cmd = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            uid = int(next(x for x in text.splitlines() if x.startswith("Uid:")).split()[1])
            ppid = int(next(x for x in text.splitlines() if x.startswith("PPid:")).split()[1])
            if uid in uids or (ppid == grader.pid and "multiprocessing" in cmd):
                found.append(f"{status.parent.name} uid={uid} {cmd[:100]}")
        return found

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not any("uid=64" in p for p in ours()):
        time.sleep(1)  # until a kernel runs (each look reads all of /proc)
    assert any("uid=64" in p for p in ours()), "no kernel ever started"
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    time.sleep(10)
    assert ours() == []
