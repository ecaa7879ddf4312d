"""Grade one submission in a private course directory (one per worker process).

Each worker has its own copy of the course's source and its own SQLite gradebook, so
parallel workers never write to a shared database: the coordinator alone records the
results in the class gradebook. Each notebook's kernel runs in an operating-system
sandbox (sandbox.py) through nbgrader's Execute step replaced by execute.py's.
"""

from __future__ import annotations

import ctypes
import dataclasses
import hashlib
import io
import logging
import os
import re
import shutil
import signal
import sys
import tarfile
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, LimitOutput

from . import execute
from .config import nbgrader_config, scratch_db_url
from .repair import NotGradable, locked_cells_edited, read_submission, repair
from .sandbox import KERNEL_SITE, Limits, check_available
from .trim import TrimOutputs, source_bytes

SANDBOX_MARK = "grading sandbox"  # in the audit hook's refusals (kernel_site/sitecustomize.py)
_AUTOGRADE_STEPS = Autograde().autograde_preprocessors  # nbgrader's own list
# errors a limit of the sandbox raises in the cell that reached it
LIMIT_ERRORS = {
    "MemoryError": "memory",
    "Too many open files": "open_files",
    "File too large": "file_size",
    "Resource temporarily unavailable": "processes",
    "No space left on device": "disk",
}


@dataclass
class Job:
    student: str
    assignment: str
    files: dict[str, bytes]  # name as submitted -> content
    digest: str


@dataclass
class JobResult:
    student: str
    assignment: str
    digest: str
    status: str  # graded | flagged | failed
    notes: list[str] = field(default_factory=list)
    cells: dict[str, tuple[float | None, float]] = field(default_factory=dict)
    autograded: dict[str, bytes] = field(default_factory=dict)  # notebook name -> bytes
    seconds: float | None = None  # how long grading took, for the report


class Worker:
    """The state of one worker process: its course directory and nbgrader API."""

    def __init__(
        self, template: Path, scratch: Path, timeout: int, limits: Limits, sandboxed: bool = True
    ):
        self.root = scratch
        self.limits = limits
        if self.root.exists():
            shutil.rmtree(self.root)
        shutil.copytree(template, self.root)
        self.db_url = scratch_db_url(self.root / "gradebook.db")
        overrides = {}
        if not sandboxed:  # --no-sandbox: kernels are plain processes of this one
            home = self.root / "home"
            (home / "tmp").mkdir(parents=True, exist_ok=True)
            self._unsandboxed_environment(home)
            overrides["SandboxedExecute.kernel_manager_class"] = AsyncKernelManager
        steps = []
        for step in _AUTOGRADE_STEPS:
            steps.append(execute.SandboxedExecute if step is Execute else step)
            if step is LimitOutput:
                steps.append(TrimOutputs)
        config = nbgrader_config(
            **{
                "CourseDirectory.root": str(self.root),
                "CourseDirectory.db_url": self.db_url,
                "Autograde.autograde_preprocessors": steps,
                "SandboxedExecute.timeout": timeout,
                "SandboxedExecute.interrupt_on_timeout": True,
                "SandboxedExecute.limits": dataclasses.asdict(limits),
                "LimitOutput.max_lines": 1000,
                "LimitOutput.max_traceback": 100,
                **overrides,
            }
        )
        self.api = NbGraderAPI(config=config)
        self.api.log.setLevel(logging.ERROR)

    def _unsandboxed_environment(self, home: Path) -> None:
        """Without the sandbox, kernels inherit this process's environment: no
        credentials, and the audit hook (kernel_site/) as the only guard."""
        proxies = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
        for key in [k for k in os.environ if k.startswith("AWS_") or k.lower() in proxies]:
            del os.environ[key]
        os.environ.update(
            {
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(KERNEL_SITE), os.environ.get("PYTHONPATH")])
                ),
                "AUTOGRADER_WRITABLE": str(self.root),
                "HOME": str(home),
                "TMPDIR": str(home / "tmp"),
                "IPYTHONDIR": str(home / ".ipython"),
                "MPLCONFIGDIR": str(home / ".matplotlib"),
                "PYTHONDONTWRITEBYTECODE": "1",
                "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_ACCESS_KEY_ID": "autograder-no-aws",
                "AWS_SECRET_ACCESS_KEY": "autograder-no-aws",
                "AWS_DEFAULT_REGION": "us-east-1",
            }
        )

    def _dir(self, step: str, job: Job) -> Path:
        return self.root / "_grading" / step / job.student / job.assignment

    def grade(self, job: Job) -> JobResult:
        result = JobResult(job.student, job.assignment, job.digest, "graded")
        started = time.monotonic()
        try:
            self._grade(job, result)
        except NotGradable as err:
            result.status, result.notes = "failed", [*result.notes, str(err)]
        except Exception as err:  # noqa: BLE001 - a grader bug must not stop the class
            result.status = "failed"
            result.notes.append(f"the grader failed on this submission: {err!r}")
            traceback.print_exc(file=sys.stderr)
        if result.status == "graded" and result.notes:
            result.status = "flagged"
        result.seconds = round(time.monotonic() - started, 2)
        return result

    def _grade(self, job: Job, result: JobResult) -> None:
        for step in ("submitted", "autograded"):
            shutil.rmtree(self._dir(step, job), ignore_errors=True)
        source_dir = self.root / "solutions" / job.assignment
        release_dir = self.root / "release" / job.assignment
        expected = sorted(p.name for p in source_dir.glob("*.ipynb"))
        files = _match_names(job.files, expected, result.notes)
        target = self._dir("submitted", job)
        target.mkdir(parents=True)
        for name in expected:
            source = nbformat.read(source_dir / name, as_version=4)
            release = nbformat.read(release_dir / name, as_version=4)
            if name not in files:
                result.notes.append(f"{name} was not submitted: graded as unanswered")
                submitted = release
            else:
                submitted = read_submission(files[name], name)
            edited = locked_cells_edited(submitted, release)
            if edited:
                result.notes.append(f"edited read-only cells {edited} were restored")
            fixed = repair(submitted, source, release, self.limits.cells)
            result.notes += [f"{name}: {note}" for note in fixed.notes]
            if source_bytes(fixed.notebook) > self.limits.source:
                raise NotGradable(
                    f"{name} holds more than {self.limits.describe('source')}: not graded"
                )
            nbformat.write(fixed.notebook, target / name)
        with Gradebook(self.db_url) as gradebook:
            gradebook.update_or_create_student(job.student)
        execute.REPORTS.clear()
        outcome = self.api.autograde(job.assignment, job.student, force=True, create=True)
        if not outcome["success"]:  # e.g. a kernel slow to start on a busy machine: once more
            print(
                f"retrying {job.student}/{job.assignment}: {_last_line(outcome)}", file=sys.stderr
            )
            execute.REPORTS.clear()
            outcome = self.api.autograde(job.assignment, job.student, force=True, create=True)
        if not outcome["success"]:
            raise NotGradable("nbgrader could not grade it: " + _last_line(outcome))
        self._collect(job, expected, result)
        for report in execute.REPORTS:
            result.notes += report["notes"]
        result.notes = list(dict.fromkeys(result.notes))

    def _collect(self, job: Job, expected: list[str], result: JobResult) -> None:
        graded_dir = self._dir("autograded", job)
        for name in expected:
            nb = nbformat.read(graded_dir / name, as_version=4)
            result.autograded[name] = (graded_dir / name).read_bytes()
            result.notes += _sandbox_notes(nb, self.limits)
        with Gradebook(self.db_url) as gradebook:
            submission = gradebook.find_submission(job.assignment, job.student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    result.cells[grade.name] = (grade.auto_score, grade.max_score)


def _match_names(
    files: dict[str, bytes], expected: list[str], notes: list[str]
) -> dict[str, bytes]:
    """Map submitted files to the assignment's notebook names, forgiving renames."""
    matched = {n: files[n] for n in expected if n in files}
    rest = {n: p for n, p in files.items() if n not in matched}
    for name in [n for n in expected if n not in matched]:
        near = [
            n
            for n in rest
            if n.lower().replace(" ", "") == name.lower()
            or Path(n).stem.lower().startswith(Path(name).stem.lower())
        ]
        if len(near) == 1 or (len(rest) == 1 and len(expected) - len(matched) == 1):
            chosen = near[0] if len(near) == 1 else next(iter(rest))
            notes.append(f"notebook '{chosen}' was graded as '{name}' (wrong file name)")
            matched[name] = rest.pop(chosen)
    for extra in rest:
        notes.append(f"'{extra}' is not part of the assignment and was not graded")
    return matched


def _last_line(outcome: dict) -> str:
    """The most telling line of nbgrader's report: the last named error in its log."""
    text = "\n".join(filter(None, [outcome.get("log"), outcome.get("error")])) or "unknown"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    named = [ln for ln in lines if re.match(r"^[\w.]*(Error|Exception|Timeout)\b", ln)]
    useful = [ln for ln in named if "see the the above traceback" not in ln]
    return (useful or named or lines)[-1][:500]


def _sandbox_notes(nb: nbformat.NotebookNode, limits: Limits) -> list[str]:
    """What the audit hook refused and which limits were reached, from the errors in the
    learner's cells (these only ever flag the submission that raised them); a limit is
    named once, at the first cell that reached it."""
    notes: list[str] = []
    reached: set[str] = set()
    for index, cell in enumerate(nb.cells):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {index + 1}")
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            text = f"{output.get('ename', '')}: {output.get('evalue', '')}"
            if SANDBOX_MARK in output.get("evalue", ""):
                notes.append(f"{gid}: {output['evalue']}")
            for signature, limit in LIMIT_ERRORS.items():
                if signature in text and limit not in reached:
                    reached.add(limit)
                    notes.append(f"{gid}: reached {limits.describe(limit)}")
    return notes


# ------------------------------------------------------------------ entry points
@dataclass(frozen=True)
class Settings:
    """How every worker grades, wherever it runs."""

    timeout: int
    limits: Limits
    sandboxed: bool = True


@dataclass(frozen=True)
class Sources:
    """The grading folder the main process prepared (sources, release and template
    gradebook), packed as bytes: a Dask worker unpacks it instead of releasing the
    assignments again, and grades against exactly what the main process has."""

    packed: bytes  # a gzip'd tar of the template folder
    fingerprint: str

    @classmethod
    def read(cls, template: Path, names: list[str]) -> Sources:
        h = hashlib.sha256()
        for name in sorted(names):
            for path in sorted((template / "solutions" / name).glob("*.ipynb")):
                h.update(f"{name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as tar:
            for part in ("solutions", "release", "gradebook.db"):
                tar.add(template / part, arcname=part)
        return cls(buffer.getvalue(), h.hexdigest())

    def template(self, root: Path) -> Path:
        """The grading folder, unpacked into ``root``."""
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(self.packed), mode="r:gz") as tar:
            tar.extractall(root, filter="data")  # nothing outside root, no device files
        return root


# a local pool's worker process: where the main process's template will be
_worker: Worker | None = None
_local: tuple[str, str, Settings] | None = None


def init_process(template: str, scratch_base: str, settings: Settings) -> None:
    """Runs as the process starts, while the coordinator may still be preparing the
    template: only remember where it will be. A worker dies with its coordinator (killed
    or not), so none is left holding a pipe or a kernel."""
    global _local
    _local = (template, scratch_base, settings)
    _die_with_parent()


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still applies
        pass


def warm_up() -> int:
    """A first task that only pays for the imports, in parallel with other work."""
    return os.getpid()


def grade_in_process(job: Job) -> JobResult:
    global _worker
    if _worker is None:
        assert _local is not None, "init_process was not called"
        template, scratch_base, settings = _local
        _worker = Worker(
            Path(template),
            Path(scratch_base) / f"worker-{os.getpid()}",
            settings.timeout,
            settings.limits,
            settings.sandboxed,
        )
    return _worker.grade(job)


# a Dask worker: one grading folder per set of sources, built on first use
_dask_lock = threading.Lock()  # one job at a time, even on a worker with several threads
_dask_workers: dict[tuple[str, Settings], Worker] = {}


def grade_on_dask(job: Job, sources: Sources, settings: Settings) -> JobResult:
    with _dask_lock:
        key = (sources.fingerprint, settings)
        worker = _dask_workers.get(key)
        if worker is None:
            if settings.sandboxed:
                check_available()  # a clear refusal from a machine without bubblewrap
            base = Path(tempfile.mkdtemp(prefix="autograder-dask-"))
            template = sources.template(base / "template")
            worker = Worker(
                template, base / "grading", settings.timeout, settings.limits, settings.sandboxed
            )
            _dask_workers[key] = worker
        return worker.grade(job)
