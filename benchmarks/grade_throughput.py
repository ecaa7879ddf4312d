"""How fast the class grader is, against what an instructor would use instead.

Grades N copies of every assignment's solution and prints notebooks per minute for:
- nbgrader's own ``nbgrader autograde``, one assignment after another (serial), in a
  course folder prepared beforehand (only the autograde commands are timed);
- the floor: the same notebooks executed with nbclient alone, serially, no grading;
- this grader with 1 worker and with 2 workers (every kernel in its sandbox; the time
  includes preparing the sources, which nbgrader's figure leaves out);
- the same class on a Dask cluster of two local worker processes (``--scheduler``);
then the ratios to nbgrader (goals: 1 worker >= 1.2 x, 2 workers >= 2.0 x), Dask's to
the local two-process pool (goal >= 0.9 x: the engine's overhead stays small), and the
sandbox's own cost per notebook: starting a kernel in the sandbox against starting it
plainly, paired runs, as a share of a notebook's grading time (goal <= 5 %).

    .venv/bin/python benchmarks/grade_throughput.py [--copies 3] [--skip-floor]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from autograder.config import REPO, assignments
from autograder.grade import Options, run
from autograder.kernel import SandboxedKernelManager
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


def nbgrader_serial(class_root: Path, course: Path) -> float:
    """``nbgrader autograde`` as an instructor runs it, one assignment after another."""
    shutil.copytree(REPO / "solutions", course / "source")
    shutil.copytree(class_root / "submitted", course / "submitted")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        "c.ClearSolutions.code_stub = "
        "{'python': '# YOUR CODE HERE\\nraise NotImplementedError()'}\n"
        "c.Execute.timeout = 120\n"
    )
    nbgrader = [sys.executable, "-m", "nbgrader"]
    quiet = {"cwd": course, "check": True, "capture_output": True}
    for name in assignments():
        subprocess.run([*nbgrader, "generate_assignment", name, "--force"], **quiet)
    start = time.perf_counter()
    for name in assignments():
        subprocess.run([*nbgrader, "autograde", name, "--create", "--force"], **quiet)
    return time.perf_counter() - start


def grade(root: Path, out: Path, workers: int, scheduler: str | None = None) -> float:
    start = time.perf_counter()
    options = Options(root / "submitted", out, workers=workers, scheduler=scheduler)
    run(options, stream=io.StringIO())
    return time.perf_counter() - start


def grade_on_dask(root: Path, out: Path) -> float:
    """Two worker processes of one thread each, as `dask worker --nthreads 1` starts them;
    the cluster's start-up is not timed (it is started once per term, not per class)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        return grade(root, out, 2, scheduler=cluster.scheduler_address)


async def _start_stop(manager_class) -> float:
    start = time.perf_counter()
    km = manager_class(kernel_name="python3")
    await km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=120)
    elapsed = time.perf_counter() - start
    kc.stop_channels()
    await km.shutdown_kernel(now=True)
    return elapsed


def sandbox_cost(pairs: int = 8) -> float:
    """Median extra seconds to start a kernel in the sandbox, from paired runs. The
    sandboxed kernel's boot-time imports of the labs' modules (sandbox.PRELOAD) are left
    out: they are work the notebook does anyway, done while the previous notebook runs."""
    from autograder import sandbox

    kept, sandbox.PRELOAD = sandbox.PRELOAD, ()
    differences = []
    try:
        for _ in range(pairs):
            plain = asyncio.run(_start_stop(AsyncKernelManager))
            boxed = asyncio.run(_start_stop(SandboxedKernelManager))
            differences.append(boxed - plain)
    finally:
        sandbox.PRELOAD = kept
    return statistics.median(differences)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=3, help="copies of each solution")
    parser.add_argument("--skip-floor", action="store_true", help="leave out the nbclient floor")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        notebooks = make_class(tmp_path, args.copies)
        n = len(notebooks)
        print(
            f"{n} notebooks ({args.copies} copies of {len(assignments())} assignments), "
            f"{os.cpu_count()} CPUs"
        )
        reference = nbgrader_serial(tmp_path, tmp_path / "course")
        base = None if args.skip_floor else floor(notebooks, tmp_path / "floor")
        one = grade(tmp_path, tmp_path / "out1", 1)
        two = grade(tmp_path, tmp_path / "out2", 2)
        dask = grade_on_dask(tmp_path, tmp_path / "out-dask")
    cost = sandbox_cost()
    rate = lambda seconds: n / seconds * 60  # noqa: E731
    print(
        f"nbgrader autograde, serial:    {rate(reference):6.1f} notebooks/min ({reference:.1f} s)"
    )
    if base is not None:
        print(f"floor (nbclient only, serial): {rate(base):6.1f} notebooks/min ({base:.1f} s)")
    print(f"grader, 1 worker:              {rate(one):6.1f} notebooks/min ({one:.1f} s)")
    print(f"grader, 2 workers:             {rate(two):6.1f} notebooks/min ({two:.1f} s)")
    print(f"grader, Dask, 2 workers:       {rate(dask):6.1f} notebooks/min ({dask:.1f} s)")
    print(f"1 worker / nbgrader:   {reference / one:.2f}  (goal >= 1.20)")
    print(f"2 workers / nbgrader:  {reference / two:.2f}  (goal >= 2.00)")
    print(f"Dask / local 2 workers: {two / dask:.2f}  (goal >= 0.90)")
    if base is not None:
        print(f"1 worker / floor:      {base / one:.2f}")
    per_notebook = one / n
    print(
        f"sandbox cost: {cost * 1000:.0f} ms a kernel start, "
        f"{100 * cost / per_notebook:.1f} % of a notebook's {per_notebook:.2f} s (goal <= 5 %)"
    )


if __name__ == "__main__":
    main()
