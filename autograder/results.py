"""A graded class as every output shows it: the autograder's rows, and the points graders
entered by hand in the class gradebook (Formgrader).

``grade`` keeps its rows in ``OUT/results.json``; ``finalize``, ``export`` and the report
read them back with the gradebook's hand grades, so a score a person entered reaches every
output without regrading. An answer nobody has graded yet counts as *awaiting grading*,
never as 0.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import (
    Assignment,
    BaseCell,
    Comment,
    Grade,
    Gradebook,
    SubmittedAssignment,
    SubmittedNotebook,
)

RESULTS = "results.json"
# what grade wrote before hand grades were read back (an OUT graded by an older version)
_LEGACY_NOTE = re.compile(r"(; )?\d+(\.\d+)? points wait for manual grading")


@dataclass
class Cell:
    """One graded cell of one submission."""

    name: str
    max_score: float
    auto: float | None  # None: nobody can grade it but a person
    manual: float | None = None  # what a grader entered in Formgrader
    extra: float = 0.0  # Formgrader's extra credit
    review: bool = False  # graded by hand before the submission changed

    @property
    def awaiting(self) -> bool:
        return self.auto is None and self.manual is None

    @property
    def score(self) -> float:
        if self.awaiting:
            return 0.0
        return (self.manual if self.manual is not None else self.auto) + self.extra


@dataclass
class Result:
    """One learner's submission of one assignment."""

    student: str
    assignment: str
    status: str  # graded | flagged | failed
    message: str  # what the autograder said
    max_score: float
    cells: dict[str, Cell] = field(default_factory=dict)
    seconds: float | None = None  # grading time, for the report
    failures: dict[str, str] = field(default_factory=dict)  # check -> message shown
    origin: dict = field(default_factory=dict)  # the LMS's names (lms.Download)
    hand: str = ""  # fingerprint of the hand grades and comments in the gradebook

    @property
    def key(self) -> tuple[str, str]:
        return (self.student, self.assignment)

    @property
    def score(self) -> float:
        return sum(c.score for c in self.cells.values())

    @property
    def awaiting(self) -> list[Cell]:
        return [c for c in natural(self.cells.values()) if c.awaiting]

    @property
    def awaiting_points(self) -> float:
        return sum(c.max_score for c in self.awaiting)

    def notes(self) -> list[str]:
        """The autograder's message, then what hand grading and the LMS add."""
        notes = [self.message] if self.message else []
        if self.origin.get("late"):
            notes.append("submitted late (Canvas marked it LATE)")
        review = [c.name for c in natural(self.cells.values()) if c.review]
        if review:
            notes.append(
                f"graded by hand before the submission changed: review {', '.join(review)}"
            )
        if self.awaiting and self.status != "failed":
            notes.append(
                f"awaiting grading: {', '.join(c.name for c in self.awaiting)} "
                f"({points(self.awaiting_points)} of {points(self.max_score)} points)"
            )
        return notes

    def row(self) -> dict:
        return {
            "student": self.student,
            "assignment": self.assignment,
            "score": points(self.score),
            "max_score": points(self.max_score),
            "awaiting": points(self.awaiting_points) if self.awaiting else "",
            "status": self.status,
            "message": "; ".join(self.notes()),
        }


CSV_FIELDS = ["student", "assignment", "score", "max_score", "awaiting", "status", "message"]


def points(value: float) -> str:
    return f"{value:g}"


def natural_key(text: str) -> list:
    """q2 before q10: digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def natural(cells) -> list[Cell]:
    return sorted(cells, key=lambda c: natural_key(c.name))


# ------------------------------------------------------------------ OUT/results.json
def save(
    out: Path,
    rows: list[dict],
    journal: dict,
    origins: dict,
    names: list[str],
    notices: list[str],
) -> None:
    """The run's rows with their cells, timing and LMS names, and what the run reported
    about its input. Rows of assignments this run did not grade (``--assignment``) are
    kept from the last run, and so is the record of which hand grades each feedback page
    shows."""
    try:
        before = _read(out)
    except ResultsError:
        before = {}  # this run writes it anew (other assignments' rows need their rerun)
    kept = [r for r in before.get("rows", []) if r["assignment"] not in names]
    fresh = []
    for row in rows:
        key = (row["student"], row["assignment"])
        entry = journal.get(key, {})
        fresh.append(
            {
                **row,
                "message": _LEGACY_NOTE.sub("", row.get("message", "")).strip("; "),
                "cells": entry.get("cells", {}) if row["status"] != "failed" else {},
                "seconds": entry.get("seconds"),
                "failures": entry.get("failures", {}) if row["status"] != "failed" else {},
                "origin": origins.get(key, {}),
            }
        )
    ordered = sorted(kept + fresh, key=lambda r: (r["student"], r["assignment"]))
    _write(out, {**before, "rows": ordered, "notices": notices})


def load(out: Path, db_url: str) -> list[Result]:
    """The class as it stands: the autograder's rows and the gradebook's hand grades."""
    data = _read(out)
    if not data.get("rows"):
        raise FileNotFoundError(
            f"{out} holds no graded class ({RESULTS} is missing): run "
            "python -m autograder grade SUBMISSIONS --out OUT first"
        )
    results = []
    for row in data["rows"]:
        cells = {
            name: Cell(name, float(max_score), auto)
            for name, (auto, max_score) in row.get("cells", {}).items()
        }
        results.append(
            Result(
                row["student"],
                row["assignment"],
                row["status"],
                row.get("message", ""),
                float(row["max_score"]),
                cells,
                row.get("seconds"),
                row.get("failures", {}),
                row.get("origin", {}),
            )
        )
    _add_hand_grades(results, db_url)
    return results


def rendered(out: Path) -> dict[str, str]:
    """Per submission, the hand-grades fingerprint its feedback page was made with."""
    return dict(_read(out).get("rendered", {}))


def notices(out: Path) -> list[str]:
    """What the last grading run reported about its input (files not graded, choices)."""
    return list(_read(out).get("notices", []))


def save_rendered(out: Path, fingerprints: dict[str, str]) -> None:
    data = _read(out)
    _write(out, {**data, "rendered": fingerprints})


def key_text(key: tuple[str, str]) -> str:
    return f"{key[0]}/{key[1]}"


class ResultsError(ValueError):
    pass


def _read(out: Path) -> dict:
    path = out / RESULTS
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as err:
        raise ResultsError(
            f"{path} is damaged ({err}): run python -m autograder grade again to write it "
            "(hand grades are safe in the gradebook)"
        ) from err
    if not isinstance(data, dict):
        raise ResultsError(f"{path} is not the grader's: run python -m autograder grade again")
    return data


def _write(out: Path, data: dict) -> None:
    path = out / RESULTS
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1))
    temporary.replace(path)  # never half a file, even if interrupted


# ------------------------------------------------------------------ the gradebook
def _add_hand_grades(results: list[Result], db_url: str) -> None:
    by_key = {r.key: r for r in results}
    fingerprints: dict[tuple[str, str], list] = defaultdict(list)
    with Gradebook(db_url) as gradebook:
        grades = _per_cell(
            gradebook.db, Grade, Grade.manual_score, Grade.extra_credit, Grade.needs_manual_grade
        )
        for student, assignment, name, manual, extra, needs in grades:
            result = by_key.get((student, assignment))
            if result is None or name not in result.cells:
                continue
            cell = result.cells[name]
            cell.manual, cell.extra = manual, extra or 0.0
            cell.review = manual is not None and bool(needs)
            fingerprints[(student, assignment)].append((name, manual, extra, needs))
        comments = _per_cell(gradebook.db, Comment, Comment.manual_comment)
        for student, assignment, name, text in comments.filter(Comment.manual_comment.isnot(None)):
            fingerprints[(student, assignment)].append((name, text))
    for key, entries in fingerprints.items():
        if key in by_key:
            digest = hashlib.sha256(json.dumps(sorted(map(str, entries))).encode())
            by_key[key].hand = digest.hexdigest()[:16]


def _per_cell(db, table, *columns):
    """(student, assignment, cell name, *columns) for every row of a per-cell table (grades,
    comments) of the class, in one query."""
    return (
        db.query(SubmittedAssignment.student_id, Assignment.name, BaseCell.name, *columns)
        .join(SubmittedNotebook, table.notebook_id == SubmittedNotebook.id)
        .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
        .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
        .join(BaseCell, table.cell_id == BaseCell.id)
    )


def failed_checks(notebooks: dict[str, bytes]) -> dict[str, str]:
    """The message of each check (test cell) that failed, as the learner saw it: what the
    report counts to tell what to re-teach."""
    failures = {}
    for raw in notebooks.values():
        try:
            cells = json.loads(raw).get("cells", [])
        except (ValueError, AttributeError):
            continue
        for cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not (meta.get("grade") and cell.get("cell_type") == "code"):
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    text = f"{output.get('ename', '')}: {output.get('evalue', '')}"
                    failures[meta.get("grade_id", "?")] = text.strip(": ")[:300]
                elif output.get("output_type") == "execute_result":
                    partial = _partial_credit(cell, output, meta)
                    if partial:
                        failures[meta.get("grade_id", "?")] = partial[:300]
    return failures


def _partial_credit(cell: dict, result: dict, meta: dict) -> str:
    """A check that earned part of its points also failed, in part: its message is what
    it printed as feedback (lines starting with "- "), or its score when it printed none."""
    value = result.get("data", {}).get("text/plain", "")
    try:  # a notebook on disk may keep text as a list of lines
        earned = float("".join(value) if isinstance(value, list) else str(value))
        points = float(meta.get("points", 0))
    except ValueError:
        return ""
    if not 0 <= earned < points:
        return ""
    printed = "".join(
        "".join(o.get("text", ""))
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )
    notes = [line.strip()[2:] for line in printed.splitlines() if line.strip().startswith("- ")]
    return f"{earned:g} of {points:g} points" + (f": {'; '.join(notes)}" if notes else "")
