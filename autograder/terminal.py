"""A quiet terminal: the progress bar and the summary, nothing else.

Everything else written to this process's standard error, and to that of every process
it starts (SQLAlchemy's and traitlets' warnings, jupyter_client's "Kernel is running over
TCP without encryption", a worker's traceback), goes to ``OUT/grader.log`` instead. It
works on the file descriptor, so workers inherit it. The log keeps the promise that no
file in OUT passes 5 MB: when it would, it becomes ``grader.log.1`` and a new one starts.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from datetime import UTC, datetime
from multiprocessing import resource_tracker
from pathlib import Path

LOG = "grader.log"
MAX_LOG = 5 * 1024**2


class _Log(threading.Thread):
    """Copies what arrives on a pipe into the log, turning it over when it is full."""

    def __init__(self, path: Path, pipe: int, limit: int):
        super().__init__(name="grader-log", daemon=True)
        self.path, self.pipe, self.limit = path, pipe, limit
        self.file = path.open("ab")
        self.size = self.file.tell()

    def write(self, data: bytes) -> None:
        if self.size + len(data) > self.limit:
            self.file.close()
            self.path.replace(self.path.with_name(self.path.name + ".1"))
            self.file, self.size = self.path.open("ab"), 0
            data = data[-self.limit :]
        self.file.write(data)
        self.file.flush()
        self.size += len(data)

    def run(self) -> None:
        with os.fdopen(self.pipe, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                # a full disk must not stop the draining, or every writer would block
                with contextlib.suppress(OSError):
                    self.write(chunk)
        self.file.close()


@contextlib.contextmanager
def quiet(out: Path, limit: int = MAX_LOG):
    """Yields a stream to the terminal; standard error goes to the log meanwhile. On the
    way out standard error is the terminal again (an exception's traceback shows)."""
    out.mkdir(parents=True, exist_ok=True)
    read, write = os.pipe()
    log = _Log(out / LOG, read, limit)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    log.write(f"\n==== {started}: {' '.join(sys.argv)}\n".encode())
    log.start()
    sys.stderr.flush()
    # multiprocessing's resource tracker outlives the run (it lives as long as this
    # process): started now, it holds the terminal's stderr, not the log's pipe, which
    # would otherwise stay open and hold the way out for the whole join timeout
    resource_tracker.ensure_running()
    saved = os.dup(2)
    terminal = os.fdopen(os.dup(saved), "w", buffering=1, errors="replace")
    os.dup2(write, 2)
    os.close(write)
    try:
        yield terminal
    finally:
        sys.stderr.flush()
        terminal.flush()
        os.dup2(saved, 2)  # the pipe closes once no process of ours writes to it
        os.close(saved)
        terminal.close()
        log.join(timeout=10)
