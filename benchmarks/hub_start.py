"""The class hub: how long from signing in to a ready JupyterLab, and how many learner
servers this machine holds at once.

Starts a hub (as root: it makes the accounts bench1..benchN, and removes them), then

1. for each learner in turn: sign in, start the server (sandbox, labs pulled, JupyterLab
   up), and time it until JupyterLab's page is served: the median is "login to ready";
2. with all N servers idle, the memory each one really uses (proportional set size of
   its process tree: bwrap, JupyterLab server), and one learner's kernel after the labs'
   set-up imports (boto3, moto, studio_mock), a learner at work;
3. how many fit: memory (available now, and the machine's total), less 2 GiB for the hub,
   the proxy and the system, divided by the memory of an idle server, and of a server
   with one working kernel.

    sudo .venv/bin/python benchmarks/hub_start.py [--learners 4]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from class_hub import accounts  # noqa: E402
from class_hub.client import issued_passwords, run_code, sign_in, start_server  # noqa: E402
from class_hub.hub import start  # noqa: E402
from class_hub.state import State  # noqa: E402

GROUP = "course-hub-bench"
HEADROOM = 2 * 1024**3
SETUP_IMPORTS = "import boto3, moto, studio_mock\nfrom studio_mock import mock_studio\nprint('ok')"


def tree_pss(uid: int) -> int:
    """Memory of every process of one account (its server, kernels), in bytes (PSS)."""
    total = 0
    for p in psutil.process_iter(["uids"]):
        if p.info["uids"] and p.info["uids"].real == uid:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += p.memory_full_info().pss
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=4)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("run as root: the hub creates an account per learner")
        return 2
    names = [f"bench{i}" for i in range(1, args.learners + 1)]
    folder = Path(tempfile.mkdtemp(prefix="course-hub-bench-", dir="/tmp"))
    folder.chmod(0o755)
    roster = folder / "roster.csv"
    roster.write_text("username,role\n" + "".join(f"{n},learner\n" for n in names))
    state = State(folder / "state")
    t0 = time.perf_counter()
    hub = start(roster, state, group=GROUP)
    up = time.perf_counter() - t0
    print(f"hub up (accounts, release of the labs, JupyterHub, proxy): {up:.1f} s")
    try:
        passwords = issued_passwords(state)
        ready, sessions = [], {}
        for name in names:
            started = time.perf_counter()
            api = sign_in(hub.url, name, passwords[name])
            prefix = start_server(hub.url, api, name)
            page = api.get(f"{prefix}lab", timeout=60)
            assert page.status_code == 200 and "jupyter-config-data" in page.text
            ready.append(time.perf_counter() - started)
            sessions[name] = (api, prefix)
        print(
            f"login to ready JupyterLab: median {statistics.median(ready):.1f} s "
            f"(each: {', '.join(f'{s:.1f}' for s in ready)} s)"
        )
        time.sleep(10)  # let the servers settle into idle
        uids = {n: pwd.getpwnam(n).pw_uid for n in names}
        idle = [tree_pss(uids[n]) for n in names]
        per_idle = statistics.median(idle)
        api, prefix = sessions[names[0]]
        kernel = api.post(f"{prefix}api/kernels", json={"name": "python3"}, timeout=30).json()
        run_code(api, prefix, SETUP_IMPORTS, timeout=180, kernel=kernel["id"])  # stays running
        working = tree_pss(uids[names[0]])
        available = psutil.virtual_memory().available
        total = psutil.virtual_memory().total
        mib = 2**20
        print(f"memory per idle learner server: {per_idle / mib:.0f} MiB (PSS, median)")
        print(
            f"memory of a server with one working kernel (labs' imports): {working / mib:.0f} MiB"
        )
        print(
            f"this machine: {psutil.cpu_count()} cores, {total / 2**30:.1f} GiB, "
            f"{available / 2**30:.1f} GiB available now"
        )
        for label, memory in (("now", available), ("on an otherwise idle machine", total)):
            room = memory - HEADROOM
            print(
                f"holds at once, {label}: {int(room // per_idle)} idle servers, or "
                f"{int(room // working)} with a working kernel each "
                f"(keeping {HEADROOM / 2**30:.0f} GiB for the hub and the system)"
            )
        print(
            "memory is the limit for idle servers; for learners running cells at once the "
            f"limit is the {psutil.cpu_count()} cores"
        )
    finally:
        hub.stop()
        accounts.remove_accounts(GROUP)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
