"""System accounts for the roster: one per learner, instructor and team, each with a
private home (mode 0700) under the hub's state folder.

Every account the hub creates is a member of one marker group (``course-hub`` by
default), so the hub only ever changes or removes accounts it made: a roster name that
already belongs to someone else on this machine (``daemon``, a colleague's login) is
refused instead of reused.
"""

from __future__ import annotations

import grp
import os
import pwd
import subprocess
import time
from pathlib import Path

from .roster import RosterError

DEFAULT_GROUP = "course-hub"


def _run(*cmd: str) -> None:
    """Run useradd & co.; wait and retry while another process holds /etc/passwd's lock."""
    for _ in range(40):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            return
        if "lock" not in proc.stderr:
            break
        time.sleep(0.25)
    raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip() or proc.stdout}")


def members(group: str) -> list[str]:
    try:
        return sorted(grp.getgrnam(group).gr_mem)
    except KeyError:
        return []


def ensure_group(group: str) -> None:
    try:
        grp.getgrnam(group)
    except KeyError:
        try:
            _run("groupadd", "--system", group)
        except RuntimeError:
            if group not in {g.gr_name for g in grp.getgrall()}:  # not made meanwhile
                raise


def check_names(names: list[str], group: str) -> None:
    """Refuse names of existing accounts that the hub did not create."""
    ours = set(members(group))
    taken = []
    for name in names:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        if name not in ours:
            taken.append(name)
    if taken:
        raise RosterError(
            f"{', '.join(sorted(taken))}: already an account on this machine that the hub did "
            f"not create (not in group {group}); choose other usernames in the roster"
        )


def ensure_account(name: str, home: Path, group: str, comment: str) -> pwd.struct_passwd:
    """Create the account (no password: it cannot log in to the machine) and its home."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        _run(
            "useradd",
            "--no-create-home",
            "--home-dir",
            str(home),
            "--shell",
            "/bin/bash",
            "--groups",
            group,
            "--comment",
            comment,
            name,
        )
        entry = pwd.getpwnam(name)
    if entry.pw_dir != str(home):
        _run("usermod", "--home", str(home), name)
        entry = pwd.getpwnam(name)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)
    return entry


def remove_accounts(group: str, names: list[str] | None = None) -> list[str]:
    """Remove accounts of the marker group (all of them, or only ``names``); homes stay
    where they are (they live in the hub's state folder)."""
    removed = []
    for name in members(group):
        if names is None or name in names:
            _run("userdel", name)
            removed.append(name)
    if not members(group):
        try:
            grp.getgrnam(group)
            _run("groupdel", group)
        except KeyError:
            pass
    return removed
