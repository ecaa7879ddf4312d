"""Build the red-team class: one submission per attack, then victims graded after them.

    python tests/redteam/build.py ROOT     # writes ROOT/<student>/domains/domains.ipynb

Attackers are named ``a-<attack>`` and victims ``z-victim-<n>``, so that the grader
(which takes submissions in order) grades every victim after the attackers, in the
same worker processes. Returns the grade each must get.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat

if __package__ in (None, ""):  # run as a script: tests/ holds the redteam package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.synthetic import Expected, _meta, _notebook, answered, points  # noqa: E402
from redteam.attacks import ATTACKS  # noqa: E402

ASSIGNMENT = "domains"
VICTIMS = 3
CELLS = 20_000


def _with_cell(nb: nbformat.NotebookNode, code: str) -> nbformat.NotebookNode:
    """The notebook with the learner's own cell right after the setup cell."""
    nb = copy.deepcopy(nb)
    at = next(i for i, c in enumerate(nb.cells) if _meta(c).get("grade_id") == "setup") + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(code))
    return nb


def build(root: Path) -> list[Expected]:
    name, release = _notebook("labs", ASSIGNMENT)
    auto, manual, lost = points(ASSIGNMENT)
    total = auto + manual
    first = next(iter(lost))
    expected: list[Expected] = []

    def write(student: str, nb) -> None:
        folder = root / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(nbformat.writes(nb))

    for attack in ATTACKS:
        student = f"a-{attack.name}"
        if attack.name == "many-cells":
            nb = copy.deepcopy(release)
            nb.cells += [nbformat.v4.new_code_cell(f"x{i} = {i}") for i in range(CELLS)]
            score = 0.0
        elif attack.in_exercise:
            nb = answered(ASSIGNMENT, {first: attack.code})
            score = auto - lost[first]
        elif attack.answered:
            nb = _with_cell(answered(ASSIGNMENT), attack.code)
            score = auto
        else:
            nb = _with_cell(release, attack.code)
            score = 0.0
        write(student, nb)
        expected.append(
            Expected(student, ASSIGNMENT, score, total, attack.status or "", attack.keyword)
        )

    # test cells turned into text worth 100 points each, and a "bonus" test of its own
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        meta = _meta(cell)
        if meta.get("grade") and not meta.get("solution"):
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            meta["points"] = 100
    bonus = nbformat.v4.new_code_cell("pass")
    bonus.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "bonus",
        "points": 50,
        "solution": False,
        "locked": True,
        "schema_version": 3,
    }
    nb.cells.append(bonus)
    write("a-metadata-edit", nb)
    expected.append(Expected("a-metadata-edit", ASSIGNMENT, 0, total, "flagged", "metadata"))

    # a link to /dev/zero in place of a notebook: refused, the class goes on
    link = root / "a-symlink-dev-zero" / ASSIGNMENT
    link.mkdir(parents=True, exist_ok=True)
    (link / name).symlink_to("/dev/zero")
    expected.append(Expected("a-symlink-dev-zero", ASSIGNMENT, 0, total, "failed", "link"))

    for n in range(1, VICTIMS + 1):
        write(f"z-victim-{n}", answered(ASSIGNMENT))
        expected.append(Expected(f"z-victim-{n}", ASSIGNMENT, auto, total, "graded"))
    return expected


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for row in build(Path(sys.argv[1])):
        print(f"{row.student:32} {row.score:g}/{row.max_score:g} {row.status}")
