"""``python -m shared_space [--private] [--port N] [--users ana,ben] [--folder DIR]``"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from .server import start

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared_space")
    parser.add_argument(
        "--private", action="store_true", help="collaboration off: what a private space is like"
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")
    parser.add_argument(
        "--users",
        default="ana,ben",
        help="comma-separated user names (a private space keeps the first)",
    )
    parser.add_argument("--folder", type=Path, help="folder to serve")
    args = parser.parse_args(argv)
    users = tuple(u.strip() for u in args.users.split(",") if u.strip())
    if args.private:
        users = users[:1]  # a private space belongs to one user profile
    folder = args.folder or REPO / ("_private_space" if args.private else "_shared_space")
    kind = "private space (collaboration off)" if args.private else "shared space (RTC on)"
    stopped = threading.Event()  # Ctrl-C or SIGTERM from here on stops the server cleanly
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    space = start(folder, users, collaborative=not args.private, port=args.port)
    print(f"A local {kind} serving {folder} on http://127.0.0.1:{space.port}")
    print("Open each link in its own browser window (or a private window), side by side:")
    for user in users:
        print(f"  {user}: {space.url(user)}")
    print("Ctrl-C stops the server.", flush=True)
    try:
        stopped.wait()
    finally:
        space.stop()
        print("\nStopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
