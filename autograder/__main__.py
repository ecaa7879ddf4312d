"""``python -m autograder release [ASSIGNMENT ...]``: regenerate labs/ from solutions/."""

from __future__ import annotations

import argparse

from .release import ReleaseError, release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    rel = commands.add_parser("release", help="regenerate labs/ from solutions/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    args = parser.parse_args(argv)
    try:
        for path in release(args.assignments or None):
            print(f"wrote {path}")
    except ReleaseError as err:
        print(err)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
