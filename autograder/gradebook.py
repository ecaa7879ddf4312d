"""Recording results in the class gradebook: one writer, nbgrader's own preprocessor.

Workers grade in private SQLite gradebooks; the coordinator writes each result into the
class gradebook (SQLite by default, or any SQLAlchemy URL such as PostgreSQL) with
nbgrader's SaveAutoGrades, exactly as ``nbgrader autograde`` would have.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import SaveAutoGrades
from sqlalchemy.exc import IntegrityError, OperationalError

from .worker import JobResult


def normalise_db_url(url: str) -> str:
    """``postgresql://`` means psycopg2 to SQLAlchemy; the course installs psycopg 3."""
    if url.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def record(db_url: str, result: JobResult, course_id: str, attempts: int = 5) -> None:
    """Write one result; retried when another grader writes the same rows at once."""
    for attempt in range(attempts):
        try:
            _record(db_url, result, course_id)
            return
        except (IntegrityError, OperationalError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _record(db_url: str, result: JobResult, course_id: str) -> None:
    with Gradebook(db_url, course_id) as gradebook:
        gradebook.update_or_create_student(result.student)
        gradebook.update_or_create_submission(result.assignment, result.student)
    for name, raw in result.autograded.items():
        nb = nbformat.reads(raw.decode(), as_version=4)
        resources = {
            "nbgrader": {
                "db_url": db_url,
                "assignment": result.assignment,
                "notebook": Path(name).stem,
                "student": result.student,
            }
        }
        SaveAutoGrades().preprocess(nb, resources)


def scores(db_url: str, course_id: str, assignment: str, student: str) -> dict[str, tuple]:
    """(auto_score, max_score) per graded cell, as the class gradebook holds them."""
    with Gradebook(db_url, course_id) as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {
            grade.name: (grade.auto_score, grade.max_score)
            for notebook in submission.notebooks
            for grade in notebook.grades
        }
