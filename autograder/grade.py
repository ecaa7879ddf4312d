"""Grade a whole class: ``python -m autograder grade SUBMISSIONS --out OUT ...``.

Workers (processes) run nbgrader's autograde in private course folders; this process
alone writes the class gradebook, the journal that lets an interrupted run resume, the
feedback files, and at the end (publish.py) grades.csv, Formgrader's view and
report.html. Submitted files are only ever read.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import nbgrader
from nbgrader.apps import NbGraderAPI

from . import config as config_module
from . import formgrader, results
from . import release as release_module
from .config import CONFIG_FILE, REPO, assignments, scratch_db_url
from .engines import DaskCluster, LocalPool
from .feedback import feedback_api, render
from .gradebook import normalise_db_url, record
from .progress import Progress
from .publish import publish
from .release import release
from .sandbox import Limits, check_available
from .submissions import Submission, discover
from .worker import Job, JobResult, Settings, Sources

COURSE_ID = "sagemaker-studio-offline"


@dataclass
class Options:
    submissions: Path
    out: Path
    assignment: str | None = None
    workers: int = 1
    timeout: int = 120
    db: str | None = None
    regrade: bool = False
    limits: Limits = field(default_factory=Limits)
    sandbox: bool = True  # False only with --no-sandbox: student code then runs unconfined
    scheduler: str | None = None  # a Dask scheduler's address: grade on its workers
    scheduler_timeout: float = 30  # seconds to wait for the scheduler and a first worker


def run(options: Options, stream=sys.stderr) -> list[dict]:
    """Grade, then publish: returns the rows of grades.csv."""
    if options.sandbox:
        check_available()  # refuse before anything is written, naming the package
    else:
        stream.write(
            "WARNING: --no-sandbox: student code runs as you, with your files and network.\n"
        )
    out = options.out.resolve()
    work = out / ".work"
    out.mkdir(parents=True, exist_ok=True)
    db_url = normalise_db_url(options.db or f"sqlite:///{out / 'gradebook.db'}")
    known = assignments()
    if options.assignment and options.assignment not in known:
        raise SystemExit(f"Unknown assignment '{options.assignment}'. Known: {', '.join(known)}")
    names = [options.assignment] if options.assignment else known

    shutil.rmtree(work / "input", ignore_errors=True)
    discovered = discover(options.submissions, known, work / "input", options.assignment)
    _show_notices(discovered.notices, stream)
    found = [s for s in discovered.submissions if s.assignment in names]
    template = work / "template"
    settings = Settings(options.timeout, options.limits, options.sandbox)
    if options.scheduler:
        engine = DaskCluster(options.scheduler, settings, options.scheduler_timeout)
    else:  # workers start, and import, while the template is prepared
        engine = LocalPool(settings, template, work, options.workers)
    _prepare_template(template, names)
    journal_path = out / "journal.jsonl"
    journal = {} if options.regrade else _read_journal(journal_path)
    fingerprints = {a: _fingerprint(template / "solutions" / a, options.timeout) for a in names}

    totals = {a: _total_points(template / "solutions" / a) for a in names}
    rows: dict[tuple[str, str], dict] = {}
    jobs: list[Job] = []
    for sub in found:
        if sub.problem:
            rows[sub.key] = _row_for_problem(sub, totals[sub.assignment])
            continue
        digest = hashlib.sha256((sub.digest() + fingerprints[sub.assignment]).encode()).hexdigest()
        done = journal.get(sub.key)
        if done and done["digest"] == digest:
            rows[sub.key] = done["row"]
            continue
        jobs.append(Job(sub.student, sub.assignment, sub.files, digest))

    progress = Progress(len(jobs), stream)
    if len(rows):
        stream.write(f"{len(rows)} submissions already graded (unchanged), {len(jobs)} to grade\n")
    recorded = False
    graded_now: set[tuple[str, str]] = set()
    with journal_path.open("a") as journal_file:
        if options.scheduler:
            finished = engine.grade(jobs, Sources.read(template, names))
        else:
            finished = engine.grade(jobs)
        for result in finished:
            if not recorded:  # done while the workers grade, before the first write
                _record_assignments(db_url, template, names)
                pages = feedback_api(out, db_url)
                recorded = True
            record(db_url, result, COURSE_ID)
            _write_files(out, result)
            _render_feedback(pages, result, out, db_url)
            graded_now.add((result.student, result.assignment))
            row = _row_for_result(result, totals[result.assignment])
            rows[(result.student, result.assignment)] = row
            journal_file.write(
                json.dumps(
                    {
                        "key": [result.student, result.assignment],
                        "digest": result.digest,
                        "row": row,
                        "cells": result.cells,
                        "seconds": result.seconds,
                        "failures": results.failed_checks(result.autograded),
                    }
                )
                + "\n"
            )
            journal_file.flush()
            progress.update(result.status)

    engine.close()
    ordered = [rows[k] for k in sorted(rows)]
    origins = {s.key: s.origin for s in found if s.origin}
    journal = _read_journal(journal_path)
    results.save(out, ordered, journal, origins, names, discovered.notices)
    final = publish(out, db_url, stream, graded_now)
    shutil.rmtree(work, ignore_errors=True)  # scratch copies: the journal is what resumes
    return [r.row() for r in final]


def _show_notices(notices: list[str], stream, shown: int = 10) -> None:
    """What was not graded, or chosen between, and why: all of it in the log and the
    report, the first few on the terminal."""
    if stream is not sys.stderr:  # the terminal: standard error is the log
        for notice in notices:
            sys.stderr.write(f"note: {notice}\n")
    for notice in notices[:shown]:
        stream.write(f"note: {notice}\n")
    if len(notices) > shown:
        stream.write(f"note: ... and {len(notices) - shown} more (report.html, grader.log)\n")


def _prepare_template(template: Path, names: list[str]) -> Path:
    """A course folder with the sources released into a template gradebook, which every
    worker copies. The same sources, nbgrader and release code make the same template,
    so it is kept in a cache and copied from there the next time."""
    shutil.rmtree(template, ignore_errors=True)
    cached = _template_cache() / _template_key(names)
    if cached.is_dir():
        shutil.copytree(cached, template)
        os.utime(cached)  # recently used: the last to be pruned
        return template
    _release_template(template, names)
    scratch = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
    try:  # renamed into place whole, so that a concurrent run never sees half of it
        shutil.copytree(template, scratch)
        scratch.rename(cached)
    except OSError:  # another run put it there first, or the cache cannot be written
        shutil.rmtree(scratch, ignore_errors=True)
    _prune(cached.parent)
    return template


def _prune(cache: Path, keep: int = 12) -> None:
    """Keep the templates used last (a few KB to a few MB each)."""
    try:
        kept = sorted(
            (p for p in cache.iterdir() if not p.name.endswith(".partial")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    for old in kept[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def _template_cache() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "sagemaker-studio-course" / "grader-templates"


def _template_key(names: list[str]) -> str:
    """A digest of everything a released template depends on."""
    digest = hashlib.sha256(nbgrader.__version__.encode())
    code = [CONFIG_FILE, Path(release_module.__file__), Path(config_module.__file__)]
    for path in code:
        digest.update(path.read_bytes())
    for name in names:
        digest.update(f"\0{name}\0".encode())
        folder = REPO / "solutions" / name
        for path in sorted(folder.rglob("*")):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def _release_template(template: Path, names: list[str]) -> None:
    for name in names:
        shutil.copytree(
            REPO / "solutions" / name,
            template / "solutions" / name,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
        )
    release(
        names,
        root=template,
        release_dir="release",
        record_in_gradebook=True,
        db_url=scratch_db_url(template / "gradebook.db"),
    )


def _record_assignments(db_url: str, template: Path, names: list[str]) -> None:
    """The sources in the class gradebook: a copy of the template's for a new SQLite
    file, otherwise recorded with nbgrader (a shared server may already have them)."""
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        if not path.exists():
            shutil.copyfile(template / "gradebook.db", path)
            return
    # released in a folder of its own: workers may be copying the template right now
    with tempfile.TemporaryDirectory(prefix="record-") as scratch:
        shutil.copytree(template / "solutions", Path(scratch) / "solutions")
        _retry(
            lambda: release(
                names,
                root=Path(scratch),
                release_dir="release",
                record_in_gradebook=True,
                db_url=db_url,
            )
        )


def _retry(action, attempts: int = 5) -> None:
    """Another grader may be recording the same assignment in a shared gradebook."""
    for attempt in range(attempts):
        try:
            action()
            return
        except Exception:  # noqa: BLE001 - nbgrader reports database races this way
            if attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def _fingerprint(folder: Path, timeout: int) -> str:
    h = hashlib.sha256(str(timeout).encode())
    for path in sorted(folder.glob("*.ipynb")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _read_journal(path: Path) -> dict[tuple[str, str], dict]:
    entries: dict[tuple[str, str], dict] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                entry = json.loads(line)
                entries[tuple(entry["key"])] = entry
            except (json.JSONDecodeError, KeyError, TypeError):
                continue  # a line cut short by an interruption
    return entries


def _write_files(out: Path, result: JobResult) -> None:
    graded = out / "autograded" / result.student / result.assignment
    graded.mkdir(parents=True, exist_ok=True)
    for name, raw in result.autograded.items():
        (graded / name).write_bytes(formgrader.with_rubrics(result.assignment, raw))


def _total_points(folder: Path) -> float:
    return sum(
        cell.metadata["nbgrader"].get("points", 0)
        for path in sorted(folder.glob("*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
    )


def _render_feedback(api: NbGraderAPI, result: JobResult, out: Path, db_url: str) -> None:
    if not result.autograded:
        return
    ok, note = render(api, out, db_url, result.student, result.assignment)
    if note:
        result.notes.append(note)
    if not ok and result.status == "graded":
        result.status = "flagged"


def _row_for_result(result: JobResult, max_score: float) -> dict:
    auto = [(s, m) for s, m in result.cells.values()]
    score = sum(s or 0 for s, _ in auto)
    notes = list(result.notes)  # answers awaiting hand grading are added by results.py
    return {
        "student": result.student,
        "assignment": result.assignment,
        "score": f"{score:g}",
        "max_score": f"{max_score:g}",
        "status": result.status,
        "message": "; ".join(notes),
    }


def _row_for_problem(sub: Submission, max_score: float) -> dict:
    return {
        "student": sub.student,
        "assignment": sub.assignment,
        "score": "0",
        "max_score": f"{max_score:g}",
        "status": "failed",
        "message": sub.problem,
    }
