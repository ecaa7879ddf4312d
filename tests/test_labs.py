"""The labs: labs/ is what nbgrader makes of solutions/, the release runs as learners
meet it, and nbgrader's autograde gives full marks, zero, or exactly the points of the
one exercise a submission gets wrong."""

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
from autograder.synthetic import variant_earns, wrong_variants

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


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """Autograde the solution, the blank release and every wrong variant of one lab."""
    name = request.param
    course = ScratchCourse(tmp_path_factory.mktemp(name), name)
    sources = {
        n: nbformat.read(p, as_version=4) for n, p in _notebooks(REPO / "solutions" / name).items()
    }
    blanks = {
        n: nbformat.read(p, as_version=4) for n, p in _notebooks(REPO / "labs" / name).items()
    }
    course.submit("solution", sources)
    course.submit("blank", blanks)
    students = ["solution", "blank"]
    variants = wrong_variants(name)
    for grade_id, source in variants.items():
        owner = next(
            n
            for n, nb in blanks.items()
            if any(_nbgrader(c).get("grade_id") == grade_id for c in nb.cells)
        )
        course.submit(
            f"wrong-{grade_id}", {**sources, owner: _with_cell(sources[owner], grade_id, source)}
        )
        students.append(f"wrong-{grade_id}")
    results = {student: course.autograde(student) for student in students}
    return name, sources, variants, results


def test_the_solution_gets_full_marks(graded):
    name, _, _, results = graded
    short = {
        g.grade_id: (g.auto_score, g.max_score)
        for g in results["solution"].values()
        if g.auto_score is not None and g.auto_score < g.max_score
    }
    assert not short, f"{name}: the solution loses points in {short}"


def test_the_blank_release_gets_no_autograded_points(graded):
    name, _, _, results = graded
    earned = {g.grade_id: g.auto_score for g in results["blank"].values() if g.auto_score}
    assert not earned, f"{name}: the unanswered release earns points in {earned}"


def test_every_exercise_has_a_wrong_variant(graded):
    name, sources, variants, _ = graded
    exercises = {
        _nbgrader(c)["grade_id"]
        for nb in sources.values()
        for c in nb.cells
        if _nbgrader(c).get("solution") and c.cell_type == "code"
    }
    missing = sorted(exercises - set(variants))
    assert not missing, f"{name}: write a wrong variant in tests/lab_variants for {missing}"


def test_each_wrong_variant_loses_exactly_its_exercises_points(graded):
    name, sources, variants, results = graded
    full = {g.grade_id: g.max_score for g in results["solution"].values()}
    earns = variant_earns(name)
    for grade_id in variants:
        owner = next(
            nb
            for nb in sources.values()
            if any(_nbgrader(c).get("grade_id") == grade_id for c in nb.cells)
        )
        expected_lost = set(_exercise_tests(owner, grade_id))
        assert expected_lost, f"{name}: exercise {grade_id} has no autograded checks"
        got = results[f"wrong-{grade_id}"]
        lost = {
            g.grade_id
            for g in got.values()
            if g.auto_score is not None and g.auto_score < full[g.grade_id]
        }
        assert lost == expected_lost, (
            f"{name}: wrong {grade_id} should lose {sorted(expected_lost)}, lost {sorted(lost)}"
        )
        # a failed check keeps nothing, except where a lab gives partial credit: then the
        # variant keeps exactly what its rule gives (EARNS in tests/lab_variants/<lab>.py)
        kept = {g: got[g].auto_score for g in lost}
        assert sum(kept.values()) == pytest.approx(earns.get(grade_id, 0.0)), (
            f"{name}: wrong {grade_id} keeps {kept}, not the {earns.get(grade_id, 0.0)} "
            "points its partial-credit rule gives"
        )


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
