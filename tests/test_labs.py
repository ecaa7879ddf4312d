"""The labs: labs/ is what nbgrader makes of solutions/, the release runs as learners
meet it, and the in-process runner of tests/test_lab_seeds.py (which grades every lab's
solution, blank and wrong variants) scores as nbgrader's autograde does."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.config import REPO, assignments
from autograder.exercise_stubs import exercise_label
from autograder.nbgrader_run import ScratchCourse
from autograder.release import release
from autograder.synthetic import wrong_variants

ASSIGNMENTS = assignments()


def _notebooks(folder: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted(folder.glob("*.ipynb"))}


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def test_every_assignment_is_released():
    assert ASSIGNMENTS, "solutions/ holds no assignment"
    for name in ASSIGNMENTS:
        assert _notebooks(REPO / "labs" / name), f"labs/{name} is missing: run `make labs`"


def test_labs_are_what_nbgrader_generates_from_solutions_now(tmp_path):
    for name in ASSIGNMENTS:
        (tmp_path / "solutions").mkdir(exist_ok=True)
        (tmp_path / "solutions" / name).symlink_to(REPO / "solutions" / name)
    release(root=tmp_path, release_dir="fresh")
    for name in ASSIGNMENTS:
        fresh, committed = _notebooks(tmp_path / "fresh" / name), _notebooks(REPO / "labs" / name)
        assert fresh.keys() == committed.keys(), f"labs/{name}: notebooks differ; run `make labs`"
        for nb_name in fresh:
            made = json.loads(fresh[nb_name].read_text())
            kept = json.loads(committed[nb_name].read_text())
            assert made == kept, f"labs/{name}/{nb_name} is out of date: run `make labs`"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_notebooks_are_stored_clean(name):
    for folder in ("solutions", "labs"):
        for path in _notebooks(REPO / folder / name).values():
            nb = json.loads(path.read_text())
            assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), (
                f"{path} is stored with outputs"
            )
            assert all(not c.get("execution_count") for c in nb["cells"] if "execution_count" in c)
            assert set(nb["metadata"]) <= {"kernelspec", "language_info"}, path
            assert set(nb["metadata"].get("language_info", {})) <= {"name"}, (
                f"{path}: language_info carries machine-specific details"
            )


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_runs_to_its_end_and_says_plainly_what_is_unanswered(name, tmp_path):
    """Run top to bottom as released (as Run All does in JupyterLab): only cells tagged
    raises-exception (exercises and their checks) may fail, so nbclient, like JupyterLab,
    goes on past them; each exercise says it is not answered yet, and no NameError or
    NotImplementedError traceback is shown."""
    for path in _notebooks(REPO / "labs" / name).values():
        nb = nbformat.read(path, as_version=4)
        # no allow_errors: an untagged cell that fails stops the run and fails the test
        NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
        labels, heading = [], None  # each exercise's: the last heading above its cell
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                heading = exercise_label(cell.source) or heading
            elif _nbgrader(cell).get("solution"):
                labels.append(heading)
        shown = []
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            errors = [o for o in cell.outputs if o.output_type == "error"]
            where = f"{path.name} cell {i} ({_nbgrader(cell).get('grade_id', 'unnamed')})"
            if _nbgrader(cell).get("grade"):
                assert errors, f"{where}: the checks pass on an unanswered exercise"
            for error in errors:
                text = "\n".join(error.traceback)
                shown.append(text)
                assert "NameError" not in text and "NotImplementedError" not in text, (
                    f"{where} shows a traceback, not a plain message:\n{text}"
                )
        for label in labels:
            assert any(f"{label} is not answered yet" in t for t in shown), (
                f"{path.name}: nothing says that {label} is not answered yet"
            )


# ----------------------------------------------------------------- autograding


def _with_cell(nb: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    changed = copy.deepcopy(nb)
    cells = [c for c in changed.cells if _nbgrader(c).get("grade_id") == grade_id]
    assert cells, f"no cell with grade_id {grade_id!r}"
    cells[0].source = source.strip("\n")
    return changed


def _exercise_tests(nb: nbformat.NotebookNode, solution_id: str) -> list[str]:
    """The autograded cells that check one exercise: those after its solution cell and
    before the next solution cell."""
    found, inside = [], False
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if meta.get("solution") and cell.cell_type == "code":
            inside = meta.get("grade_id") == solution_id
        elif inside and meta.get("grade") and cell.cell_type == "code":
            found.append(meta["grade_id"])
    return found


def test_the_in_process_runner_scores_as_nbgraders_autograde(tmp_path):
    """tests/test_lab_seeds.py grades every lab's solution, blank and wrong variants in one
    IPython process, by nbgrader's scoring rules; here nbgrader's own autograde grades the
    quiz's (partial credit read from a cell's result, an error, a hidden test) and both
    must give every cell the same score. The class grader's tests grade every lab's
    solution and blank through nbgrader too (tests/test_autograder.py)."""
    from test_lab_seeds import _as_graded, _run

    name = "quiz"
    course = ScratchCourse(tmp_path / "course", name)
    ((nb_name, path),) = _notebooks(REPO / "solutions" / name).items()
    source = nbformat.read(path, as_version=4)
    blank = nbformat.read(REPO / "labs" / name / nb_name, as_version=4)
    submissions = {"solution": source, "blank": blank} | {
        f"wrong-{grade_id}": _with_cell(source, grade_id, answer)
        for grade_id, answer in wrong_variants(name).items()
    }
    for student, nb in submissions.items():
        course.submit(student, {nb_name: nb})
    by_nbgrader = {
        student: {g.grade_id: g.auto_score for g in course.autograde(student).values()}
        for student in submissions
    }
    jobs = [
        (student, _as_graded(nb, source) if student == "blank" else nb)
        for student, nb in submissions.items()
    ]
    in_process = dict(zip(submissions, _run(jobs, tmp_path), strict=True))
    differ = [
        f"{student} {grade_id}: nbgrader {by_nbgrader[student].get(grade_id)}, in process {score}"
        for student, scores in in_process.items()
        for grade_id, (score, _) in scores.items()
        if by_nbgrader[student].get(grade_id) != pytest.approx(score)
    ]
    partial = [s for scores in by_nbgrader.values() for s in scores.values() if s and s % 1]
    assert partial, "no wrong variant of the quiz earns partial credit: the check proves less"
    assert not differ, "\n".join(differ)


def test_nbgraders_validate_button_works_on_a_lab(tmp_path):
    """The Validate button in `make lab` runs `nbgrader validate` on the open notebook."""
    import shutil
    import subprocess
    import sys

    answered = tmp_path / "answered.ipynb"
    shutil.copy(REPO / "solutions" / "domains" / "domains.ipynb", answered)
    validate = [sys.executable, "-m", "nbgrader", "validate"]
    ok = subprocess.run([*validate, str(answered)], capture_output=True, text=True, cwd=REPO)
    assert "Success! Your notebook passes all the tests." in ok.stdout, ok.stdout + ok.stderr
    blank = subprocess.run(
        [*validate, str(REPO / "labs" / "domains" / "domains.ipynb")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert "VALIDATION FAILED ON 4 CELL(S)" in blank.stdout, blank.stdout + blank.stderr
