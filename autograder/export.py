"""Grades into the LMS, feedback back to learners: ``python -m autograder export OUT
--lms canvas|moodle``.

Only submissions downloaded from that LMS can be named as it names learners (lms.py
recorded how); only assignments someone submitted get a column or a file. A submission
still awaiting hand grading, or that failed, gets no grade (an empty cell changes nothing
in either LMS) and is listed, so no provisional score reaches learners.

Canvas (``app/models/gradebook_importer.rb``; Gradebook > Import): one CSV for the course,
``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per assignment, named
by its Canvas title, ``Title (assignment id)`` to match by id (``--title``); a ``Points
Possible`` row; learners matched by ``ID``, the Canvas user id. Feedback: one zip per
assignment for "Re-Upload Submissions" (``Assignment#generate_comments_from_files``), files
named like the download, ``<name>[_LATE]_<user id>_<attachment id>_<notebook>.html``:
Canvas comments with each on the submission that holds that attachment.

Moodle (``mod/assign/feedback/offline/importgradeslib.php``; "Upload grading worksheet"):
one CSV per assignment with ``Identifier`` ("Participant <id>"), ``Full name``, ``Grade``,
``Maximum Grade`` and ``Last modified (grade)``; no "Feedback comments" column, so comments
typed in Moodle are not replaced. Feedback: one zip per assignment for "Upload multiple
feedback files in a zip" (``mod/assign/feedback/file/importziplib.php``), files named
``<full name>_<participant id>_assignfeedback_file_<notebook>.html``.
"""

from __future__ import annotations

import csv
import sys
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from . import lms, results
from .publish import gradebook_url, require_graded
from .results import Result, points

CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)"]


class ExportError(RuntimeError):
    pass


def export(
    out: Path,
    system: str,
    to: Path | None = None,
    db_url: str | None = None,
    titles: dict[str, str] | None = None,
    stream=sys.stderr,
) -> list[Path]:
    out = require_graded(out)
    to = (to or out / "export").resolve()
    class_results = results.load(out, gradebook_url(out, db_url))
    _require_current_feedback(out, class_results)
    mine = [r for r in class_results if r.origin.get("lms") == system]
    others = len(class_results) - len(mine)
    if not mine:
        raise ExportError(
            f"no submission in {out} was downloaded from {system.title()} (the grader knows a "
            "learner's LMS id only from the download's file names): nothing to export"
        )
    to.mkdir(parents=True, exist_ok=True)
    titles = titles or {}
    written = (_canvas if system == lms.CANVAS else _moodle)(out, to, mine, titles)
    _report(stream, system, written, mine, others)
    return written


def _require_current_feedback(out: Path, class_results: list[Result]) -> None:
    shown = results.rendered(out)
    stale = [
        r
        for r in class_results
        if (out / "feedback" / r.student / r.assignment).is_dir()
        and shown.get(results.key_text(r.key)) != r.hand
    ]
    if stale:
        raise ExportError(
            f"hand grades of {len(stale)} submissions changed since their feedback was made "
            f"(e.g. {results.key_text(stale[0].key)}): run python -m autograder finalize "
            f"{out} first"
        )


def _grade(result: Result) -> str:
    """The grade an LMS gets: empty while a person still has answers to grade, or when
    grading failed."""
    if result.status == "failed" or result.awaiting:
        return ""
    return points(result.score)


def _pages(out: Path, result: Result) -> list[Path]:
    return sorted((out / "feedback" / result.student / result.assignment).glob("*.html"))


# ------------------------------------------------------------------ Canvas
def _canvas(out: Path, to: Path, mine: list[Result], titles: dict[str, str]) -> list[Path]:
    assignments = sorted({r.assignment for r in mine})
    maxima = {r.assignment: r.max_score for r in mine}
    learners: dict[str, dict] = {}
    for r in mine:
        uid = r.origin.get("user_id", "")
        if uid.startswith("anon_"):
            continue  # anonymous grading: Canvas's import matches no user by it
        learner = learners.setdefault(uid, {"name": r.origin.get("name", ""), "grades": {}})
        learner["grades"][r.assignment] = _grade(r)
    grades = to / "canvas-grades.csv"
    with grades.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CANVAS_STUDENT_COLUMNS + [titles.get(a, a) for a in assignments])
        # Canvas reads this row (first cell "Points Possible") as each column's maximum
        writer.writerow(
            ["Points Possible", "", "", "", ""] + [points(maxima[a]) for a in assignments]
        )
        for uid, learner in sorted(learners.items(), key=lambda kv: int(kv[0])):
            writer.writerow(
                [learner["name"], uid, "", "", ""]
                + [learner["grades"].get(a, "") for a in assignments]
            )
    written = [grades]
    for assignment in assignments:
        archive = to / f"canvas-feedback-{assignment}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for r in (r for r in mine if r.assignment == assignment):
                origin = r.origin
                if origin.get("user_id", "").startswith("anon_"):
                    continue
                late = "_LATE" if origin.get("late") else ""
                prefix = f"{origin['name']}{late}_{origin['user_id']}_{origin['attachment_id']}"
                for page in _pages(out, r):
                    zf.write(page, f"{prefix}_{page.name}")
        written.append(archive)
    return written


# ------------------------------------------------------------------ Moodle
def _moodle(out: Path, to: Path, mine: list[Result], titles: dict[str, str]) -> list[Path]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")  # parsed by PHP strtotime
    by_assignment = defaultdict(list)
    for r in mine:
        by_assignment[r.assignment].append(r)
    written = []
    for assignment, rs in sorted(by_assignment.items()):
        name = _file_safe(titles.get(assignment, assignment))
        worksheet = to / f"moodle-grades-{name}.csv"
        with worksheet.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(MOODLE_COLUMNS)
            for r in sorted(rs, key=lambda r: int(r.origin["user_id"])):
                writer.writerow(
                    [
                        f"Participant {r.origin['user_id']}",
                        r.origin.get("name", ""),
                        _grade(r),
                        points(r.max_score),
                        now,
                    ]
                )
        archive = to / f"moodle-feedback-{name}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for r in rs:
                prefix = f"{r.origin.get('name', 'Participant')}_{r.origin['user_id']}"
                for page in _pages(out, r):
                    zf.write(page, f"{prefix}_assignfeedback_file_{page.name}")
        written += [worksheet, archive]
    return written


def _file_safe(text: str) -> str:
    return lms.ascii_slug(text, keep="._") or "assignment"


def _report(stream, system: str, written: list[Path], mine: list[Result], others: int) -> None:
    stream.write(f"{system.title()}: {len(mine)} submissions\n")
    for path in written:
        stream.write(f"  wrote {path}\n")
    waiting = [r for r in mine if r.awaiting and r.status != "failed"]
    failed = [r for r in mine if r.status == "failed"]
    anonymous = [r for r in mine if r.origin.get("user_id", "").startswith("anon_")]
    if waiting:
        stream.write(
            f"  no grade for {len(waiting)} awaiting hand grading (grade them, run finalize, "
            f"export again): {', '.join(results.key_text(r.key) for r in waiting)}\n"
        )
    if failed:
        stream.write(
            f"  no grade for {len(failed)} that failed (see grades.csv): "
            f"{', '.join(results.key_text(r.key) for r in failed)}\n"
        )
    if anonymous:
        stream.write(
            f"  left out {len(anonymous)} graded anonymously: Canvas's import cannot match "
            "them; enter their grades in SpeedGrader\n"
        )
    if others:
        stream.write(f"  left out {others} submissions not downloaded from {system.title()}\n")
    stream.flush()
