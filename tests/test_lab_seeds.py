"""Every lab graded: the solution gets full marks, the blank none, and each wrong variant
(tests/lab_variants/<lab>.py) loses exactly the points of its exercise.

Every lab but the quiz draws its names, numbers and causes from ``labkit`` (per-learner
variants); each lab is run for 20 student ids, its wrong variants on 3. The ids run one
after another in one IPython shell (tests/seed_runner.py: a kernel start per id would
cost minutes, and a kernel's messaging half of each run): before each, the namespace is
cleared, the student id set and labkit reloaded, and the lab's own first cell starts a
fresh mock, as it does for a learner. The blank is graded the way nbgrader grades it:
its read-only and test cells replaced by the source's, hidden tests included.
tests/test_labs.py shows that this runner and nbgrader's autograde give the same scores;
the class grader's tests and each lab's own tests grade through nbgrader itself.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import is_grade, is_locked
from test_labs import _exercise_tests, _with_cell  # the single-id harness's, shared

from autograder.config import REPO, assignments
from autograder.synthetic import variant_earns, wrong_variants

SEEDS = [f"learner-{i:02d}" for i in range(20)]
WRONG_SEEDS = SEEDS[:3]
RUNNER = Path(__file__).with_name("seed_runner.py")


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _notebook(folder: str, name: str) -> nbformat.NotebookNode:
    (path,) = sorted((REPO / folder / name).glob("*.ipynb"))
    return nbformat.read(path, as_version=4)


def _uses_labkit(name: str) -> bool:
    return any(
        "labkit" in cell.source for cell in _notebook("solutions", name).cells if cell.source
    )


LABS = assignments()
VARIANT_LABS = [name for name in LABS if _uses_labkit(name)]


def _as_graded(blank: nbformat.NotebookNode, source: nbformat.NotebookNode):
    """What nbgrader's OverwriteCells makes of a submission: read-only and test cells
    are the source's again."""
    originals = {_nbgrader(c)["grade_id"]: c for c in source.cells if _nbgrader(c).get("grade_id")}
    graded = copy.deepcopy(blank)
    for cell in graded.cells:
        meta = _nbgrader(cell)
        if meta.get("grade_id") in originals and (
            is_locked(cell) or (is_grade(cell) and not meta.get("solution"))
        ):
            cell.source = originals[meta["grade_id"]].source
    return graded


def _cells(nb: nbformat.NotebookNode) -> list[dict]:
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = _nbgrader(cell)
        test = is_grade(cell) and not meta.get("solution")
        cells.append(
            {"source": cell.source}
            | ({"grade_id": meta["grade_id"], "points": float(meta["points"])} if test else {})
        )
    return cells


def _run(jobs: list[tuple[str, nbformat.NotebookNode]], tmp_path) -> list[dict]:
    """Each (student, notebook): the score of each test cell, {grade_id: (score, error)}."""
    given = [{"student": student, "cells": _cells(nb)} for student, nb in jobs]
    done = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["student"] for r in results] == [student for student, _ in jobs]
    return [r["scores"] for r in results]


def test_every_lab_but_the_quiz_has_per_learner_variants():
    # the quiz asks the same questions of everyone (its letters are not numbers or names)
    assert set(VARIANT_LABS) == set(LABS) - {"quiz"}, VARIANT_LABS


class _OneLab:
    """One lab's grading. A class a lab (made below), so that pytest-xdist's loadscope
    hands each lab to a worker of its own rather than all of them to one."""

    name = ""

    def test_every_exercise_has_a_wrong_variant(self):
        name = self.name
        exercises = {
            _nbgrader(c)["grade_id"]
            for c in _notebook("solutions", name).cells
            if _nbgrader(c).get("solution") and c.cell_type == "code"
        }
        missing = sorted(exercises - set(wrong_variants(name)))
        assert not missing, f"{name}: write a wrong variant in tests/lab_variants for {missing}"

    def test_for_20_ids_the_solution_gets_full_marks_and_the_blank_none(self, tmp_path):
        name = self.name
        source = _notebook("solutions", name)
        blank = _as_graded(_notebook("labs", name), source)
        points = {c["grade_id"]: c["points"] for c in _cells(source) if "grade_id" in c}
        ids = SEEDS
        runs = _run([(student, nb) for student in ids for nb in (source, blank)], tmp_path)
        wrong = []
        for student, solved, unanswered in zip(ids, runs[0::2], runs[1::2], strict=True):
            for grade_id, (score, error) in solved.items():
                if score != points[grade_id]:
                    wrong.append(f"{student}: the solution gets {score} on {grade_id}: {error}")
            for grade_id, (score, _) in unanswered.items():
                if score:
                    wrong.append(f"{student}: the blank earns {score} on {grade_id}")
        assert set(solved) == set(points), "a test cell was not run"
        assert not wrong, "\n".join(wrong)

    def test_on_3_ids_each_wrong_variant_loses_exactly_its_exercise(self, tmp_path):
        name = self.name
        source = _notebook("solutions", name)
        earns = variant_earns(name)
        variants = wrong_variants(name)
        ids = WRONG_SEEDS
        jobs = [
            (student, _with_cell(source, grade_id, answer))
            for grade_id, answer in variants.items()
            for student in ids
        ]
        runs = iter(_run(jobs, tmp_path))
        points = {c["grade_id"]: c["points"] for c in _cells(source) if "grade_id" in c}
        wrong = []
        for grade_id in variants:
            lost_here = set(_exercise_tests(source, grade_id))
            assert lost_here, f"{name}: exercise {grade_id} has no autograded checks"
            for student in ids:
                scores = next(runs)
                lost = {g for g, (score, _) in scores.items() if score < points[g]}
                kept = sum(scores[g][0] for g in lost_here)
                if lost != lost_here or kept != pytest.approx(earns.get(grade_id, 0.0)):
                    wrong.append(
                        f"{student}, wrong {grade_id}: lost {sorted(lost)} keeping {kept}, "
                        f"expected to lose {sorted(lost_here)} keeping {earns.get(grade_id, 0.0)}"
                    )
        assert not wrong, "\n".join(wrong)


for _name in LABS:
    globals()[f"Test{_name.capitalize()}Lab"] = type(
        f"Test{_name.capitalize()}Lab", (_OneLab,), {"name": _name}
    )
