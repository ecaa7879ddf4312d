"""Set up and start the class hub: accounts, folders, released labs, then JupyterHub."""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import accounts, instructor
from .roster import Roster, load
from .state import State, issue_passwords

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
COURSE_PACKAGES = ("studio_mock", "shared_space", "class_hub")


class HubError(RuntimeError):
    pass


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def check_machine() -> str:
    """The hub switches to learners' accounts: it needs root, bwrap and the proxy."""
    if os.geteuid() != 0:
        raise HubError(
            "The class hub runs each learner's server as that learner's own system account, "
            "which only root can do. Run it with sudo (sudo make hub). As a non-root user, "
            "use `make lab` (your own JupyterLab) or `make shared-space` instead."
        )
    proxy = shutil.which("configurable-http-proxy")
    if not proxy:
        raise HubError("configurable-http-proxy is missing: run `make hub-setup` (npm)")
    for tool in ("bwrap", "setpriv", "git", "useradd"):
        if not shutil.which(tool):
            raise HubError(f"{tool} is missing: run `make hub-setup`")
    return proxy


def prepare(roster: Roster, state: State, group: str) -> dict[str, str]:
    """Accounts, homes, exchange, learner configuration; returns newly issued passwords."""
    accounts.check_names(list(roster.accounts()), group)
    state.create()
    accounts.ensure_group(group)
    for name, role in roster.accounts().items():
        home = state.team_home(name.removeprefix("team-")) if role == "team" else state.home(name)
        accounts.ensure_account(name, home, group, f"course hub {role}")
    write_learner_config(state)
    return issue_passwords(state, roster.learners + roster.instructors)


def write_learner_config(state: State) -> None:
    course = instructor.course_id()
    (state.etc / "nbgrader_config.py").write_text(
        "import os\n\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course!r}\n"
        f"c.Exchange.root = {str(state.exchange)!r}\n"
        "# the Assignments panel fetches into and submits from ~/labs, the folder the\n"
        "# book's links pull the labs into (absolute: nbgrader changes folder before using it)\n"
        "c.Exchange.assignment_dir = os.path.join(os.path.expanduser('~'), 'labs')\n"
    )
    server = {
        "ServerApp": {
            "jpserver_extensions": {
                "nbgrader.server_extensions.formgrader": False,
                "nbgrader.server_extensions.course_list": False,
            }
        },
        "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"},
    }
    (state.etc / "jupyter_server_config.json").write_text(json.dumps(server, indent=1))
    (state.etc / "labconfig").mkdir(exist_ok=True)
    hidden = ["formgrader", "course-list", "create-assignment"]
    page = {"disabledExtensions": {f"@jupyter/nbgrader:{p}": True for p in hidden}}
    (state.etc / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1))
    for path in [state.etc, *state.etc.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


@dataclass
class Hub:
    state: State
    roster: Roster
    port: int
    process: subprocess.Popen
    passwords: dict[str, str] = field(default_factory=dict)
    group: str = accounts.DEFAULT_GROUP

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the hub stops the servers and proxy
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> Hub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(
    roster_path: Path,
    state: State,
    port: int = 0,
    idle_timeout: int = 3600,
    cull_every: int = 300,
    group: str = accounts.DEFAULT_GROUP,
    release: bool = True,
    timeout: float = 90,
) -> Hub:
    roster = load(roster_path)  # a bad roster is reported first, whoever runs this
    proxy = check_machine()
    passwords = prepare(roster, state, group)
    if release:
        instructor.release(state)
    port = port or free_port()
    settings = {
        "port": port,
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "service_port": free_port(),
        "proxy": proxy,
        "python": sys.executable,
        "state": str(state.root),
        "hub_dir": str(state.hub),
        "etc": str(state.etc),
        "exchange": str(state.exchange),
        "labs_repo": str(state.labs_repo),
        "labs_url": f"http://{HOST}:{port}/services/course/labs",
        "passwords": str(state.passwords),
        "learners": roster.learners,
        "instructors": roster.instructors,
        "teams": roster.teams,
        "read_only": _read_only_paths(state),
        "sharing_token": secrets.token_hex(24),
        "idle_timeout": idle_timeout,
        "cull_every": cull_every,
        "course_title": "SageMaker Studio and JupyterLab Spaces: the class hub",
    }
    fd = os.open(state.settings, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(settings, out, indent=1)
    log = (state.hub / "hub.log").open("a")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterhub",
            "-f",
            str(Path(__file__).with_name("jupyterhub_config.py")),
        ],
        cwd=state.hub,
        env={**os.environ, "CLASS_HUB_SETTINGS": str(state.settings)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    hub = Hub(state, roster, port, process, passwords, group)
    atexit.register(hub.stop)
    _wait_until_ready(hub, timeout)
    return hub


def _read_only_paths(state: State) -> list[str]:
    venv = Path(sys.prefix)
    paths = [venv, Path(sys.base_prefix).resolve(), state.etc]
    paths += [REPO / name for name in COURSE_PACKAGES]
    return [str(p) for p in paths]


def _wait_until_ready(hub: Hub, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise HubError(f"JupyterHub exited early:\n{_log_tail(hub)}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    hub.stop()
    raise HubError(f"JupyterHub did not start within {timeout:g} s:\n{_log_tail(hub)}")


def _log_tail(hub: Hub) -> str:
    return (hub.state.hub / "hub.log").read_text()[-4000:]
