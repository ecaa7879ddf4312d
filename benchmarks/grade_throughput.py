"""How fast the class grader is, against the floor of merely running the notebooks.

Grades N copies of every assignment's solution and prints notebooks per minute for:
the floor (the same notebooks executed with nbclient alone, one after another, no
grading), the grader with 1 worker, and with 2 workers; then the ratios
(goals: 1 worker >= 0.8 x floor; 2 workers >= 1.7 x 1 worker).

    .venv/bin/python benchmarks/grade_throughput.py [--copies 3]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.config import assignments
from autograder.grade import Options, run
from autograder.synthetic import answered


def make_class(root: Path, copies: int) -> list[Path]:
    notebooks = []
    for assignment in assignments():
        for i in range(copies):
            folder = root / "submitted" / f"student{i:03d}" / assignment
            folder.mkdir(parents=True)
            path = folder / f"{assignment}.ipynb"
            nbformat.write(answered(assignment), path)
            notebooks.append(path)
    return notebooks


def floor(notebooks: list[Path], scratch: Path) -> float:
    start = time.perf_counter()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        work = scratch / path.parent.parent.name / path.parent.name
        work.mkdir(parents=True, exist_ok=True)
        NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(work)}}).execute()
    return time.perf_counter() - start


def grade(root: Path, out: Path, workers: int) -> float:
    start = time.perf_counter()
    run(Options(root / "submitted", out, workers=workers), stream=io.StringIO())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=3, help="copies of each solution")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        notebooks = make_class(tmp_path, args.copies)
        n = len(notebooks)
        print(
            f"{n} notebooks ({args.copies} copies of {len(assignments())} assignments), "
            f"{os.cpu_count()} CPUs"
        )
        base = floor(notebooks, tmp_path / "floor")
        one = grade(tmp_path, tmp_path / "out1", 1)
        shutil.rmtree(tmp_path / "out1")
        two = grade(tmp_path, tmp_path / "out2", 2)
    rate = lambda seconds: n / seconds * 60  # noqa: E731
    print(f"floor (nbclient only, serial): {rate(base):6.1f} notebooks/min ({base:.1f} s)")
    print(f"grader, 1 worker:              {rate(one):6.1f} notebooks/min ({one:.1f} s)")
    print(f"grader, 2 workers:             {rate(two):6.1f} notebooks/min ({two:.1f} s)")
    print(f"1 worker / floor:   {base / one:.2f}  (goal >= 0.80)")
    print(f"2 workers / 1 worker: {one / two:.2f}  (goal >= 1.70)")


if __name__ == "__main__":
    main()
