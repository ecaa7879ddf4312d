"""Labs with per-learner variants, graded over many student ids.

Every lab that draws its names, numbers and causes from ``labkit`` is run for 20 student
ids: the solution gets full marks and the blank none for each; on 3 ids, each wrong
variant loses exactly the points of its exercise. The ids run one after another in one
kernel (a kernel start per id would cost minutes): before each, the kernel's namespace
is cleared, the student id set and labkit reloaded, and the lab's own first cell starts a
fresh mock, as it does for a learner. The blank is graded the way nbgrader grades it:
its read-only and test cells replaced by the source's, hidden tests included.
tests/test_labs.py grades one id per lab through nbgrader itself.
"""

from __future__ import annotations

import copy

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient
from nbgrader.utils import determine_grade, is_grade, is_locked

from autograder.config import REPO, assignments
from autograder.synthetic import variant_earns, wrong_variants

SEEDS = [f"learner-{i:02d}" for i in range(20)]
WRONG_SEEDS = SEEDS[:3]
RESET = """\
%reset -f
import importlib as _importlib, os as _os, sys as _sys
_os.environ["COURSE_STUDENT_ID"] = {student!r}
for _name in sorted(n for n in list(_sys.modules) if n == "labkit" or n.startswith("labkit.")):
    _importlib.reload(_sys.modules[_name])
"""


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _notebook(folder: str, name: str) -> nbformat.NotebookNode:
    (path,) = sorted((REPO / folder / name).glob("*.ipynb"))
    return nbformat.read(path, as_version=4)


def _uses_labkit(name: str) -> bool:
    return any(
        "labkit" in cell.source for cell in _notebook("solutions", name).cells if cell.source
    )


VARIANT_LABS = [name for name in assignments() if _uses_labkit(name)]


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


def _with_cell(nb: nbformat.NotebookNode, grade_id: str, source: str):
    changed = copy.deepcopy(nb)
    (cell,) = [c for c in changed.cells if _nbgrader(c).get("grade_id") == grade_id]
    cell.source = source.strip("\n")
    return changed


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3", stdout=-3, stderr=-3)  # DEVNULL
    kc.stop_channels()
    yield km
    km.shutdown_kernel(now=True)


def _scores(km, nb: nbformat.NotebookNode, student: str) -> dict[str, tuple[float, float]]:
    run = copy.deepcopy(nb)
    run.cells.insert(0, nbformat.v4.new_code_cell(RESET.format(student=student)))
    NotebookClient(
        run, km=km, allow_errors=True, timeout=120, resources={"metadata": {"path": "/tmp"}}
    ).execute()
    reset_errors = [o for o in run.cells[0].outputs if o.output_type == "error"]
    assert not reset_errors, reset_errors
    return {
        _nbgrader(cell)["grade_id"]: determine_grade(cell)
        for cell in run.cells[1:]
        if cell.cell_type == "code" and is_grade(cell) and not _nbgrader(cell).get("solution")
    }


def _exercise_tests(nb: nbformat.NotebookNode, solution_id: str) -> set[str]:
    found, inside = set(), False
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if meta.get("solution") and cell.cell_type == "code":
            inside = meta.get("grade_id") == solution_id
        elif inside and meta.get("grade") and cell.cell_type == "code":
            found.add(meta["grade_id"])
    return found


def test_the_labs_with_variants_are_found():
    # the labs this course generates per learner; a lab that adopts labkit joins here
    assert {"incidents", "policy", "spaces"} <= set(VARIANT_LABS), VARIANT_LABS


@pytest.mark.parametrize("name", VARIANT_LABS)
def test_for_20_ids_the_solution_gets_full_marks_and_the_blank_none(name, kernel):
    source = _notebook("solutions", name)
    blank = _as_graded(_notebook("labs", name), source)
    wrong = []
    for student in SEEDS:
        for grade_id, (score, top) in _scores(kernel, source, student).items():
            if score != top:
                wrong.append(f"{student}: the solution gets {score}/{top} on {grade_id}")
        for grade_id, (score, _) in _scores(kernel, blank, student).items():
            if score:
                wrong.append(f"{student}: the blank earns {score} on {grade_id}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", VARIANT_LABS)
def test_on_3_ids_each_wrong_variant_loses_exactly_its_exercise(name, kernel):
    source = _notebook("solutions", name)
    earns = variant_earns(name)
    wrong = []
    for grade_id, answer in wrong_variants(name).items():
        lost_here = _exercise_tests(source, grade_id)
        for student in WRONG_SEEDS:
            scores = _scores(kernel, _with_cell(source, grade_id, answer), student)
            lost = {g for g, (score, top) in scores.items() if score < top}
            kept = sum(scores[g][0] for g in lost_here)
            if lost != lost_here or kept != earns.get(grade_id, 0.0):
                wrong.append(
                    f"{student}, wrong {grade_id}: lost {sorted(lost)} keeping {kept}, "
                    f"expected to lose {sorted(lost_here)} keeping {earns.get(grade_id, 0.0)}"
                )
    assert not wrong, "\n".join(wrong)
