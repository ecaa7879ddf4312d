"""Autograde notebooks with nbgrader's own Python API, in a scratch course directory.

Used by the lab tests (solution, blank and wrong-variant submissions) and as the core
the class-wide grader builds on.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI

from .config import REPO, nbgrader_config, scratch_db_url
from .release import release


@dataclass(frozen=True)
class CellGrade:
    grade_id: str
    auto_score: float | None  # None: waits for a person (a manually graded answer)
    max_score: float


class GradingError(RuntimeError):
    pass


class ScratchCourse:
    """A course directory holding one assignment's source, ready to autograde."""

    def __init__(self, workdir: Path, assignment: str, source_root: Path = REPO):
        self.root = Path(workdir)
        self.assignment = assignment
        shutil.copytree(
            source_root / "solutions" / assignment,
            self.root / "solutions" / assignment,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
        )
        self.db_url = scratch_db_url(self.root / "gradebook.db")
        self.config = nbgrader_config(
            **{
                "CourseDirectory.root": str(self.root),
                "CourseDirectory.db_url": self.db_url,
                # nothing is kept from a kernel after its notebook: no graceful goodbye
                "Execute.shutdown_kernel": "immediate",
            }
        )
        release([assignment], root=self.root, record_in_gradebook=True, db_url=self.db_url)
        self.api = NbGraderAPI(config=self.config)
        self.api.log.setLevel(logging.WARNING)

    def submission_dir(self, student: str) -> Path:
        return self.root / "_grading" / "submitted" / student / self.assignment

    def submit(self, student: str, notebooks: dict[str, nbformat.NotebookNode]) -> None:
        target = self.submission_dir(student)
        target.mkdir(parents=True, exist_ok=True)
        for name, notebook in notebooks.items():
            nbformat.write(notebook, target / name)
        with Gradebook(self.db_url) as gradebook:
            gradebook.update_or_create_student(student)

    def autograde(self, student: str) -> dict[str, CellGrade]:
        # the kernel inherits it: labs generate this student's variant (labkit)
        before = os.environ.get("COURSE_STUDENT_ID")
        os.environ["COURSE_STUDENT_ID"] = student
        try:
            result = self.api.autograde(self.assignment, student, force=True, create=True)
        finally:
            if before is None:
                os.environ.pop("COURSE_STUDENT_ID", None)
            else:
                os.environ["COURSE_STUDENT_ID"] = before
        if not result["success"]:
            raise GradingError(result.get("error") or result.get("log"))
        grades: dict[str, CellGrade] = {}
        with Gradebook(self.db_url) as gradebook:
            submission = gradebook.find_submission(self.assignment, student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grades[grade.name] = CellGrade(grade.name, grade.auto_score, grade.max_score)
        return grades
