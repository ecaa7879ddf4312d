"""`make lab`: the learner's own copy of the labs, opened in JupyterLab as a learner's.

python -m labkit.workspace [--sync-only]

labs/ is the course's release: `make labs` regenerates it and `git pull` updates it, so
work saved there would be overwritten. A learner works in my-labs/ (git-ignored) instead:

- the first run copies every lab there;
- a notebook that exists there is never overwritten;
- a lab released later is copied in;
- a lab whose release changed since it was copied is offered beside the learner's copy as
  ``<name>.new.ipynb``, with a message, so the learner can compare and move answers over.

What was copied is recorded in my-labs/.released.json (a hash per file), which is how a
changed release is told from a learner's own edits.

JupyterLab then opens my-labs/ with the instructor's nbgrader tools (Formgrader, Create
Assignment, the course and assignment lists) and the news pop-up turned off for this
server only; the Validate button stays.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RECORD = ".released.json"

# JupyterLab plugins a learner has no use for (page_config's disabledExtensions)
HIDDEN_PLUGINS = [
    "@jupyter/nbgrader:menu",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyterlab/apputils-extension:announcements",  # "get Jupyter news?" and update checks
]
# and their server side (nbgrader's validate_assignment stays: the Validate button)
HIDDEN_SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _released_files(labs: Path) -> list[Path]:
    return sorted(
        p.relative_to(labs)
        for p in labs.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(labs).parts)
    )


def offered_name(path: Path) -> Path:
    """spaces/spaces.ipynb -> spaces/spaces.new.ipynb"""
    return path.with_name(f"{path.stem}.new{path.suffix}")


def sync(labs: Path, mine: Path) -> list[str]:
    """Bring ``mine`` up to date with the release in ``labs`` without overwriting
    anything a learner has; return one message per change, for the learner."""
    mine.mkdir(parents=True, exist_ok=True)
    record_path = mine / RECORD
    record: dict[str, str] = json.loads(record_path.read_text()) if record_path.exists() else {}
    messages = []
    for rel in _released_files(labs):
        released, theirs, key = labs / rel, mine / rel, rel.as_posix()
        digest = _digest(released)
        if not theirs.exists():
            theirs.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(released, theirs)
            messages.append(f"new: {rel}")
        elif key not in record:
            pass  # theirs from before the record was kept: nothing to compare it with
        elif record[key] != digest:
            offered = mine / offered_name(rel)
            shutil.copyfile(released, offered)  # only ever a file this module writes
            messages.append(
                f"changed: {rel} has a new release; yours is kept as it is, the new one "
                f"is {offered_name(rel)} beside it (compare them and move your answers)."
            )
        record[key] = digest
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return messages


def lab_config(folder: Path) -> Path:
    """A config folder for this server only (put first on JUPYTER_CONFIG_PATH)."""
    config = Path(tempfile.mkdtemp(prefix="course-lab-"))
    (config / "labconfig").mkdir()
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": dict.fromkeys(HIDDEN_PLUGINS, True)})
    )
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "ServerApp": {
                    "root_dir": str(folder),
                    "jpserver_extensions": dict.fromkeys(HIDDEN_SERVER_EXTENSIONS, False),
                },
                # a private space: the same JupyterLab, with real-time collaboration off
                "YDocExtension": {"disable_rtc": True},
                "LabApp": {
                    "news_url": None,
                    "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
                },
            }
        )
    )
    return config


def lab_command(folder: Path, *extra: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment that open JupyterLab on ``folder`` for a learner."""
    config = lab_config(folder)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(
            p for p in (str(config), os.environ.get("JUPYTER_CONFIG_PATH", "")) if p
        ),
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--config={config / 'jupyter_server_config.json'}",
        "--ServerApp.ip=127.0.0.1",
        *extra,
    ]
    return command, env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labs", type=Path, default=REPO / "labs")
    parser.add_argument("--mine", type=Path, default=REPO / "my-labs")
    parser.add_argument("--sync-only", action="store_true", help="copy, do not open JupyterLab")
    args, extra = parser.parse_known_args(argv)
    for message in sync(args.labs, args.mine):
        print(message)
    print(f"Your labs are in {args.mine}: work there; `make labs` and `git pull` leave it alone.")
    if args.sync_only:
        return 0
    command, env = lab_command(args.mine.resolve(), *extra)
    # from the repository, so that nbgrader's Validate button finds nbgrader_config.py
    return subprocess.call(command, env=env, cwd=REPO)


if __name__ == "__main__":
    raise SystemExit(main())
