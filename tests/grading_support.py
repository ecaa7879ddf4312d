"""Running the instructor's commands as an instructor does, for the grader's tests."""

from __future__ import annotations

import subprocess
import sys

from autograder.config import REPO


def autograder(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
    """``python -m autograder ARGS``; with ``ok``, it must succeed (its output is shown if not)."""
    done = subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=REPO,
    )
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    return done
