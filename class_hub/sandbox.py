"""The walls around a learner's server: a system account, and a filesystem view that
holds only what the server needs.

bubblewrap (``bwrap``), started by the hub as root, builds a new mount namespace from an
allow-list: the operating system read-only (``/usr``, ``/etc``), the course's Python
environment and packages read-only, the account's own home and nbgrader's exchange
writable, and a private ``/tmp``. Everything else on the machine (the course checkout with
its solutions and git history, the hub's database, other homes, the grading folders) is
simply not there. Then ``setpriv`` drops to the account's uid and gid, with no
capabilities and no way to regain privileges (no_new_privs), and starts the server.

The two walls cover each other: file modes (homes 0700) stop one account reading
another's files even outside the sandbox, and the sandbox hides what file modes would
leave readable (a checkout is usually world-readable). Its own process-id namespace means
a learner's server cannot see other processes, and stopping it stops every process it
started.
"""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
PREMADE = ("/", "/tmp", "/var", "/var/tmp", "/run", "/usr", "/etc", "/proc", "/dev")


class SandboxError(RuntimeError):
    pass


def bwrap() -> str:
    found = shutil.which("bwrap")
    if not found:
        raise SandboxError(
            "bubblewrap (bwrap) is missing: run `make hub-setup` (apt-get install bubblewrap)"
        )
    return found


def command(account: str, home: Path, read_only: list[Path], writable: list[Path]) -> list[str]:
    """The command prefix that runs what follows as ``account``, inside the sandbox."""
    entry = pwd.getpwnam(account)
    cmd = [
        bwrap(),
        "--die-with-parent",  # the hub stops: every server stops
        "--new-session",
        "--unshare-pid",
        "--unshare-ipc",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "1777",
        "--tmpfs",
        "/tmp",
        "--perms",
        "1777",
        "--tmpfs",
        "/var/tmp",
        "--tmpfs",
        "/run",
        "--ro-bind",
        "/usr",
        "/usr",
        "--ro-bind",
        "/etc",
        "/etc",
    ]
    for name in TOP_LEVEL:
        path = Path("/") / name
        if path.is_symlink():
            cmd += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            cmd += ["--ro-bind", str(path), str(path)]
    binds = [("--ro-bind", p) for p in _outermost(read_only)]
    binds += [("--bind", p) for p in _outermost([*writable, home])]
    made = set(PREMADE)
    for option, path in binds:
        for parent in reversed(path.parents):  # bwrap would make them 0700: traversable instead
            if str(parent) not in made:
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        cmd += [option, str(path), str(path)]
    cmd += [
        "--chdir",
        str(home),
        "--",
        "setpriv",
        f"--reuid={entry.pw_uid}",
        f"--regid={entry.pw_gid}",
        "--init-groups",
        "--inh-caps=-all",
        "--no-new-privs",
        "--",
    ]
    return cmd


def _outermost(paths: list[Path]) -> list[Path]:
    """Existing paths, without those inside another one (and not under /usr or /etc)."""
    resolved = sorted(
        {Path(p).resolve() for p in paths if Path(p).exists()}, key=lambda p: len(p.parts)
    )
    kept: list[Path] = []
    for path in resolved:
        if path.parts[:2] in (("/", "usr"), ("/", "etc")):
            continue
        if not any(path.is_relative_to(k) for k in kept):
            kept.append(path)
    return kept
