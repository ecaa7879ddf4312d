"""JupyterHub's configuration for the class hub (``jupyterhub -f`` this file).

Values that change per hub (ports, paths, roster, timeouts) come from the settings file
that ``python -m class_hub start`` writes; its path is in ``CLASS_HUB_SETTINGS``.
"""

import json
import os

c = get_config()  # noqa: F821 - provided by traitlets when JupyterHub loads this file

with open(os.environ["CLASS_HUB_SETTINGS"]) as settings:
    S = json.load(settings)
HOST = "127.0.0.1"  # the hub, its proxy, its services and every server: loopback only

# ---- the hub and its proxy ----
c.JupyterHub.ip = HOST
c.JupyterHub.port = S["port"]
c.JupyterHub.hub_ip = HOST
c.JupyterHub.hub_port = S["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://{HOST}:{S['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [S["proxy"]]
c.ConfigurableHTTPProxy.pid_file = os.path.join(S["hub_dir"], "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(S["hub_dir"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(S["hub_dir"], "cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every server
c.JupyterHub.template_vars = {"announcement_login": S["course_title"]}

# ---- who may sign in: the roster, nobody else ----
c.JupyterHub.authenticator_class = "class_hub.auth.RosterAuthenticator"
c.RosterAuthenticator.passwords_file = S["passwords"]
c.Authenticator.allowed_users = set(S["learners"] + S["instructors"])
c.Authenticator.admin_users = set(S["instructors"])
c.JupyterHub.load_groups = {team: {"users": members} for team, members in S["teams"].items()}

# ---- each user's server ----
c.JupyterHub.spawner_class = "class_hub.spawner.CourseSpawner"
c.Spawner.ip = HOST
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.CourseSpawner.server_cmd = [S["python"], "-m", "class_hub.singleuser"]
c.CourseSpawner.state_dir = S["state"]
c.CourseSpawner.teams = S["teams"]
c.CourseSpawner.read_only = S["read_only"]
c.CourseSpawner.writable = [S["exchange"]]
c.CourseSpawner.sharing_token = S["sharing_token"]
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": S["etc"],  # nbgrader's exchange, extensions learners do not need
    "CLASS_HUB_LABS_URL": S["labs_url"],
    "NBGITPULLER_DEPTH": "0",  # full clones: git's dumb HTTP protocol cannot make shallow ones
    "PYTHONNOUSERSITE": "1",
}
c.JupyterHub.allow_named_servers = True  # only one name is accepted: "team"
c.JupyterHub.named_server_limit_per_user = 1

# ---- services: the labs repository, team sharing, the idle culler ----
c.JupyterHub.services = [
    {
        "name": "course",
        "url": f"http://{HOST}:{S['service_port']}",
        "command": [S["python"], "-m", "class_hub.labs_service", S["labs_repo"]],
    },
    {"name": "team-sharing", "api_token": S["sharing_token"]},
    {
        "name": "idle-culler",
        "command": [
            S["python"],
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={S['idle_timeout']}",
            f"--cull-every={S['cull_every']}",
        ],
    },
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
    {
        "name": "team-sharing",
        "scopes": ["shares", "read:users:name"],
        "services": ["team-sharing"],
    },
]
