"""The instructor's commands.

python -m autograder release [ASSIGNMENT ...]
python -m autograder grade SUBMISSIONS --out OUT [--assignment NAME] [--workers N]
                           [--timeout SECONDS] [--db URL] [--regrade]
                           [--scheduler tcp://HOST:PORT] [--memory 2G ...limits]
                           [--no-sandbox]
python -m autograder formgrader OUT [--port N] [--db URL]     (hand grading)
python -m autograder finalize OUT [--db URL]                  (hand grades into every output)
python -m autograder export OUT --lms canvas|moodle [--to DIR] [--title ASSIGNMENT=TITLE]

grade, formgrader and finalize print only progress and a summary; the rest goes to
OUT/grader.log.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .release import ReleaseError, release
from .sandbox import BYTE_LIMITS, Limits, SandboxUnavailable, check_available, parse_size
from .terminal import quiet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    rel = commands.add_parser("release", help="regenerate labs/ from solutions/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    grade = commands.add_parser("grade", help="autograde a class's submissions")
    grade.add_argument(
        "submissions",
        type=Path,
        help="submitted/ tree, a zip of it, or a folder of <student>_<assignment>.ipynb",
    )
    grade.add_argument("--out", type=Path, required=True, help="folder for grades and feedback")
    grade.add_argument("--assignment", help="grade only this assignment")
    grade.add_argument("--workers", type=int, default=1, help="parallel grading processes")
    grade.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="grade on the workers of this Dask cluster instead of local processes",
    )
    grade.add_argument(
        "--scheduler-timeout",
        type=_seconds,
        default=30,
        metavar="SECONDS",
        help="with --scheduler: how long to wait for the scheduler and a first worker "
        "(default: 30)",
    )
    grade.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell")
    grade.add_argument("--db", help="gradebook URL (default: sqlite in OUT; e.g. postgresql://...)")
    grade.add_argument("--regrade", action="store_true", help="ignore earlier results in OUT")
    limits = grade.add_argument_group(
        "sandbox limits (per notebook's kernel; sizes take K, M or G)"
    )
    for name in Limits.names():
        limits.add_argument(
            "--" + name.replace("_", "-"),
            type=parse_size if name in BYTE_LIMITS else int,
            default=getattr(Limits(), name),
            metavar="N",
            help=f"{Limits.DESCRIPTIONS[name]} (default: {Limits().shown(name)})",
        )
    grade.add_argument(
        "--no-sandbox",
        action="store_true",
        help="UNSAFE: run student code without the operating-system sandbox (when "
        "bubblewrap cannot be installed); a submission can then read hidden tests and "
        "change grades",
    )
    _hand_grading_commands(commands)
    args = parser.parse_args(argv)
    if args.command in ("finalize", "formgrader", "export"):
        return _hand_grading(args)
    if args.command == "grade":
        from .grade import Options, run
        from .submissions import SubmissionsError

        try:
            if not args.no_sandbox:
                check_available()  # before OUT and its log are made: a refusal writes nothing
            with quiet(args.out) as terminal:
                run(
                    Options(
                        args.submissions,
                        args.out,
                        args.assignment,
                        args.workers,
                        args.timeout,
                        args.db,
                        args.regrade,
                        Limits(**{name: getattr(args, name) for name in Limits.names()}),
                        not args.no_sandbox,
                        args.scheduler,
                        args.scheduler_timeout,
                    ),
                    terminal,
                )
        except SubmissionsError as err:
            print(f"Cannot read the submissions: {err}")
            return 2
        except SandboxUnavailable as err:
            print(err)
            return 3
        except ConnectionError as err:
            print(err)
            return 4
        return 0
    try:
        for path in release(args.assignments or None):
            print(f"wrote {path}")
    except ReleaseError as err:
        print(err)
        return 1
    return 0


def _seconds(text: str) -> float:
    """A positive number of seconds, or argparse's own clear error."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _hand_grading_commands(commands) -> None:
    fg = commands.add_parser(
        "formgrader", help="grade essays by hand: Formgrader on a graded OUT (127.0.0.1)"
    )
    fg.add_argument("out", type=Path, help="the --out folder of a graded class")
    fg.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default: 8765)")
    fg.add_argument("--db", help="gradebook URL, when the class was graded with --db")
    fin = commands.add_parser(
        "finalize",
        help="put the hand grades entered in Formgrader into grades.csv, feedback and report",
    )
    fin.add_argument("out", type=Path, help="the --out folder of a graded class")
    fin.add_argument("--db", help="gradebook URL, when the class was graded with --db")
    exp = commands.add_parser(
        "export", help="the grade file and feedback zips an LMS imports (after finalize)"
    )
    exp.add_argument("out", type=Path, help="the --out folder of a graded class")
    exp.add_argument("--lms", required=True, choices=["canvas", "moodle"])
    exp.add_argument("--to", type=Path, help="folder for the files (default: OUT/export)")
    exp.add_argument("--db", help="gradebook URL, when the class was graded with --db")
    exp.add_argument(
        "--title",
        action="append",
        default=[],
        metavar="ASSIGNMENT=TITLE",
        help="the assignment's name in the LMS (Canvas: 'Quiz 1 (12345)' matches by id)",
    )


def _hand_grading(args) -> int:
    from .export import ExportError, export
    from .formgrader import FormgraderError, serve
    from .gradebook import normalise_db_url
    from .publish import finalize
    from .results import ResultsError

    db = normalise_db_url(args.db) if args.db else None
    if not args.out.is_dir():
        print(f"{args.out} is not a folder: pass the --out folder of a graded class")
        return 2
    try:
        with quiet(args.out) as terminal:
            if args.command == "finalize":
                finalize(args.out, db, terminal)
            elif args.command == "formgrader":
                serve(args.out, args.port, db, terminal)
            else:
                if any("=" not in t for t in args.title):
                    raise ExportError("--title takes ASSIGNMENT=TITLE, e.g. quiz='Quiz 1 (12345)'")
                titles = dict(t.split("=", 1) for t in args.title)
                export(args.out, args.lms, args.to, db, titles, terminal)
    except (FileNotFoundError, ExportError, ResultsError, FormgraderError) as err:
        print(err)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
