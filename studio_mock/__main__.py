"""``python -m studio_mock serve [--port N]``: one local Studio for several notebooks."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .server import StudioServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio_mock")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run a local moto server with SageMaker Studio")
    serve.add_argument("--port", type=int, default=5000, help="port on 127.0.0.1 (default 5000)")
    serve.add_argument("--region", default="us-east-1")
    serve.add_argument(
        "--timing",
        choices=("realistic", "instant"),
        default="realistic",
        help="realistic: statuses take simulated minutes, as on AWS (default); instant: at once",
    )
    args = parser.parse_args(argv)

    stopped = threading.Event()  # Ctrl-C or SIGTERM from here on stops the server cleanly
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        server = StudioServer(args.port, quiet=False, timing_mode=args.timing).start()
    except OSError as err:
        print(
            f"Cannot listen on 127.0.0.1:{args.port}: {err.strerror}. Try --port 0 (any free port)."
        )
        return 1
    print(f"SageMaker Studio mock listening on {server.endpoint_url} (Ctrl-C stops it)", flush=True)
    print("Point boto3 at it from a notebook or shell with:")
    for key, value in server.environment(args.region).items():
        print(f"  export {key}={value}")
    print("or in Python: boto3.client('sagemaker', endpoint_url=...) with those credentials.")
    sys.stdout.flush()
    try:
        stopped.wait()
        print("\nStopping.")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
