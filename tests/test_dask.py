"""Grading on a real Dask cluster: a scheduler and two workers started on 127.0.0.1 by
the test, as an instructor starts them on several machines (``dask scheduler``,
``dask worker ADDRESS --nthreads 1``). The synthetic class and the red-team class,
graded through them, get the grades the local pool gives; a worker killed mid-run costs
nothing: every submission is graded, and recorded once."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redteam.build import build as build_redteam

from autograder.config import REPO
from autograder.synthetic import build_class

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, tmp: Path):
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.logs = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        common = {"cwd": tmp, "start_new_session": True}
        self.scheduler = subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1"]
            + ["--port", self.address.rsplit(":", 1)[1], "--no-dashboard"],
            stdout=(tmp / "scheduler.log").open("w"),
            stderr=subprocess.STDOUT,
            **common,
        )
        self.workers = [self._worker(n) for n in (1, 2)]
        self._wait(2)

    def _worker(self, n: int) -> subprocess.Popen:
        return subprocess.Popen(
            [str(BIN / "dask"), "worker", self.address, "--nthreads", "1", "--no-nanny"]
            + ["--host", "127.0.0.1", "--no-dashboard", "--name", f"w{n}"],
            stdout=(self.logs / f"worker{n}.log").open("w"),
            stderr=subprocess.STDOUT,
            cwd=self.logs,
            start_new_session=True,
        )

    def _wait(self, workers: int, timeout: float = 120) -> None:
        from distributed import Client

        with Client(self.address, timeout=timeout, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=timeout)

    def processing(self) -> dict[str, int]:
        """How many tasks each worker is running now."""
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            return {w: len(t) for w, t in client.processing().items()}

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("dask"))
    yield running
    running.stop()


def _grade(root: Path, out: Path, cluster: Cluster, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", str(root), "--out", str(out)]
        + ["--timeout", "15", "--scheduler", cluster.address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "AUTOGRADER_UIDS": "63000-63999"},
        **kw,
    )


def _rows(out: Path) -> dict[str, dict]:
    with (out / "grades.csv").open() as f:
        return {(r["student"], r["assignment"]): r for r in csv.DictReader(f)}


def _mismatches(rows: dict, expected: list) -> list[str]:
    wrong = []
    for e in expected:
        row = rows.get((e.student, e.assignment))
        if row is None:
            wrong.append(f"{e.student}/{e.assignment}: missing")
            continue
        got = (float(row["score"]), float(row["max_score"]))
        if got != (e.score, e.max_score) or (e.status and row["status"] != e.status):
            wrong.append(f"{e.student}/{e.assignment}: expected {e}, got {row}")
        elif e.keyword.lower() not in row["message"].lower():
            wrong.append(f"{e.student}/{e.assignment}: no '{e.keyword}' in {row['message']}")
    return wrong


def test_a_class_graded_on_dask_gets_the_local_pools_grades(cluster, tmp_path):
    """The synthetic class's lab with every kind of submission (as tests/test_autograder.py
    grades it) and the red-team class (as tests/test_redteam.py does), in one tree,
    through the cluster."""
    root = tmp_path / "submitted"
    expected = build_class(root, ["domains"]) + build_redteam(root)
    run = _grade(root, tmp_path / "out", cluster)
    stdout, stderr = run.communicate(timeout=3600)
    assert run.returncode == 0, stdout + stderr[-3000:]
    rows = _rows(tmp_path / "out")
    assert _mismatches(rows, expected) == []
    assert len(rows) == len(expected)


def test_a_worker_lost_mid_run_costs_nothing(tmp_path):
    cluster = Cluster(tmp_path / "cluster")
    try:
        root = tmp_path / "submitted"
        expected = [
            e
            for e in build_class(root, ["domains"], copies=4, bad_for="")
            if not e.student.startswith("wrong")
        ]
        for folder in root.glob("wrong-*"):
            shutil.rmtree(folder)
        run = _grade(root, tmp_path / "out", cluster)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and sum(cluster.processing().values()) < 2:
            time.sleep(0.5)  # both workers are grading
        assert sum(cluster.processing().values()) >= 2, "the workers never got busy"
        victim = cluster.workers[0]
        os.killpg(victim.pid, signal.SIGKILL)  # a machine lost, with its running job
        stdout, stderr = run.communicate(timeout=1800)
        assert victim.poll() is not None
        assert run.returncode == 0, stdout + stderr[-3000:]
        rows = _rows(tmp_path / "out")
        assert _mismatches(rows, expected) == []
        keys = [
            tuple(json.loads(line)["key"])
            for line in (tmp_path / "out" / "journal.jsonl").read_text().splitlines()
        ]
        assert sorted(keys) == sorted(set(keys)) and len(keys) == len(expected)
    finally:
        cluster.stop()


def test_an_unreachable_scheduler_gets_a_clear_message(tmp_path):
    root = tmp_path / "submitted"
    build_class(root, ["domains"], bad_for="")
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(root), "--out", str(tmp_path / "o")]
        + ["--scheduler", f"tcp://127.0.0.1:{_free_port()}", "--scheduler-timeout", "3"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 4, done.stdout + done.stderr
    assert "no Dask scheduler answered" in done.stdout


def test_a_scheduler_timeout_that_is_no_positive_number_is_refused(tmp_path):
    for bad in ("-1", "0", "soon"):
        done = subprocess.run(
            [sys.executable, "-m", "autograder", "grade", str(tmp_path), "--out"]
            + [str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1"]
            + ["--scheduler-timeout", bad],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
        )
        assert done.returncode == 2, done.stdout + done.stderr
        assert "is not a positive number of seconds" in done.stderr
        assert not (tmp_path / "o").exists()  # refused before anything was written
