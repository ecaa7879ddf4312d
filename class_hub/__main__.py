"""``python -m class_hub COMMAND``: start the class hub and move assignments through it.

start --roster CSV [--port 8000] [--idle-timeout 3600]   set up and run the hub
release [ASSIGNMENT ...]                                 (re)release labs
collect [ASSIGNMENT ...] [--to DIR]                      collect submissions
feedback GRADED [--submitted DIR]                        release the grader's feedback
remove-users                                             remove the accounts the hub made
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from . import accounts, instructor
from .hub import HubError, start
from .roster import RosterError, load
from .state import DEFAULT_STATE, State

REPO = Path(__file__).resolve().parent.parent
SUBMITTED = REPO / "_grading" / "submitted"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m class_hub")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE, help="the hub's folder")
    parser.add_argument("--group", default=accounts.DEFAULT_GROUP, help="marker group of accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("start", help="set up and run the hub on 127.0.0.1")
    run.add_argument("--roster", type=Path, required=True)
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--idle-timeout", type=int, default=3600, help="seconds before culling")
    run.add_argument("--cull-every", type=int, default=300, help="seconds between checks")
    run.add_argument("--no-release", action="store_true", help="do not (re)release the labs")
    rel = commands.add_parser("release", help="release labs to the exchange and the labs repo")
    rel.add_argument("assignments", nargs="*")
    col = commands.add_parser("collect", help="collect submissions from the exchange")
    col.add_argument("assignments", nargs="*")
    col.add_argument("--roster", type=Path, required=True)
    col.add_argument("--to", type=Path, default=SUBMITTED, help="the submitted/ tree to fill")
    fb = commands.add_parser("feedback", help="release the autograder's feedback pages")
    fb.add_argument("graded", type=Path, help="the autograder's --out folder")
    fb.add_argument("--submitted", type=Path, default=SUBMITTED)
    commands.add_parser("remove-users", help="remove every account the hub created")
    args = parser.parse_args(argv)
    state = State(args.state.resolve())
    try:
        if args.command == "start":
            return _serve(args, state)
        if args.command == "release":
            changed = instructor.release(state, args.assignments or None)
            print("released; labs repository", "updated" if changed else "unchanged")
        elif args.command == "collect":
            refused = instructor.collect(
                state, args.to, load(args.roster).learners, args.assignments
            )
            for line in refused:
                print(f"refused: {line}")
            print(f"collected into {args.to}")
        elif args.command == "feedback":
            for line in instructor.release_feedback(state, args.submitted, args.graded):
                print(f"released feedback {line}")
        elif args.command == "remove-users":
            print("removed:", " ".join(accounts.remove_accounts(args.group)) or "nobody")
    except (RosterError, HubError) as error:
        print(f"error: {error}")
        return 2
    return 0


def _serve(args: argparse.Namespace, state: State) -> int:
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    hub = start(
        args.roster,
        state,
        port=args.port,
        idle_timeout=args.idle_timeout,
        cull_every=args.cull_every,
        group=args.group,
        release=not args.no_release,
    )
    print(f"The class hub is on {hub.url} (state in {state.root})")
    if hub.passwords:
        print(f"New passwords (also appended to {state.credentials}):")
        for name, password in sorted(hub.passwords.items()):
            print(f"  {name}: {password}")
    print(f"Idle servers stop after {args.idle_timeout} s. Ctrl-C stops the hub.", flush=True)
    try:
        stopped.wait()
    finally:
        hub.stop()
        print("\nStopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
