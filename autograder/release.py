"""Generate labs/ (nbgrader's release) from solutions/ (nbgrader's source).

python -m autograder release [ASSIGNMENT ...]
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from nbgrader.apps import NbGraderAPI

from .config import REPO, assignments, nbgrader_config, scratch_db_url


class ReleaseError(RuntimeError):
    pass


def release(
    names: list[str] | None = None,
    *,
    root: Path = REPO,
    release_dir: str = "labs",
    record_in_gradebook: bool = False,
    db_url: str | None = None,
) -> list[Path]:
    """Write the learner version of each assignment; return the notebooks written.

    Without ``record_in_gradebook`` the course gradebook is left alone (nbgrader still
    records the source cells, in a throw-away one): that is how labs/ is made. Grading
    needs them in its own gradebook, so the grader passes True.
    """
    with tempfile.TemporaryDirectory() as scratch:
        overrides = {
            "CourseDirectory.root": str(root),
            "CourseDirectory.release_directory": release_dir,
        }
        if not record_in_gradebook:
            overrides["CourseDirectory.db_url"] = scratch_db_url(Path(scratch) / "release.db")
        elif db_url:
            overrides["CourseDirectory.db_url"] = db_url
        api = NbGraderAPI(config=nbgrader_config(**overrides))
        api.log.setLevel(logging.WARNING)
        written: list[Path] = []
        for name in names or assignments(root):
            result = api.generate_assignment(name, force=True, create=True)
            if not result["success"]:
                raise ReleaseError(f"nbgrader could not release '{name}':\n{result.get('error')}")
            written += sorted((root / release_dir / name).glob("*.ipynb"))
    return written
