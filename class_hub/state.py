"""Where the hub keeps things: one state folder, laid out by mode of access.

STATE/hub/        0700 root   hub database, cookie secret, password hashes, settings, logs
STATE/home/NAME   0700 NAME   a learner's or instructor's work folder (their $HOME)
STATE/teams/TEAM  0700 team-TEAM   a team's shared folder
STATE/exchange/   nbgrader's exchange (nbgrader sets its modes: inbound 2733, ...)
STATE/labs.git    0755 root   the released labs as a git repository, for nbgitpuller
STATE/etc/jupyter 0755 root   configuration every learner's server reads
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_STATE = Path("/var/lib/course-hub")


@dataclass(frozen=True)
class State:
    root: Path

    @property
    def hub(self) -> Path:
        return self.root / "hub"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def labs_repo(self) -> Path:
        return self.root / "labs.git"

    @property
    def etc(self) -> Path:
        return self.root / "etc" / "jupyter"

    @property
    def passwords(self) -> Path:
        return self.hub / "passwords.json"

    @property
    def credentials(self) -> Path:
        return self.hub / "credentials.csv"

    @property
    def settings(self) -> Path:
        return self.hub / "settings.json"

    def home(self, name: str) -> Path:
        return self.root / "home" / name

    def team_home(self, team: str) -> Path:
        return self.root / "teams" / team

    def create(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)
        for folder, mode in [
            (self.hub, 0o700),
            (self.root / "home", 0o755),
            (self.root / "teams", 0o755),
            (self.etc, 0o755),
        ]:
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, mode)


# ---- passwords issued from the roster: the hub stores only their scrypt hashes ----


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, salt, _ = stored.split("$")
    except ValueError:
        return False
    return kind == "scrypt" and hmac.compare_digest(
        hash_password(password, bytes.fromhex(salt)), stored
    )


def issue_passwords(state: State, usernames: list[str]) -> dict[str, str]:
    """Give every roster user without a password a new one; return only the new ones.

    Hashes go to ``hub/passwords.json``; new passwords are also appended, in clear, to
    ``hub/credentials.csv`` (mode 0600) for the instructor to hand out. Users who left the
    roster lose their password.
    """
    known = json.loads(state.passwords.read_text()) if state.passwords.exists() else {}
    issued = {name: secrets.token_urlsafe(12) for name in usernames if name not in known}
    kept = {name: known[name] for name in usernames if name in known}
    kept.update({name: hash_password(pw) for name, pw in issued.items()})
    _write_private(state.passwords, json.dumps(kept, indent=1))
    if issued:
        new = not state.credentials.exists()
        with state.credentials.open("a", newline="") as out:
            os.chmod(state.credentials, 0o600)
            writer = csv.writer(out)
            if new:
                writer.writerow(["username", "password"])
            writer.writerows(sorted(issued.items()))
    return issued


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
