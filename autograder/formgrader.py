"""Hand grading with nbgrader's Formgrader, pointed at a graded OUT.

OUT is an nbgrader course directory of its own (no copy of the class into the
repository): ``OUT/nbgrader_config.py`` is the course's configuration with OUT as the root
and OUT's gradebook, ``OUT/autograded/`` holds what Formgrader shows, and
``OUT/submitted/<student>/<assignment>/`` marks each graded submission so that Formgrader
counts it. The marks hold no notebook: Formgrader's Autograde button, which would run
student code outside the sandbox, finds nothing to run.

Before each answer graded by hand, the autograded notebook gets a cell for graders: the
model answer and rubric from ``solutions/`` (feedback.DropGraderNotes keeps it from
learners).

``python -m autograder formgrader OUT`` starts Formgrader alone on 127.0.0.1, with its
Autograde and Generate Feedback buttons answering with the command to use instead
(``grade`` runs kernels in the sandbox; ``finalize`` renders feedback without hidden tests).
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import socket
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell

from .config import REPO
from .feedback import GRADER_NOTE

_SOLUTION = re.compile(
    r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(?P<text>.*?)^[ \t]*### END SOLUTION", re.S | re.M
)
READY_MARK = "graded by python -m autograder.txt"
CONFIG = '''"""Formgrader's view of this graded class, written by python -m autograder.

Hand grading: python -m autograder formgrader OUT; afterwards
python -m autograder finalize OUT puts the points into grades.csv, feedback and report.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets
load_subconfig({course_config!r})  # noqa: F821 - the course's own nbgrader configuration

HERE = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = {solutions!r}
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = os.environ.get(
    "AUTOGRADER_DB_URL", "sqlite:///" + os.path.join(HERE, "gradebook.db")
)
# feedback made here, too, keeps hidden tests and graders' notes from learners
c.GenerateFeedback.preprocessors = [
    "autograder.feedback." + step
    for step in {steps!r}
]
'''


# ------------------------------------------------------------------ rubrics for graders
@functools.cache
def rubrics(assignment: str, source_root: Path = REPO) -> dict[str, str]:
    """The solution region (model answer, rubric) of each answer graded by hand."""
    found = {}
    for path in sorted((source_root / "solutions" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            region = _SOLUTION.search(cell.source)
            if meta.get("grade") and meta.get("solution") and region:
                found[meta["grade_id"]] = region["text"].strip()
    return found


def with_rubrics(assignment: str, raw: bytes) -> bytes:
    """An autograded notebook with a note for graders before each answer graded by hand."""
    notes = rubrics(assignment)
    if not notes:
        return raw
    try:
        nb = nbformat.reads(raw.decode(), as_version=4)
    except (ValueError, UnicodeDecodeError):
        return raw  # shown as it is; the rubric stays in solutions/
    cells = []
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        already = cells and cells[-1].get("metadata", {}).get(GRADER_NOTE)
        if gid in notes and not already:
            cells.append(_note(assignment, gid, notes[gid]))
        cells.append(cell)
    nb.cells = cells
    return nbformat.writes(nb).encode()


def _note(assignment: str, grade_id: str, text: str) -> nbformat.NotebookNode:
    quoted = "\n".join("> " + line if line else ">" for line in text.splitlines())
    cell = new_markdown_cell(
        f"**For graders** (not in the learner's feedback): the model answer and rubric of "
        f"`{grade_id}`, from `solutions/{assignment}`.\n\n{quoted}"
    )
    cell.metadata[GRADER_NOTE] = True
    return cell


# ------------------------------------------------------------------ OUT as a course
def prepare(out: Path, keys: list[tuple[str, str]]) -> None:
    """Make OUT a course directory Formgrader can open, listing these submissions."""
    from .feedback import FEEDBACK_PREPROCESSORS

    (out / "nbgrader_config.py").write_text(
        CONFIG.format(
            course_config=str(REPO / "nbgrader_config.py"),
            solutions=str(REPO / "solutions"),
            steps=[step.__name__ for step in FEEDBACK_PREPROCESSORS],
        )
    )
    for student, assignment in keys:
        if any((out / "autograded" / student / assignment).glob("*.ipynb")):
            mark = out / "submitted" / student / assignment
            mark.mkdir(parents=True, exist_ok=True)
            (mark / READY_MARK).touch()


# ------------------------------------------------------------------ the server
class FormgraderError(RuntimeError):
    pass


def serve(out: Path, port: int, db_url: str | None, stream=sys.stderr) -> None:
    """Formgrader alone, on 127.0.0.1, until interrupted."""
    from jupyter_server.serverapp import ServerApp
    from nbgrader.apps import NbGraderAPI

    from .publish import gradebook_url, require_graded

    out = require_graded(out)
    os.environ["AUTOGRADER_DB_URL"] = gradebook_url(out, db_url)
    NbGraderAPI.autograde = _refusal(
        "Autograde here would run student code outside the sandbox: use "
        f"python -m autograder grade SUBMISSIONS --out {out}"
    )
    NbGraderAPI.generate_feedback = _refusal(
        f"Feedback is made by python -m autograder finalize {out} (hidden tests left out)"
    )
    token = os.environ.get("AUTOGRADER_FORMGRADER_TOKEN") or secrets.token_hex(24)
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as err:
            raise FormgraderError(
                f"port {port} on 127.0.0.1 is taken ({err.strerror}): pass --port N"
            ) from err
    os.chdir(out)  # Formgrader reads nbgrader_config.py from the folder it starts in
    app = ServerApp()
    app.initialize(
        argv=[
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={out}",
            f"--IdentityProvider.token={token}",
            "--ServerApp.jpserver_extensions={'nbgrader.server_extensions.formgrader': True}",
            # a grading machine run as root (as the sandbox's uids allow) may serve it too:
            # it listens on 127.0.0.1 only, behind a token
            f"--ServerApp.allow_root={os.geteuid() == 0}",
        ],
        find_extensions=False,
    )
    stream.write(
        f"Formgrader for {out}:\n  http://127.0.0.1:{app.port}/formgrader?token={token}\n"
        "Grade the answers under Manual Grading; then, in another terminal:\n"
        f"  python -m autograder finalize {out}\nStop with Ctrl+C.\n"
    )
    stream.flush()
    app.start()


def _refusal(message: str):
    def refuse(self, *args, **kwargs) -> dict:
        return {"success": False, "error": message, "log": message}

    return refuse
