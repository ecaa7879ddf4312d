"""Book build speed: a cold build (no _build/, no execution cache) against the rebuild
after one live page is touched (a blank line appended, so its code and cached outputs
stay valid). Goal: the rebuild takes at most 15% of the cold build.

    .venv/bin/python benchmarks/book_build.py

Deletes _build/ (the site, the jupyter-cache and any screenshots) before it starts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
TOUCHED = ROOT / "book" / "sharing" / "visibility.md"  # a page with executed cells
GOAL = 0.15
COMMAND = [
    sys.executable,
    "-c",
    "from jupyter_book.cli.main import main; main()",
    "build",
    str(ROOT),
    "--warningiserror",
    "--keep-going",
]


def build() -> float:
    start = time.perf_counter()
    proc = subprocess.run(COMMAND, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return elapsed


def main() -> None:
    shutil.rmtree(BUILD, ignore_errors=True)  # the site and _build/.jupyter_cache
    cold = build()
    original = TOUCHED.read_bytes()
    try:
        TOUCHED.write_bytes(original + b"\n")
        rebuild = build()
    finally:
        TOUCHED.write_bytes(original)
    ratio = rebuild / cold
    print(f"cold build (no cache):          {cold:7.1f} s")
    print(f"rebuild, one page touched:      {rebuild:7.1f} s  ({TOUCHED.relative_to(ROOT)})")
    verdict = "ok" if ratio <= GOAL else "over the goal"
    print(f"ratio:                          {ratio:7.1%}  (goal <= {GOAL:.0%}: {verdict})")


if __name__ == "__main__":
    main()
