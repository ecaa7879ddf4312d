"""Helpers for the class-hub tests: a hub with test accounts in its own folder, and the
hub's client (class_hub.client) bound to it."""

from __future__ import annotations

import contextlib
import pwd
import shutil
import tempfile
from pathlib import Path

import psutil
import requests

from class_hub import accounts, client
from class_hub.hub import start
from class_hub.state import State

TEST_GROUP = "course-hub-test"  # every account a test makes is in it; removed afterwards
run_code = client.run_code


def make_hub(roster_rows: list[str], **options):
    """A hub in a fresh state folder under /tmp (learners must be able to reach it)."""
    folder = Path(tempfile.mkdtemp(prefix="course-hub-test-", dir="/tmp"))
    folder.chmod(0o755)
    roster = folder / "roster.csv"
    roster.write_text("username,role,team\n" + "\n".join(roster_rows) + "\n")
    hub = start(roster, State(folder / "state"), group=TEST_GROUP, **options)
    hub.folder = folder
    return hub


def remove_hub(hub, names: list[str] | None = None) -> None:
    """Stop the hub, remove its test accounts (all, or ``names``) and its folder."""
    hub.stop()
    accounts.remove_accounts(TEST_GROUP, names)
    shutil.rmtree(hub.folder, ignore_errors=True)


def passwords(hub) -> dict[str, str]:
    return client.issued_passwords(hub.state)


def api_session(hub, user: str) -> requests.Session:
    return client.sign_in(hub.url, user, passwords(hub)[user])


def start_server(hub, api: requests.Session, user: str, name: str = "") -> str:
    return client.start_server(hub.url, api, user, name)


def processes_of(names: list[str]) -> list[psutil.Process]:
    uids = set()
    for name in names:
        with contextlib.suppress(KeyError):
            uids.add(pwd.getpwnam(name).pw_uid)
    return [p for p in psutil.process_iter(["uids"]) if p.info["uids"].real in uids]
