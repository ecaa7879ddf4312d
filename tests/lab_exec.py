"""Running a lab's solution in this process, cell by cell, for the labs' own tests: fast
enough to try many learners, and it says which check failed with its message."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import redirect_stdout
from io import StringIO
from typing import Any

import nbformat

from autograder.config import REPO


def code_cells(lab: str) -> list[tuple[str, str, dict]]:
    """(grade id, source, nbgrader metadata) of each code cell of the lab's solution."""
    nb = nbformat.read(REPO / "solutions" / lab / f"{lab}.ipynb", as_version=4)
    return [
        (c.metadata["nbgrader"]["grade_id"], c.source, c.metadata["nbgrader"])
        for c in nb.cells
        if c.cell_type == "code"
    ]


def run_lab(
    cells: list[tuple[str, str, dict]],
    student: str,
    monkeypatch,
    replace: dict[str, str] | None = None,
    keep: dict | None = None,
) -> dict[str, str]:
    """Each check's outcome for ``student``: "passed", or its failure's message.
    ``replace`` swaps solution cells for other answers; ``keep``, if given, gets the
    notebook's names at the end."""
    monkeypatch.setenv("COURSE_STUDENT_ID", student)
    namespace: dict = {"__name__": "__main__"}
    outcomes = {}
    try:
        for cell_id, source, meta in cells:
            if cell_id == "teardown":
                continue  # the mock stops below, whatever happened
            source = (replace or {}).get(cell_id, source)
            try:
                with redirect_stdout(StringIO()):
                    exec(compile(source, f"<{cell_id}>", "exec"), namespace)
                if meta.get("grade"):
                    outcomes[cell_id] = "passed"
            except AssertionError as err:
                assert meta.get("grade"), f"{student}: cell {cell_id} failed: {err}"
                outcomes[cell_id] = str(err) or "AssertionError"
    finally:
        if keep is not None:
            keep.update(namespace)
        if "studio" in namespace:
            namespace["studio"].stop()
    return outcomes


def assert_learners_differ(
    answers: Callable[[Any], dict], variant: Callable[[str], Any], *, by_field: bool = True
) -> None:
    """Two learners get a different expected answer for every exercise with names or
    numbers (each of its fields, or its answer as a whole), and one id always the same."""
    one, two = answers(variant("learner-00")), answers(variant("learner-01"))
    assert variant("learner-00") == variant("learner-00")  # the grader regenerates it
    assert answers(variant("learner-00")) == one
    same = []
    for exercise, expected in one.items():
        fields = expected if by_field else {"answer": expected}
        others = two[exercise] if by_field else {"answer": two[exercise]}
        same += [
            f"{exercise}: both get {what} {v!r}" for what, v in fields.items() if v == others[what]
        ]
    assert not same, "\n".join(same)
