"""The class gradebook on a real PostgreSQL server, started on 127.0.0.1 by the test."""

from __future__ import annotations

import csv
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.config import REPO
from autograder.synthetic import build_class

STUDENTS = ("good000", "blank", "wrong-home-efs", "bad-json")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not bins:
        pytest.skip("PostgreSQL server is not installed here (`make test` installs it with apt)")
    bindir = Path(bins[-1]).parent
    # outside pytest's private (0700) temp tree, so the postgres user can reach it
    base = Path(tempfile.mkdtemp(prefix="course-pg-"))
    os.chmod(base, 0o755)
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*run_as, bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1"
    subprocess.run(
        [*run_as, bindir / "pg_ctl", "-D", data, "-o", options, "-l", base / "log", "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            [
                *run_as,
                bindir / "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "gradebook",
            ],
            check=True,
            capture_output=True,
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(
            [*run_as, bindir / "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


def _grade(submissions: Path, out: Path, *extra: str) -> list[dict]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "grade",
            str(submissions),
            "--out",
            str(out),
            "--assignment",
            "domains",
            "--timeout",
            "20",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    with (out / "grades.csv").open() as f:
        return list(csv.DictReader(f))


def test_a_postgresql_gradebook_holds_the_same_grades(postgres, tmp_path):
    root = tmp_path / "submitted"
    build_class(root, ["domains"])
    for folder in root.iterdir():
        if folder.name not in STUDENTS:
            shutil.rmtree(folder)
    on_sqlite = _grade(root, tmp_path / "sqlite")
    on_postgres = _grade(root, tmp_path / "postgres", "--db", postgres, "--workers", "2")
    assert on_postgres == on_sqlite
    url = postgres.replace("postgresql://", "postgresql+psycopg://")
    with Gradebook(url, "sagemaker-studio-offline") as gradebook:
        for row in on_postgres:
            if row["status"] == "failed":
                continue
            submission = gradebook.find_submission("domains", row["student"])
            assert submission.score == float(row["score"]), row
    # grading again against the same server adds no rows and changes nothing
    again = _grade(root, tmp_path / "postgres", "--db", postgres, "--workers", "2")
    assert again == on_postgres
    with Gradebook(url, "sagemaker-studio-offline") as gradebook:
        assert len(gradebook.assignment_submissions("domains")) == len(STUDENTS)
