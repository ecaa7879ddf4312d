"""Bring every output of a graded class up to date with its gradebook: the end of
``grade``, and all of ``finalize`` (``python -m autograder finalize OUT``).

grades.csv, the feedback pages of submissions whose hand grades or comments changed since
their page was made, Formgrader's view of OUT, the terminal summary and report.html.
Nothing here writes to the gradebook: what graders entered is only read.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from . import formgrader, report, results, summary
from .feedback import feedback_api, render
from .results import Result


def gradebook_url(out: Path, db_url: str | None) -> str:
    """The class gradebook: --db as given to grade, or the SQLite file in OUT, which must
    exist (nbgrader would quietly make an empty one)."""
    if db_url:
        return db_url
    path = out / "gradebook.db"
    if not path.exists():
        raise FileNotFoundError(
            f"no gradebook at {path}: if this class was graded with --db URL, pass the same "
            "--db here"
        )
    return f"sqlite:///{path}"


def has_notebooks(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.ipynb"))


def publish(
    out: Path,
    db_url: str,
    stream=sys.stderr,
    graded_now: set[tuple[str, str]] = frozenset(),
) -> list[Result]:
    """``graded_now``: submissions whose feedback this run has just made."""
    out = out.resolve()
    class_results = results.load(out, db_url)
    _refresh_feedback(out, db_url, class_results, graded_now, stream)
    _write_csv(out / "grades.csv", class_results)
    formgrader.prepare(out, [r.key for r in class_results])
    summary.write(class_results, out, stream)
    report.write(out, class_results, results.notices(out))
    return class_results


def require_graded(out: Path) -> Path:
    out = out.resolve()
    if not (out / results.RESULTS).exists():
        raise FileNotFoundError(
            f"{out} holds no graded class: run python -m autograder grade SUBMISSIONS "
            f"--out {out} first"
        )
    return out


def finalize(out: Path, db_url: str | None, stream=sys.stderr) -> list[Result]:
    out = require_graded(out)
    return publish(out, gradebook_url(out, db_url), stream)


def _refresh_feedback(
    out: Path, db_url: str, class_results: list[Result], graded_now, stream
) -> None:
    shown = results.rendered(out)
    api = None
    changed = 0
    for result in class_results:
        key = results.key_text(result.key)
        if result.key in graded_now:
            shown[key] = result.hand
            continue
        if shown.get(key) == result.hand:
            continue
        if not has_notebooks(out / "autograded" / result.student / result.assignment):
            continue  # nothing was graded: no page to make
        api = api or feedback_api(out, db_url)
        ok, note = render(api, out, db_url, result.student, result.assignment)
        if ok:
            shown[key] = result.hand
            changed += 1
        else:
            stream.write(f"{key}: {note}\n")
    results.save_rendered(out, shown)
    if changed:
        stream.write(f"feedback pages made again with hand grades: {changed}\n")


def _write_csv(path: Path, class_results: list[Result]) -> None:
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=results.CSV_FIELDS)
        writer.writeheader()
        writer.writerows(r.row() for r in sorted(class_results, key=lambda r: r.key))
    temporary.replace(path)
