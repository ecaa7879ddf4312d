"""``OUT/report.html``: the class at a glance, for the instructor.

Score distribution per assignment, pass rate per exercise, the checks that failed most
with the message learners saw (what to re-teach), flagged submissions and why, who waits
for hand grading, and how long notebooks took to grade. Charts are drawn by matplotlib
as SVG inside the page: one file, readable offline, no script; its Content-Security-Policy
lets it load nothing.
"""

from __future__ import annotations

import io
import math
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from .results import Result, natural_key, points
from .summary import awaiting_by_assignment, exercise_scores

TEMPLATE = Path(__file__).parent / "templates" / "report.html.j2"
TOP_CHECKS = 20
SLOWEST = 10
ROWS = 5000  # rows of a long table shown; grades.csv has them all (the page stays < 5 MB)
COLOURS = {"complete": "#3b6ea8", "awaiting": "#d9a441", "failed": "#b00020"}


def write(out: Path, results: list[Result], notices: list[str]) -> Path:
    path = out / "report.html"
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["points"] = points
    page = env.from_string(TEMPLATE.read_text()).render(
        out=str(out),
        made=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        assignments=_assignments(results),
        distribution=_distribution_chart(results),
        exercises=_exercises(results),
        checks=_most_failed(results),
        flagged=[r for r in results if r.status in ("flagged", "failed")],
        waiting=awaiting_by_assignment(results),
        times=_times(results),
        notices=notices,
        rows=ROWS,
        total=len(results),
        everyone=sorted(results, key=lambda r: (r.assignment, r.student)),
    )
    temporary = path.with_suffix(".tmp")
    temporary.write_text(page)
    temporary.replace(path)
    return path


def _assignments(results: list[Result]) -> list[dict]:
    by = defaultdict(list)
    for r in results:
        by[r.assignment].append(r)
    rows = []
    for assignment, rs in sorted(by.items()):
        scored = [r.score for r in rs if r.status != "failed"]
        rows.append(
            {
                "name": assignment,
                "n": len(rs),
                "max": rs[0].max_score,
                "mean": statistics.mean(scored) if scored else None,
                "median": statistics.median(scored) if scored else None,
                "awaiting": sum(1 for r in rs if r.awaiting and r.status != "failed"),
                "flagged": sum(1 for r in rs if r.status == "flagged"),
                "failed": sum(1 for r in rs if r.status == "failed"),
            }
        )
    return rows


def _exercises(results: list[Result]) -> list[dict]:
    """Per assignment: each exercise's pass rate (full marks), with its chart."""
    table = exercise_scores(results)
    by = defaultdict(list)
    for (assignment, name), entry in table.items():
        scores = entry["scores"]
        passed = sum(1 for s in scores if s >= entry["max"])
        by[assignment].append(
            {
                "name": name,
                "max": entry["max"],
                "graded": len(scores),
                "passed": passed,
                "rate": passed / len(scores) if scores else None,
                "mean": statistics.mean(scores) if scores else None,
                "awaiting": entry["awaiting"],
            }
        )
    return [
        {"assignment": a, "rows": rows, "chart": _pass_rate_chart(a, rows)}
        for a, rows in sorted(by.items())
    ]


def _most_failed(results: list[Result]) -> list[dict]:
    counts: Counter = Counter()
    submitted = Counter(r.assignment for r in results if r.status != "failed")
    for r in results:
        for check, message in r.failures.items():
            counts[(r.assignment, check, message)] += 1
    return [
        {
            "assignment": a,
            "check": check,
            "message": message,
            "count": n,
            "share": n / submitted[a] if submitted[a] else 0,
        }
        for (a, check, message), n in sorted(
            counts.items(), key=lambda kv: (-kv[1], kv[0][0], natural_key(kv[0][1]))
        )[:TOP_CHECKS]
    ]


def _times(results: list[Result]) -> dict:
    timed = sorted(
        (r for r in results if r.seconds is not None), key=lambda r: r.seconds, reverse=True
    )
    if not timed:
        return {}
    seconds = [r.seconds for r in timed]
    return {
        "n": len(seconds),
        "median": statistics.median(seconds),
        "p90": sorted(seconds)[math.ceil(0.9 * len(seconds)) - 1],  # nearest rank
        "max": seconds[0],
        "slowest": timed[:SLOWEST],
        "chart": _time_chart(seconds),
    }


# ------------------------------------------------------------------ charts
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: smaller, searchable, readable
            "svg.hashsalt": "autograder-report",  # the same page for the same class
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    import matplotlib.pyplot as plt

    return plt


def _svg(fig, title: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # a name for screen readers; the tables beside each chart hold the numbers
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _distribution_chart(results: list[Result]) -> str:
    by = defaultdict(list)
    for r in results:
        by[r.assignment].append(r)
    if not by:
        return ""
    plt = _pyplot()
    n = len(by)
    columns = min(n, 4)
    rows = -(-n // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(3.2 * columns, 2.4 * rows), squeeze=False, sharey=False
    )
    bins = [i * 10 for i in range(11)]
    for ax, (assignment, rs) in zip(axes.flat, sorted(by.items()), strict=False):
        groups = {
            "complete": [r for r in rs if r.status != "failed" and not r.awaiting],
            "awaiting": [r for r in rs if r.status != "failed" and r.awaiting],
            "failed": [r for r in rs if r.status == "failed"],
        }
        data = [[_percent(r) for r in group] for group in groups.values()]
        labels = ["graded", "awaiting hand grading (score so far)", "failed"]
        ax.hist(
            data,
            bins=bins,
            stacked=True,
            color=list(COLOURS.values()),
            label=labels,
        )
        ax.set_title(f"{assignment} ({len(rs)}; max {points(rs[0].max_score)})")
        ax.set_xlabel("score, % of maximum")
        ax.set_xlim(0, 100)
        ax.yaxis.get_major_locator().set_params(integer=True)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    axes.flat[0].set_ylabel("submissions")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="lower center", ncol=3, frameon=False, bbox_to_anchor=(0.5, -0.08)
    )
    fig.tight_layout()
    return _svg(fig, "Score distribution per assignment")


def _percent(result: Result) -> float:
    return 100 * result.score / result.max_score if result.max_score else 0.0


def _pass_rate_chart(assignment: str, rows: list[dict]) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 0.28 * len(rows) + 0.9))
    names = [r["name"] for r in rows][::-1]
    rates = [100 * (r["rate"] or 0) for r in rows][::-1]
    colours = [COLOURS["complete" if r["rate"] is not None else "awaiting"] for r in rows][::-1]
    ax.barh(names, rates, color=colours)
    ax.set_xlim(0, 100)
    ax.set_xlabel("submissions with full marks, %")
    ax.set_title(f"{assignment}: pass rate per exercise")
    fig.tight_layout()
    return _svg(fig, f"{assignment}: pass rate per exercise")


def _time_chart(seconds: list[float]) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 2.4))
    ax.hist(seconds, bins=min(30, max(5, len(seconds) // 2)), color=COLOURS["complete"])
    ax.set_xlabel("seconds to grade one submission")
    ax.set_ylabel("submissions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return _svg(fig, "Time to grade each submission")
