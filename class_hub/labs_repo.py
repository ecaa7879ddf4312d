"""The released labs as a git repository that nbgitpuller can pull from, offline.

nbgitpuller needs a git remote. The course's own repository will not do: its history
holds the solutions. So the hub keeps a separate bare repository whose every commit is a
snapshot of nbgrader's released assignments (the exchange's ``outbound`` folder, i.e.
exactly what learners may fetch), and serves it over git's "dumb" HTTP protocol from a
hub service (``labs_service``), at ``<hub>/services/course/labs``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

BRANCH = "main"
AUTHOR = {
    "GIT_AUTHOR_NAME": "course hub",
    "GIT_AUTHOR_EMAIL": "hub@localhost",
    "GIT_COMMITTER_NAME": "course hub",
    "GIT_COMMITTER_EMAIL": "hub@localhost",
}


def _git(repo: Path, *args: str, env: dict | None = None, work_tree: Path | None = None) -> str:
    cmd = ["git", f"--git-dir={repo}"]
    if work_tree is not None:
        cmd.append(f"--work-tree={work_tree}")
    proc = subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **AUTHOR, **(env or {})},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def publish(released: Path, repo: Path, message: str = "release labs") -> bool:
    """Commit the content of ``released`` as the new tip of ``main``; False if unchanged."""
    if not (repo / "HEAD").exists():
        repo.mkdir(parents=True, exist_ok=True)
        _git(repo, "init", "--bare", "--quiet", f"--initial-branch={BRANCH}")
    released.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _git(repo, "add", "--all", "--force", ".", env=index, work_tree=released)
        tree = _git(repo, "write-tree", env=index)
    try:
        parent = _git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{BRANCH}")
    except RuntimeError:
        parent = ""
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
        return False
    commit = _git(repo, "commit-tree", tree, "-m", message, *(["-p", parent] if parent else []))
    _git(repo, "update-ref", f"refs/heads/{BRANCH}", commit)
    _git(repo, "update-server-info")  # the files the dumb HTTP protocol reads
    for path in [repo, *repo.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return True
