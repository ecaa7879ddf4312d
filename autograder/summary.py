"""The summary printed at the end of ``grade`` and ``finalize``: counts, the mean score of
each exercise out of its maximum (natural order: q2 before q10), and who still waits for
hand grading."""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path

from .results import Result, natural_key, points

SHOWN = 12  # names listed per assignment before "and N more"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def exercise_scores(results: list[Result]) -> dict[tuple[str, str], dict]:
    """Per (assignment, exercise): its maximum, the scores given, how many await a grader.
    Failed submissions are left out: they say nothing about the exercise."""
    table: dict[tuple[str, str], dict] = {}
    for result in results:
        if result.status == "failed":
            continue
        for cell in result.cells.values():
            if not cell.max_score:
                continue
            entry = table.setdefault(
                (result.assignment, cell.name),
                {"max": cell.max_score, "scores": [], "awaiting": 0},
            )
            if cell.awaiting:
                entry["awaiting"] += 1
            else:
                entry["scores"].append(cell.score)
    return dict(sorted(table.items(), key=lambda kv: (kv[0][0], natural_key(kv[0][1]))))


def awaiting_by_assignment(results: list[Result]) -> dict[str, list[Result]]:
    waiting = defaultdict(list)
    for result in results:
        if result.awaiting and result.status != "failed":
            waiting[result.assignment].append(result)
    return dict(sorted(waiting.items()))


def write(results: list[Result], out: Path, stream) -> None:
    counts = defaultdict(int)
    for result in results:
        counts[result.status] += 1
    waiting = awaiting_by_assignment(results)
    n_waiting = sum(len(v) for v in waiting.values())
    stream.write(
        f"\n{len(results)} submissions: {counts['graded']} graded cleanly, "
        f"{counts['flagged']} flagged, {counts['failed']} failed"
        + (f"; {plural(n_waiting, 'submission')} awaiting hand grading" if n_waiting else "")
        + "\n"
    )
    table = exercise_scores(results)
    if table:
        stream.write("mean score per exercise (points / maximum):\n")
        width = max(len(name) for _, name in table)
        for (assignment, name), entry in table.items():
            mean = f"{statistics.mean(entry['scores']):6.2f}" if entry["scores"] else "     -"
            line = f"  {assignment:<10} {name:<{width}} {mean} / {points(entry['max'])}"
            if entry["awaiting"]:
                line += f"   ({len(entry['scores'])} graded, {entry['awaiting']} awaiting grading)"
            stream.write(line + "\n")
    if waiting:
        total = sum(r.awaiting_points for rs in waiting.values() for r in rs)
        stream.write(
            f"awaiting hand grading: {plural(n_waiting, 'submission')}, {points(total)} points "
            f"(python -m autograder formgrader {out}, then finalize):\n"
        )
        for assignment, rs in waiting.items():
            names = [r.student for r in rs]
            more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
            stream.write(f"  {assignment}: {', '.join(names[:SHOWN])}{more}\n")
    stream.write(f"report: {out / 'report.html'}   log: {out / 'grader.log'}\n")
    stream.flush()
