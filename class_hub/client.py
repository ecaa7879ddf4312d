"""A small client for a running class hub: sign in as a roster user, start their server,
run code in one of their kernels. The tests and the start-up benchmark use it."""

from __future__ import annotations

import csv
import json
import time
import uuid

import requests
import websocket

from .state import State


def issued_passwords(state: State) -> dict[str, str]:
    """The passwords the set-up issued (hub/credentials.csv, readable by root only)."""
    with state.credentials.open() as f:
        return {row["username"]: row["password"] for row in csv.DictReader(f)}


def sign_in(url: str, user: str, password: str) -> requests.Session:
    """Sign in with the password as a browser would, then carry an API token of the
    user's own (with the user's own permissions, nothing more)."""
    s = requests.Session()
    s.get(f"{url}/hub/login", timeout=10)
    form = {"username": user, "password": password, "_xsrf": s.cookies.get("_xsrf")}
    r = s.post(f"{url}/hub/login", data=form, allow_redirects=False, timeout=30)
    if r.status_code != 302:
        raise PermissionError(f"{user} could not sign in: {r.status_code}")
    r = s.post(
        f"{url}/hub/api/users/{user}/tokens",
        json={"note": "class_hub.client"},
        headers={"X-XSRFToken": s.cookies.get("_xsrf")},
        timeout=30,
    )
    r.raise_for_status()
    api = requests.Session()
    api.token = r.json()["token"]
    api.headers["Authorization"] = f"token {api.token}"
    return api


def start_server(url: str, api: requests.Session, user: str, name: str = "", timeout=120) -> str:
    """Start the user's server (or their named one) and wait until it answers; return
    its URL prefix."""
    path = f"{user}/servers/{name}" if name else f"{user}/server"
    r = api.post(f"{url}/hub/api/users/{path}", timeout=60)
    if r.status_code not in (201, 202, 400):  # 400: already running
        raise RuntimeError(f"cannot start {path}: {r.status_code} {r.text[:300]}")
    prefix = f"{url}/user/{user}/{name + '/' if name else ''}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = api.get(f"{prefix}api/status", timeout=10)
        if r.status_code == 200 and "json" in r.headers.get("content-type", ""):
            return prefix
        time.sleep(0.25)
    raise TimeoutError(f"{user}'s server did not start: {r.status_code} {r.text[:300]}")


def run_code(
    api: requests.Session, prefix: str, code: str, timeout: float = 60, kernel: str = ""
) -> str:
    """Run ``code`` in a kernel of the server at ``prefix`` (a new one, removed after, or
    the running ``kernel`` given); return its stdout."""
    new = not kernel
    if new:
        kernel = api.post(f"{prefix}api/kernels", json={"name": "python3"}, timeout=30).json()["id"]
    ws = websocket.create_connection(
        prefix.replace("http://", "ws://") + f"api/kernels/{kernel}/channels",
        header=[f"Authorization: token {api.token}"],
        timeout=timeout,
    )
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "version": "5.3"}
    header.update(username="class_hub", session=uuid.uuid4().hex)
    content = {"code": code, "silent": False, "stop_on_error": True}
    message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
    ws.send(json.dumps({**message, "channel": "shell"}))
    out, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise RuntimeError("\n".join(msg["content"]["traceback"]))
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        ws.close()
        if new:
            api.delete(f"{prefix}api/kernels/{kernel}", timeout=30)
    return "".join(out)
