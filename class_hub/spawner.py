"""Each user's JupyterLab server: the course's environment, in a sandbox, as their account.

- the default server ``/user/NAME/`` runs as the system account NAME in its home, with
  real-time collaboration off (a private space);
- the named server ``/user/NAME/team`` (learners in a team only) runs as the team's
  account ``team-TEAM`` in the team's folder, with collaboration on, and the hub shares it
  with the other members through JupyterHub's sharing API (a shared space). One per team:
  a second member is sent to the one already running.
"""

from __future__ import annotations

import json
import pwd
import signal
from pathlib import Path

from jupyterhub import orm
from jupyterhub.spawner import LocalProcessSpawner
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from traitlets import Dict, List, Unicode

from . import sandbox
from .roster import team_account

TEAM_SERVER = "team"


def _default_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


class CourseSpawner(LocalProcessSpawner):
    teams = Dict(config=True, help="team -> member usernames")
    state_dir = Unicode(config=True)
    read_only = List(Unicode(), config=True, help="paths the server may read")
    writable = List(Unicode(), config=True, help="paths the server may write besides its home")
    sharing_token = Unicode(config=True, help="token of the hub service that shares team servers")
    server_cmd = List(Unicode(), config=True, help="the server's command, run in the sandbox")

    # ---- whose server is this? ----

    @property
    def team(self) -> str:
        return next((t for t, members in self.teams.items() if self.user.name in members), "")

    @property
    def account(self) -> str:
        return team_account(self.team) if self.name else self.user.name

    @property
    def home(self) -> Path:
        if self.name:
            return Path(self.state_dir) / "teams" / self.team
        return Path(self.state_dir) / "home" / self.user.name

    def make_preexec_fn(self, name):  # type: ignore[override]
        # no change of user here: the sandbox switches (setpriv) after bwrap built the view.
        # The hub stops a server with SIGINT; a hub started in the background inherits
        # SIGINT ignored, and so would the sandbox: give it back its default.
        return _default_signals

    def user_env(self, env: dict) -> dict:  # type: ignore[override]
        env.update(USER=self.account, LOGNAME=self.account, HOME=str(self.home), SHELL="/bin/bash")
        return env

    def get_env(self) -> dict:
        env = super().get_env()
        if self.name:
            env["CLASS_HUB_TEAM"] = self.team
        return env

    # ---- start ----

    async def start(self):  # type: ignore[override]
        if self.name:
            await self._check_team_server()
        entry = pwd.getpwnam(self.account)
        self.home.mkdir(parents=True, exist_ok=True)
        if self.home.stat().st_uid != entry.pw_uid:
            raise web.HTTPError(500, f"{self.home} is not owned by {self.account}")
        self.cmd = sandbox.command(
            self.account,
            self.home,
            [Path(p) for p in self.read_only],
            [Path(p) for p in self.writable],
        ) + list(self.server_cmd)
        self.args = [a for a in self.args if "disable_rtc" not in a] + [
            f"--YDocExtension.disable_rtc={not self.name}"
        ]
        if self.name:
            await self._share_with_team()
        return await super().start()

    async def _check_team_server(self) -> None:
        if self.name != TEAM_SERVER:
            raise web.HTTPError(400, f"the only named server is '{TEAM_SERVER}', your team's")
        if not self.team:
            raise web.HTTPError(403, f"{self.user.name} is in no team: no team server")
        for other in self.user.db.query(orm.Spawner).filter(orm.Spawner.name == TEAM_SERVER):
            owner = other.user.name
            if owner != self.user.name and owner in self.teams[self.team] and other.server:
                raise web.HTTPError(
                    409, f"team {self.team}'s server is already running: open /user/{owner}/team/"
                )

    async def _share_with_team(self) -> None:
        """Grant each other team member access to this server, through the hub's REST API.

        One share per member rather than one for the team's group: a group share made
        while the hub runs is not seen by members whose groups the hub already loaded."""
        url = f"{self.hub.api_url.rstrip('/')}/shares/{self.user.name}/{self.name}"
        for member in self.teams[self.team]:
            if member == self.user.name:
                continue
            request = HTTPRequest(
                url,
                method="POST",
                headers={"Authorization": f"token {self.sharing_token}"},
                body=json.dumps({"user": member}),
            )
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
            if response.code != 200:
                raise web.HTTPError(500, f"could not share with {member}: {response.code}")
