"""What every lab shares: who the learner is, and the variant of the lab that is theirs.

Each learner gets their own names, sizes, owners and states, generated from a seed tied
to their student id, so that an answer copied from someone else fails for the copier.
The grader regenerates the same variant from the same id:

- when grading, the autograder gives the kernel the nbgrader student id
  (``COURSE_STUDENT_ID``);
- on the class hub, the hub user's name (``JUPYTERHUB_USER``) is the student id;
- anywhere else (``make lab`` on a laptop), the learner sets ``COURSE_STUDENT_ID`` or
  calls ``set_student_id("their-id")`` at the top of the lab; until then the lab says it
  runs as ``"anonymous"``, visibly.
"""

from __future__ import annotations

import hashlib
import os
import random

from .answers import NotAnswered, install

__all__ = [
    "NOTEBOOKS",
    "PEOPLE",
    "PROJECTS",
    "NotAnswered",
    "announce",
    "rng",
    "set_student_id",
    "student_id",
]

ANONYMOUS = "anonymous"

# Names the labs' variants draw from (a lab samples its own from these, seeded per learner).
PEOPLE = (
    "ana", "ben", "cleo", "dev", "eli", "fay", "gus", "hana", "ivo", "jun", "kai", "lea",
    "max", "nia", "omar", "pia", "raj", "sol", "tom", "uma", "vik", "wen", "yara", "zoe",
)  # fmt: skip
PROJECTS = ("churn", "vision", "forecast", "genomics", "fraud", "speech", "pricing", "search")
NOTEBOOKS = ("eda", "features", "baseline", "tuning", "notes", "scratch", "report", "sweep")
_chosen: str | None = None


def set_student_id(student: str) -> str:
    """Work as ``student`` in this kernel (outside nbgrader and the hub)."""
    global _chosen
    student = student.strip()
    if not student:
        raise ValueError("a student id cannot be empty")
    _chosen = student
    return student


def student_id() -> str:
    """The id the lab's variant is generated from (see the module's doc for the order)."""
    return (
        os.environ.get("COURSE_STUDENT_ID")  # the grader's: wins over anything in the kernel
        or _chosen
        or os.environ.get("JUPYTERHUB_USER")
        or ANONYMOUS
    )


def rng(lab: str, student: str | None = None) -> random.Random:
    """A random generator seeded by the lab and the student: the same pair, the same
    numbers, in the learner's kernel and in the grader's."""
    seed = hashlib.sha256(f"{lab}\0{student or student_id()}".encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def announce(lab: str) -> str:
    """One line a lab prints at its top, so a learner sees whose variant they work on."""
    student = student_id()
    if student == ANONYMOUS:
        return (
            f"{lab}: working as '{ANONYMOUS}'. Set your student id first "
            "(set_student_id('your-id') in this cell, or COURSE_STUDENT_ID) to get your own "
            "variant: the grader uses your id, and the numbers depend on it."
        )
    return f"{lab}: your variant, for student '{student}'."


install()  # an unanswered exercise is shown plainly in the kernel that imports labkit
