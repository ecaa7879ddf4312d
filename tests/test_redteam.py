"""The red-team class (tests/redteam/): submissions that attack the grader, and victims
graded after them in the same workers, graded with 1 and with 2 workers.

What must hold, whatever the attackers did: each attacker scores what its answers
deserve and each victim full marks; nothing outside OUT changes (a world-writable canary
folder on this machine stays as it was); no process a kernel started is alive 10 s after
the grader exits; nothing reaches a listener on 127.0.0.1 (TCP, UDP, Unix socket); no
file in OUT is larger than 5 MB; no feedback page shows a hidden test of any lab; the
run exits 0.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from redteam.build import build

from autograder.config import REPO, assignments
from autograder.feedback import HIDDEN_BEGIN, HIDDEN_END

UIDS = "62000-62999"  # this test's kernels: no other test's kernel has these uids
TIMEOUT = "25"  # seconds per cell: the stalls must not take long, a search of the disk may
MAX_FILE = 5 * 1024**2


class Listeners:
    """TCP, UDP and Unix-socket listeners on this machine that record whatever arrives."""

    def __init__(self, folder: Path):
        self.received: list[str] = []
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.unix_path = folder / "listener.sock"
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(str(self.unix_path))
        os.chmod(self.unix_path, 0o777)
        self.unix.listen()
        for sock in (self.tcp, self.udp, self.unix):
            sock.settimeout(0.5)
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._accept, args=(self.tcp, "tcp"), daemon=True),
            threading.Thread(target=self._accept, args=(self.unix, "unix"), daemon=True),
            threading.Thread(target=self._receive, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _accept(self, sock, kind):
        while not self._stop.is_set():
            try:
                conn, _ = sock.accept()
                self.received.append(f"{kind} connection")
                conn.close()
            except (TimeoutError, OSError):
                continue

    def _receive(self):
        while not self._stop.is_set():
            try:
                data, peer = self.udp.recvfrom(4096)
                self.received.append(f"udp {data[:40]!r} from {peer}")
            except (TimeoutError, OSError):
                continue

    def close(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        for sock in (self.tcp, self.udp, self.unix):
            sock.close()


def _canary(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _kernel_processes() -> list[str]:
    """Processes left by this test's kernels: their uids (the grader runs as root in CI),
    or the marks the attacks put on the processes they start."""
    found = []
    first, last = map(int, UIDS.split("-"))
    uids = range(first, last + 1) if os.geteuid() == 0 else range(0)
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmdline = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        uid = int(next(line for line in text.splitlines() if line.startswith("Uid:")).split()[1])
        if uid in uids or "redteam-" in cmdline:
            found.append(f"{status.parent.name} uid={uid} {cmdline[:120]}")
    return found


def _hidden_lines() -> set[str]:
    """Every line of every lab's hidden tests long enough to be telling."""
    lines = set()
    for name in assignments():
        for path in (REPO / "solutions" / name).glob("*.ipynb"):
            for cell in nbformat.read(path, as_version=4).cells:
                inside = False
                for line in cell.source.splitlines():
                    if HIDDEN_BEGIN in line:
                        inside = True
                    elif HIDDEN_END in line:
                        inside = False
                    elif inside and len(line.strip()) >= 24:
                        lines.add(line.strip())
    return lines


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("redteam") / "submitted"
    return root, build(root)


@pytest.fixture(scope="module", params=[1, 2], ids=["1-worker", "2-workers"])
def graded(request, klass, tmp_path_factory):
    root, expected = klass
    canary = Path(tmp_path_factory.mktemp("canary"))
    canary.chmod(0o777)
    for i in range(3):
        (canary / f"canary-{i}.txt").write_text(f"canary {i}\n")
        (canary / f"canary-{i}.txt").chmod(0o666)
    before = _canary(canary)
    listeners = Listeners(Path(tmp_path_factory.mktemp("sock")))
    out = tmp_path_factory.mktemp(f"out-{request.param}")
    try:
        run = subprocess.run(
            [sys.executable, "-m", "autograder", "grade", str(root), "--out", str(out)]
            + ["--timeout", TIMEOUT, "--workers", str(request.param)],
            capture_output=True,
            text=True,
            timeout=1800,
            cwd=REPO,
            env={**os.environ, "AUTOGRADER_UIDS": UIDS},
        )
        time.sleep(10)  # anything a kernel left behind has had time to act
        left = _kernel_processes()
    finally:
        listeners.close()
    return {
        "run": run,
        "out": out,
        "expected": expected,
        "canary": (before, _canary(canary), sorted(p.name for p in canary.iterdir())),
        "left": left,
        "received": listeners.received,
    }


def test_the_run_exits_cleanly(graded):
    run = graded["run"]
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]


def test_attackers_score_what_they_deserve_and_victims_full_marks(graded):
    import csv

    with (graded["out"] / "grades.csv").open() as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    wrong = []
    for e in graded["expected"]:
        row = rows.get(e.student)
        if row is None:
            wrong.append(f"{e.student}: missing from grades.csv")
            continue
        if float(row["score"]) != e.score or (e.status and row["status"] != e.status):
            wrong.append(f"{e.student}: expected {e.score} {e.status}, got {row}")
        elif e.keyword.lower() not in row["message"].lower():
            wrong.append(f"{e.student}: message lacks '{e.keyword}': {row['message']}")
    assert not wrong, "\n".join(wrong)
    assert sum(r["student"].startswith("z-victim") for r in rows.values()) == 3


def test_nothing_outside_out_changed(graded):
    before, after, names = graded["canary"]
    assert after == before
    assert names == sorted(before), f"files appeared or vanished in the canary folder: {names}"


def test_no_process_outlives_the_grader(graded):
    assert graded["left"] == []


def test_nothing_reached_a_listener_on_this_machine(graded):
    assert graded["received"] == []


def test_no_file_in_out_is_larger_than_5_mb(graded):
    big = [
        f"{p.relative_to(graded['out'])}: {p.stat().st_size / 1024**2:.1f} MB"
        for p in graded["out"].rglob("*")
        if p.is_file() and p.stat().st_size > MAX_FILE
    ]
    assert big == []


def test_no_feedback_page_shows_a_hidden_test(graded):
    hidden = _hidden_lines()
    assert len(hidden) > 50  # the check has something to find
    leaks = []
    for page in (graded["out"] / "feedback").rglob("*.html"):
        text = page.read_text(errors="replace")
        leaks += [f"{page.parent.parent.name}: {line}" for line in hidden if line in text]
    assert leaks == []


def test_the_grader_leaves_no_scratch_behind(graded):
    assert not (graded["out"] / ".work").exists()
