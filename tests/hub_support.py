"""Helpers for the class-hub tests: a hub with test accounts, sign-in by browser and by
API token, and code run in a user's own kernel (what a learner's code can reach)."""

from __future__ import annotations

import contextlib
import csv
import json
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import psutil
import requests
import websocket

from class_hub import accounts
from class_hub.hub import start
from class_hub.state import State

TEST_GROUP = "course-hub-test"  # every account a test makes is in it; removed afterwards
ROOT = Path(__file__).resolve().parent.parent


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
    with hub.state.credentials.open() as f:
        return {row["username"]: row["password"] for row in csv.DictReader(f)}


def api_session(hub, user: str) -> requests.Session:
    """Sign in with the password, then carry an API token of the user's own."""
    s = requests.Session()
    s.get(f"{hub.url}/hub/login", timeout=10)
    form = {"username": user, "password": passwords(hub)[user], "_xsrf": s.cookies.get("_xsrf")}
    r = s.post(f"{hub.url}/hub/login", data=form, allow_redirects=False, timeout=10)
    assert r.status_code == 302, f"{user} could not sign in: {r.status_code}"
    r = s.post(
        f"{hub.url}/hub/api/users/{user}/tokens",
        json={"note": "test"},
        headers={"X-XSRFToken": s.cookies.get("_xsrf")},
        timeout=10,
    )
    token = r.json()["token"]
    api = requests.Session()
    api.headers["Authorization"] = f"token {token}"
    api.token = token
    return api


def start_server(hub, api: requests.Session, user: str, name: str = "", timeout: float = 90):
    path = f"{user}/servers/{name}" if name else f"{user}/server"
    r = api.post(f"{hub.url}/hub/api/users/{path}", timeout=30)
    assert r.status_code in (201, 202, 400), r.text  # 400: already running
    prefix = f"{hub.url}/user/{user}/{name + '/' if name else ''}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = api.get(f"{prefix}api/status", timeout=10)
        ready = r.headers.get("content-type", "").startswith("application/json")
        if r.status_code == 200 and ready:
            return prefix
        time.sleep(0.5)
    raise AssertionError(f"{user}'s server did not start: {r.status_code} {r.text[:300]}")


def run_code(api: requests.Session, prefix: str, code: str, timeout: float = 60) -> str:
    """Run ``code`` in a new kernel of the server at ``prefix``; return its stdout."""
    kernel = api.post(f"{prefix}api/kernels", json={"name": "python3"}, timeout=30).json()["id"]
    ws_url = prefix.replace("http://", "ws://") + f"api/kernels/{kernel}/channels"
    ws = websocket.create_connection(
        ws_url, header=[f"Authorization: token {api.token}"], timeout=timeout
    )
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "test",
                    "session": uuid.uuid4().hex,
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "stop_on_error": True},
                "channel": "shell",
            }
        )
    )
    out, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                raise AssertionError("\n".join(msg["content"]["traceback"]))
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        ws.close()
        api.delete(f"{prefix}api/kernels/{kernel}", timeout=30)
    return "".join(out)


def processes_of(names: list[str]) -> list[psutil.Process]:
    import pwd

    uids = set()
    for name in names:
        with contextlib.suppress(KeyError):
            uids.add(pwd.getpwnam(name).pw_uid)
    return [p for p in psutil.process_iter(["uids"]) if p.info["uids"].real in uids]
