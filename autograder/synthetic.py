"""A synthetic class for testing and benchmarking the grader.

Submissions are made the way learners make them: from the released notebook, with
each exercise answered by the solution or by a known wrong variant
(tests/lab_variants/<assignment>.py). Bad submissions of every kind the grader must
survive are added for one assignment. Each comes with the grade it must get.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .config import REPO, assignments

_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


@dataclass
class Expected:
    student: str
    assignment: str
    score: float
    max_score: float
    status: str
    keyword: str = ""  # a word the grades.csv message must contain


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _notebook(folder: str, assignment: str) -> tuple[str, nbformat.NotebookNode]:
    path = next(iter(sorted((REPO / folder / assignment).glob("*.ipynb"))))
    return path.name, nbformat.read(path, as_version=4)


def answered(assignment: str, overrides: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The release notebook with every exercise answered (by the solution unless
    ``overrides`` gives another answer for a grade id)."""
    _, source = _notebook("solutions", assignment)
    _, release = _notebook("labs", assignment)
    answers = {
        _meta(c)["grade_id"]: _SOLUTION.sub("", c.source)
        for c in source.cells
        if _meta(c).get("solution")
    }
    answers.update(overrides or {})
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        gid = _meta(cell).get("grade_id")
        if gid in answers:
            cell.source = answers[gid].strip("\n")
    return nb


def _variants(assignment: str):
    """tests/lab_variants/<assignment>.py as a module, or None."""
    path = REPO / "tests" / "lab_variants" / f"{assignment}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"variants_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wrong_variants(assignment: str) -> dict[str, str]:
    module = _variants(assignment)
    return dict(module.WRONG) if module else {}


def variant_earns(assignment: str) -> dict[str, float]:
    """Points a wrong variant still earns on its own exercise through partial credit
    (the module's ``EARNS``; 0 for a variant it does not name)."""
    module = _variants(assignment)
    return dict(getattr(module, "EARNS", {})) if module else {}


def points(assignment: str) -> tuple[float, float, dict[str, float]]:
    """(autograded total, manual total, autograded points lost per wrong exercise)."""
    _, source = _notebook("solutions", assignment)
    auto = manual = 0.0
    lost: dict[str, float] = {}
    current = None
    for cell in source.cells:
        meta = _meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            current = meta["grade_id"]
        if meta.get("grade"):
            if cell.cell_type == "code":
                auto += meta["points"]
                if current:
                    lost[current] = lost.get(current, 0) + meta["points"]
            else:
                manual += meta["points"]
    return auto, manual, lost


def _write(root: Path, student: str, assignment: str, name: str, nb) -> None:
    folder = root / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(nbformat.writes(nb) if not isinstance(nb, str) else nb)


def build_class(
    root: Path, names: list[str] | None = None, bad_for: str = "domains", copies: int = 1
) -> list[Expected]:
    """Write a submitted/ tree under ``root``; return the grades each must get."""
    expected: list[Expected] = []
    for assignment in names or assignments():
        name, _ = _notebook("labs", assignment)
        auto, manual, lost = points(assignment)
        total = auto + manual
        for i in range(copies):
            student = f"good{i:03d}"
            _write(root, student, assignment, name, answered(assignment))
            # essays wait for a person: graded, with a note saying so
            note = "awaiting grading" if manual else ""
            expected.append(Expected(student, assignment, auto, total, "graded", note))
        _, release = _notebook("labs", assignment)
        _write(root, "blank", assignment, name, release)
        expected.append(Expected("blank", assignment, 0, total, "graded"))  # nothing to grade
        earns = variant_earns(assignment)
        for gid, wrong in wrong_variants(assignment).items():
            student = f"wrong-{gid}"
            _write(root, student, assignment, name, answered(assignment, {gid: wrong}))
            score = auto - lost[gid] + earns.get(gid, 0.0)
            expected.append(Expected(student, assignment, score, total, "graded"))
    if bad_for in (names or assignments()):
        expected += _bad_submissions(root, bad_for)
    return expected


def _bad_submissions(root: Path, assignment: str) -> list[Expected]:
    """One submission of each kind that must not stop the class (for a lab whose
    exercises are all autograded)."""
    name, _ = _notebook("labs", assignment)
    auto, _, lost = points(assignment)
    exercises = list(lost)
    first, second = exercises[0], exercises[1]
    good = answered(assignment)
    out: list[Expected] = []

    def add(student, nb, score, status, keyword, file_name=name):
        _write(root, student, assignment, file_name, nb)
        out.append(Expected(student, assignment, score, auto, status, keyword))

    add("bad-json", '{"cells": [ {"cell_type": "code", "source": ', 0, "failed", "JSON")
    add("bad-name", good, auto, "flagged", "file name", file_name=f"{Path(name).stem} (1).ipynb")

    nb = copy.deepcopy(good)
    nb.cells = [c for c in nb.cells if _meta(c).get("grade") is not True]
    add("bad-deleted-tests", nb, auto, "flagged", "deleted")

    nb = copy.deepcopy(good)
    random.Random(7).shuffle(nb.cells)
    add("bad-reordered", nb, auto, "flagged", "moved")

    nb = copy.deepcopy(good)
    nb.cells = [
        c
        for cell in nb.cells
        for c in (
            [cell, copy.deepcopy(cell)]
            if _meta(cell).get("grade_id") in (first, f"test-{first}")
            else [cell]
        )
    ]
    add("bad-duplicated", nb, auto, "flagged", "duplicated")

    nb = answered(assignment, {first: wrong_variants(assignment)[first]})
    for cell in nb.cells:
        if _meta(cell).get("grade") and cell.cell_type == "code":
            cell.source = "print('all good')  # tests edited away"
    add("bad-edited-tests", nb, auto - lost[first], "flagged", "restored")

    add(
        "bad-infinite-loop",
        answered(assignment, {first: "while True:\n    pass"}),
        auto - lost[first],
        "flagged",
        "time limit",
    )
    add(
        "bad-exit",
        answered(assignment, {first: "import os\nos._exit(3)"}),
        auto - lost[first],
        "flagged",
        "kernel died",
    )
    add(
        "bad-segfault",
        answered(assignment, {first: "import ctypes\nctypes.string_at(0)"}),
        auto - lost[first],
        "flagged",
        "kernel died",
    )
    huge = "for i in range(300_000):\n    print('x' * 200)\n"
    add(
        "bad-huge-output",
        answered(assignment, {first: huge + _SOLUTION.sub("", _solution_of(assignment, first))}),
        auto,
        "graded",
        "",
    )
    add(
        "bad-network",
        answered(
            assignment,
            {
                second: "import urllib.request\n"
                "urllib.request.urlopen('http://203.0.113.7', timeout=5)"
            },
        ),
        auto - lost[second],
        "flagged",
        "network",
    )
    add(
        "bad-aws",
        answered(
            assignment,
            # straight to a real AWS endpoint, around the mock
            {second: "import socket\nsocket.create_connection(('sts.amazonaws.com', 443), 5)"},
        ),
        auto - lost[second],
        "flagged",
        "network",
    )
    escape = json.dumps(str(root.parent / "escaped.txt"))
    add(
        "bad-writes-outside",
        answered(assignment, {second: f"open({escape}, 'w').write('gotcha')"}),
        auto - lost[second],
        "flagged",
        "outside",
    )
    return out


def _solution_of(assignment: str, grade_id: str) -> str:
    _, source = _notebook("solutions", assignment)
    return next(c.source for c in source.cells if _meta(c).get("grade_id") == grade_id)
