"""Runs one lab's notebook for many student ids, one after another, in this process's
IPython shell: the interpreter a kernel runs, without the kernel's messaging (about half
of each run's time when the runs are many and short).

Used by tests/test_lab_seeds.py as ``python tests/seed_runner.py < jobs.json``: each job
is a student id and the code cells to run (source, and the grade id and points of a test
cell); it prints one JSON line per job, the score of each test cell. Between jobs the
shell's namespace is cleared, the student id set and labkit reloaded, and the lab's own
first cell starts a fresh mock, as it does for a learner. A test cell scores as nbgrader
scores it: 0 on an error, its points otherwise, or the number its last line shows.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import json
import os
import sys

import autograder  # noqa: F401 (first: it spares this process a slow import; see there)

# isort: split
from IPython.core.interactiveshell import InteractiveShell
from nbgrader.utils import get_partial_grade


def _reload_labkit() -> None:
    for name in sorted(n for n in list(sys.modules) if n == "labkit" or n.startswith("labkit.")):
        importlib.reload(sys.modules[name])


def _score(shell: InteractiveShell, result, stderr: str, points: float) -> tuple[float, str]:
    error = result.error_before_exec or result.error_in_exec
    if error is not None:
        return 0.0, f"{type(error).__name__}: {error}"[:500]
    if stderr:  # nbgrader gives a test cell that wrote to stderr no points
        return 0.0, f"stderr: {stderr[:200]}"
    if result.result is not None:  # partial credit, read as nbgrader reads an execute_result
        data, _ = shell.display_formatter.format(result.result)
        return get_partial_grade({"data": data}, points), ""
    return points, ""


def run(shell: InteractiveShell, job: dict) -> dict:
    shell.reset(new_session=False)
    os.environ["COURSE_STUDENT_ID"] = job["student"]
    _reload_labkit()
    scores = {}
    for cell in job["cells"]:
        stderr = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
            result = shell.run_cell(cell["source"], store_history=False)
        if cell.get("grade_id"):
            scores[cell["grade_id"]] = _score(shell, result, stderr.getvalue(), cell["points"])
    return {"student": job["student"], "scores": scores}


def main() -> None:
    jobs = json.load(sys.stdin)
    shell = InteractiveShell.instance()
    shell.showtraceback = lambda *args, **kwargs: None  # errors are read from the results
    out = sys.stdout
    for i, job in enumerate(jobs):
        out.write(json.dumps(run(shell, job)) + "\n")
        out.flush()
        if i == 0:
            # what the first job imported and built stays for the rest: set aside from the
            # garbage collector, whose full collection at each reset would walk it (30 %
            # of a job's time)
            gc.freeze()


if __name__ == "__main__":
    main()
