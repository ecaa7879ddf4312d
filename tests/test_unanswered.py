"""What an unanswered exercise does once released (autograder/exercise_stubs.py,
labkit/answers.py): its stub names it, and the sandboxed grader still scores it 0."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from autograder.config import REPO
from autograder.exercise_stubs import exercise_label, free_names, top_level_names
from autograder.synthetic import build_class


@pytest.mark.parametrize(
    "heading, label",
    [
        ("### Exercise 2 (3 points)\n\nWrite ...", "Exercise 2"),
        ("### Exercise 1a (2 points): diagnose", "Exercise 1a"),
        ("### Glossary, group 1 (3 points): Studio", "Glossary, group 1"),
        ("Some prose, no heading", None),
    ],
)
def test_the_label_is_the_heading_above_the_exercise(heading, label):
    assert exercise_label(heading) == label


def test_the_names_an_answer_defines_are_its_top_level_ones():
    source = "def f(x):\n    inner = x\n    return inner\nfor i in range(2):\n    t = i\nq1 = {1}"
    assert top_level_names(source) == {"f", "i", "t", "q1"}
    assert free_names("print(q1, [d for d in q2])\ndef g(a):\n    return a + b") == {
        "print",
        "q1",
        "q2",
        "b",
    }


def test_the_sandboxed_grader_scores_an_unanswered_release_0_and_a_wrong_answer_as_before(
    tmp_path,
):
    """The stub's NotAnswered and a check's plain NameError are errors the kernel
    replies with: a blank scores 0, the solution full marks, each wrong variant loses
    exactly its exercise (python -m autograder grade, every kernel in the sandbox)."""
    root = tmp_path / "submitted"
    expected = build_class(root, ["quiz"], bad_for="")  # the quiz: NameError checks
    expected = [e for e in expected if e.student in ("good000", "blank")]
    for path in root.iterdir():
        if path.name not in ("good000", "blank"):
            for f in path.rglob("*.ipynb"):
                f.unlink()
            for d in sorted(path.rglob("*"), reverse=True):
                d.rmdir()
            path.rmdir()
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(root), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    with (out / "grades.csv").open() as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    for e in expected:
        assert float(rows[e.student]["score"]) == e.score, (e, rows[e.student])
