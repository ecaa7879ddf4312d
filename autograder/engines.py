"""Where submissions are graded: worker processes on this machine, or a Dask cluster.

Both take jobs (a submission's bytes and what identifies it) and yield results (scores,
notes, the autograded notebooks' bytes) as they finish; only the main process writes
anything that lasts. Either way every kernel runs in its sandbox, on whatever machine
executes it.

On Dask, nothing is shared but the network: the course's sources travel to the workers
as a task's result (which the scheduler can compute again if the worker holding it is
lost), each worker builds its own grading folder from them once (cached by their
fingerprint), and a job's result comes back as data. A worker lost mid-run costs
only its running jobs, which the scheduler gives to another worker; the main process
takes one result per job, so none is recorded twice.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from .worker import (
    Job,
    JobResult,
    Settings,
    Sources,
    grade_in_process,
    grade_on_dask,
    init_process,
    warm_up,
)

CRASHES_ALLOWED = 3  # a job that takes down this many workers is failed alone


def _crashed(job: Job, what: str) -> JobResult:
    return JobResult(
        job.student,
        job.assignment,
        job.digest,
        "failed",
        [f"the {what} crashed on this submission, {CRASHES_ALLOWED} times"],
    )


class LocalPool:
    """Worker processes on this machine, sharing the template folder the main process
    prepares (they start, and import, while it is being prepared)."""

    def __init__(self, settings: Settings, template: Path, work: Path, workers: int):
        self.settings, self.template, self.work = settings, template, work
        self.workers = max(1, workers)
        self._pool: cf.ProcessPoolExecutor | None = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        pool = cf.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_process,
            initargs=(str(self.template), str(self.work), self.settings),
        )
        for _ in range(self.workers):
            pool.submit(warm_up)
        return pool

    def grade(self, jobs: list[Job]) -> Iterator[JobResult]:
        """If a worker process dies, the jobs it took down are tried again in a fresh
        pool; a job that keeps killing pools is failed alone."""
        attempts: dict[tuple[str, str], int] = defaultdict(int)
        pending = list(jobs)
        while pending:
            pool = self._pool or self._start()
            self._pool = None
            with pool:
                futures = {pool.submit(grade_in_process, job): job for job in pending}
                pending = []
                for future in cf.as_completed(futures):
                    job = futures[future]
                    try:
                        yield future.result()
                    except cf.process.BrokenProcessPool:
                        attempts[(job.student, job.assignment)] += 1
                        if attempts[(job.student, job.assignment)] < CRASHES_ALLOWED:
                            pending.append(job)
                        else:
                            yield _crashed(job, "grading process")

    def close(self) -> None:
        if self._pool is not None:  # nothing was graded
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _same(value):
    return value


class DaskCluster:
    """The workers of a running dask.distributed cluster (``dask scheduler`` and
    ``dask worker --nthreads 1`` on each machine, or any of Dask's deployers)."""

    def __init__(self, address: str, settings: Settings, timeout: float = 30):
        from distributed import Client

        self.settings = settings
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except OSError as err:
            raise ConnectionError(
                f"no Dask scheduler answered at {address}: {err}. Start one with "
                "`dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`."
            ) from err
        if not self.client.scheduler_info().get("workers"):
            self.client.wait_for_workers(1, timeout=timeout)
        # each worker imports the grader while the main process prepares the template
        self._warming = [
            self.client.submit(warm_up, workers=[address], pure=False, key=f"warm-up-{address}")
            for address in self.client.scheduler_info().get("workers", {})
        ]

    def grade(self, jobs: list[Job], sources: Sources) -> Iterator[JobResult]:
        from distributed import as_completed
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        if not jobs:
            return
        # a task's result, not scattered data: if the worker holding it is lost, the
        # scheduler computes it again elsewhere
        shared = self.client.submit(_same, sources, key=f"sources-{sources.fingerprint}")
        futures = {
            self.client.submit(
                grade_on_dask,
                job,
                shared,
                self.settings,
                key=f"grade-{job.student}-{job.assignment}-{job.digest[:16]}",
                pure=False,
            ): job
            for job in jobs
        }
        for future in as_completed(futures, loop=self.client.loop):
            job = futures[future]
            try:
                yield future.result()
            except KilledWorker:
                yield _crashed(job, "Dask worker")
            except FutureCancelledError:
                yield JobResult(job.student, job.assignment, job.digest, "failed", ["cancelled"])
            except Exception as err:  # noqa: BLE001 - e.g. a worker without bubblewrap
                note = f"the Dask worker could not grade it: {type(err).__name__}: {err}"
                yield JobResult(job.student, job.assignment, job.digest, "failed", [note])
            finally:
                future.release()

    def close(self) -> None:
        self._warming.clear()
        self.client.close()
