"""Start and stop a local JupyterLab for named users, with or without collaboration."""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"  # never another interface
NOTEBOOK = "shared-notebook.ipynb"
TEMPLATE = Path(__file__).with_name(NOTEBOOK)


@dataclass
class LocalSpace:
    folder: Path
    collaborative: bool
    port: int
    tokens: dict[str, str]  # user -> token
    process: subprocess.Popen
    _config_dir: Path = field(repr=False, default=Path())

    def url(self, user: str, notebook: str = NOTEBOOK) -> str:
        return f"http://{HOST}:{self.port}/lab/tree/{notebook}?token={self.tokens[user]}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self._config_dir, ignore_errors=True)

    def __enter__(self) -> LocalSpace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start(
    folder: Path,
    users: tuple[str, ...] = ("ana", "ben"),
    collaborative: bool = True,
    port: int = 0,
    timeout: float = 90,
) -> LocalSpace:
    """Serve ``folder`` with JupyterLab on 127.0.0.1; each user gets a link of their own.

    The folder is created if needed and given the course's sample notebook unless it
    already has one of that name (nothing in it is overwritten).
    """
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / NOTEBOOK).exists():
        shutil.copy(TEMPLATE, folder / NOTEBOOK)
    port = port or free_port()
    tokens = {user: secrets.token_hex(16) for user in users}
    config_dir = Path(tempfile.mkdtemp(prefix="shared-space-"))
    config = {
        "ServerApp": {
            "ip": HOST,
            "port": port,
            "port_retries": 0,
            "open_browser": False,
            "root_dir": str(folder),
            "allow_root": True,  # CI and containers run as root
            "identity_provider_class": "shared_space.identity.NamedTokenIdentityProvider",
        },
        "IdentityProvider": {"token": secrets.token_hex(16)},  # no anonymous access at all
        "NamedTokenIdentityProvider": {"users": {t: u for u, t in tokens.items()}},
        # a private space: the same JupyterLab, with real-time collaboration off
        "YDocExtension": {"disable_rtc": not collaborative},
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
            "user_settings_dir": str(config_dir / "lab-settings"),
        },
    }
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(config))
    # no "get Jupyter news?" prompt: nothing here may reach the network
    news = config_dir / "lab-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parent.parent), os.environ.get("PYTHONPATH", "")]
        ),
    }
    log = (config_dir / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            f"--config={config_dir / 'jupyter_server_config.json'}",
        ],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    space = LocalSpace(folder, collaborative, port, tokens, process, config_dir)
    atexit.register(space.stop)
    _wait_until_ready(space, timeout, config_dir / "server.log")
    return space


def _wait_until_ready(space: LocalSpace, timeout: float, log: Path) -> None:
    token = next(iter(space.tokens.values()))
    url = f"http://{HOST}:{space.port}/api/status?token={token}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if space.process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    space.stop()
    raise RuntimeError(f"JupyterLab did not start within {timeout:g} s:\n{log.read_text()[-3000:]}")
