"""What runs inside a learner's sandbox: bring ~/labs up to date, then start JupyterLab.

``~/labs`` is a git clone of the released labs (nbgitpuller's merge: new files and
upstream changes arrive, a learner's edits are kept). It is also nbgrader's assignment
folder, so the Assignments panel submits exactly the notebook the book's link opened.
A team server gets the course's shared notebook instead.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SHARED_NOTEBOOK = Path(__file__).resolve().parent.parent / "shared_space" / "shared-notebook.ipynb"


def pull_labs(url: str, target: Path) -> None:
    from nbgitpuller.pull import GitPuller

    try:
        for line in GitPuller(url, str(target), branch="main", depth=0).pull():
            print(line, end="", flush=True)
    except Exception as error:  # the server must start even if the labs cannot be pulled
        print(f"could not pull the labs from {url}: {error}", file=sys.stderr, flush=True)


def quiet_settings(home: Path) -> None:
    """No 'fetch Jupyter news?' prompt: nothing here may reach the network."""
    news = home / ".jupyter/lab/user-settings/@jupyterlab/apputils-extension"
    if not (news / "notification.jupyterlab-settings").exists():
        news.mkdir(parents=True, exist_ok=True)
        (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')


def main() -> None:
    home = Path.home()
    os.umask(0o077)
    quiet_settings(home)
    if os.environ.get("CLASS_HUB_TEAM"):
        if not (home / "team-notebook.ipynb").exists() and SHARED_NOTEBOOK.exists():
            shutil.copy(SHARED_NOTEBOOK, home / "team-notebook.ipynb")
    elif os.environ.get("CLASS_HUB_LABS_URL"):
        pull_labs(os.environ["CLASS_HUB_LABS_URL"], home / "labs")
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub.singleuser", *sys.argv[1:]])


if __name__ == "__main__":
    main()
