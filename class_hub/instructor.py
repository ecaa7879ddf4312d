"""The instructor's side of nbgrader's exchange on the hub: release, collect, feedback.

Run in the course checkout, as root (the exchange's owner):

    python -m class_hub release [ASSIGNMENT ...]     labs/ -> exchange outbound + labs repository
    python -m class_hub collect [ASSIGNMENT ...]     exchange inbound -> _grading/submitted
    python -m autograder grade _grading/submitted --out _grading/hub
    python -m class_hub feedback _grading/hub        feedback pages -> learners' Assignments panel

``collect`` is nbgrader's, with one check added: nbgrader's inbound folder is writable by
every learner and names the student in the folder name, so a learner could submit in a
neighbour's name. nbgrader only warns; here a submission whose folder is not owned by
the student it names (or names someone not on the roster) is refused and reported.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import (
    ExchangeCollect,
    ExchangeReleaseAssignment,
    ExchangeReleaseFeedback,
)

from autograder.config import assignments as course_assignments
from autograder.config import nbgrader_config

from . import labs_repo
from .state import State


def course_id() -> str:
    return nbgrader_config().CourseDirectory.course_id


def _exchange(kind, state: State, assignment: str, **overrides):
    config = nbgrader_config(**{"Exchange.root": str(state.exchange), **overrides})
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    return kind(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)


def release(state: State, assignments: Iterable[str] | None = None) -> bool:
    """Release labs to the exchange, then publish the exchange's outbound folder as the
    labs repository. Returns True if the repository changed."""
    for assignment in assignments or course_assignments():
        exchange = _exchange(ExchangeReleaseAssignment, state, assignment)
        exchange.force = True
        exchange.start()
    outbound = state.exchange / course_id() / "outbound"
    return labs_repo.publish(outbound, state.labs_repo)


class CheckedCollect(ExchangeCollect):
    """nbgrader's collect, keeping only submissions owned by the learner they name."""

    learners: frozenset[str] = frozenset()
    refused: list[str]

    def init_src(self) -> None:
        self.refused = []
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        pattern = os.path.join(self.inbound_path, f"*+{self.coursedir.assignment_id}+*")
        latest: dict[str, dict] = {}
        for path in glob.glob(pattern):
            record = self._path_to_record(path)
            try:
                owner = pwd.getpwuid(os.stat(path).st_uid).pw_name
            except KeyError:
                owner = "an unknown account"
            if record["username"] not in self.learners or owner != record["username"]:
                self.refused.append(
                    f"{os.path.basename(path)}: names {record['username']!r} but was "
                    f"submitted by {owner}"
                )
                continue
            best = latest.get(record["username"])
            if best is None or record["timestamp"] > best["timestamp"]:
                latest[record["username"]] = record
        self.src_records = list(latest.values())


def collect(
    state: State,
    submitted: Path,
    learners: Iterable[str],
    assignments: Iterable[str] | None = None,
) -> list[str]:
    """Copy the latest genuine submission of each learner to ``submitted/<student>/<a>/``;
    return the refused ones."""
    refused = []
    for assignment in assignments or course_assignments():
        exchange = _exchange(
            CheckedCollect,
            state,
            assignment,
            **{"CourseDirectory.submitted_directory": str(Path(submitted).resolve())},
        )
        exchange.learners = frozenset(learners)
        exchange.update = True
        exchange.start()
        refused += exchange.refused
    return refused


def release_feedback(state: State, submitted: Path, graded: Path) -> list[str]:
    """Hand the autograder's feedback pages (``graded/feedback/<student>/<a>/<nb>.html``)
    to nbgrader's exchange. nbgrader names each page after the submission's secret, so a
    learner can fetch only their own; it needs the submission's timestamp and secret
    beside each page, which this copies from the collected tree."""
    released = []
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp)
        for page in sorted((Path(graded) / "feedback").glob("*/*/*.html")):
            student, assignment = page.parent.parent.name, page.parent.name
            source = Path(submitted) / student / assignment
            if not (source / "submission_secret.txt").exists():
                continue  # not a submission collected from the hub
            target = staging / student / assignment
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(page, target / page.name)
            for name in ("timestamp.txt", "submission_secret.txt"):
                shutil.copy(source / name, target / name)
            released.append(f"{student}/{assignment}/{page.name}")
        for assignment in sorted({r.split("/")[1] for r in released}):
            _exchange(
                ExchangeReleaseFeedback,
                state,
                assignment,
                **{"CourseDirectory.feedback_directory": str(staging)},
            ).start()
    return released
