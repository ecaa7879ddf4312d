"""A local moto server with the Studio extension, for several notebooks or users at once.

Besides the AWS APIs, it answers a few mock-only routes under ``/_studio/`` so that the
simulated clock, cost meter, quotas and Studio view work against the server too. They
are answered by ``studio_mock.simulation``, in this process: never by the public
controls, which would call a server again if ``AWS_ENDPOINT_URL`` is set here.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from moto.core.exceptions import ServiceException
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from . import simulation
from .extension import install
from .mock import FAKE_CREDENTIALS
from .timing import timing

HOST = "127.0.0.1"  # never another interface: the mock has no authentication


def _advance(p: dict[str, Any]) -> dict[str, str]:
    moved = {unit: float(p.get(unit, 0)) for unit in ("hours", "minutes", "seconds")}
    return {"now": simulation.advance_clock(**moved).isoformat()}


def _reset(p: dict[str, Any]) -> dict[str, bool]:
    simulation.reset(p.get("timing"))
    return {"ok": True}


def _quota(p: dict[str, Any]) -> dict[str, bool]:
    app_type = p.get("app_type") or "JupyterLab"
    simulation.set_quota(p["instance_type"], int(p["limit"]), app_type, p.get("region"))
    return {"ok": True}


def _activity(p: dict[str, Any]) -> dict[str, str]:
    at = simulation.record_activity(p["domain_id"], p["space_name"], p.get("kind", "kernel"))
    return {"at": at.isoformat()}


def _openers(p: dict[str, Any]) -> list[str]:
    within = float(p.get("within_seconds", simulation.RECENT.total_seconds()))
    return simulation.recent_openers(p["domain_id"], p["space_name"], dt.timedelta(seconds=within))


def _write(p: dict[str, Any]) -> dict[str, bool]:
    simulation.write_file(p["domain_id"], p["space_name"], p["path"], p["text"])
    return {"ok": True}


def _write_efs(p: dict[str, Any]) -> dict[str, bool]:
    simulation.write_home_efs_file(
        p["domain_id"], p["user_profile_name"], p["path"], p["text"], p.get("size_bytes")
    )
    return {"ok": True}


# route -> handler of its JSON payload, answering something JSON can carry
ROUTES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "clock/advance": _advance,
    "reset": _reset,
    "timing": lambda p: {"mode": simulation.set_timing(p["mode"])},
    "cost": lambda p: simulation.cost_report().as_dict(),
    "quota": _quota,
    "activity": _activity,
    "openers": _openers,
    "files/write": _write,
    "efs/write": _write_efs,
    "files/list": lambda p: simulation.list_files(p["domain_id"], p["space_name"]),
}


def handle(route: str, payload: dict[str, Any]) -> Any:
    if route not in ROUTES:
        raise KeyError(f"Unknown route /_studio/{route}")
    return ROUTES[route](payload)


class _StudioRoutes:
    """WSGI middleware: ``/_studio/*`` for the mock's own controls, the rest to moto."""

    def __init__(self, moto_app: Any):
        self.moto_app = moto_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_studio/"):
            return self.moto_app(environ, start_response)
        request = Request(environ)
        try:
            payload = {**request.args, **(request.get_json(silent=True) or {})}
            body = handle(path.removeprefix("/_studio/"), payload)
            response = Response(json.dumps(body, default=str), mimetype="application/json")
        except (KeyError, ValueError, TypeError, RuntimeError, ServiceException) as err:
            response = Response(
                json.dumps({"error": str(err)}), status=400, mimetype="application/json"
            )
        return response(environ, start_response)


class StudioServer:
    """Start with ``start()``; ``endpoint_url`` is then set. ``port=0`` picks a free port."""

    def __init__(self, port: int = 5000, quiet: bool = True, timing_mode: str = "realistic"):
        self.port = port
        self.quiet = quiet
        self.timing_mode = timing_mode
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._replaced_timing: tuple[str, str] | None = None

    @property
    def endpoint_url(self) -> str:
        assert self._server is not None, "call start() first"
        return f"http://{HOST}:{self._server.server_port}"

    def start(self) -> StudioServer:
        install()
        # the timing is the process's: a server started in a process that already runs
        # mocks (a test session) gives it back as it found it when it stops
        self._replaced_timing = (timing.default, timing.mode)
        timing.set(self.timing_mode)
        timing.default = self.timing_mode  # what a reset returns to
        if self.quiet:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        app = _StudioRoutes(DomainDispatcherApplication(create_backend_app))
        try:
            self._server = make_server(
                HOST, self.port, app, True, request_handler=MotoRequestHandler
            )
        except SystemExit as err:  # werkzeug exits when the port is taken
            raise OSError(errno.EADDRINUSE, "the port is already in use") from err
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        if self._replaced_timing is not None:
            timing.default, timing.mode = self._replaced_timing
            self._replaced_timing = None

    def environment(self, region: str = "us-east-1") -> dict[str, str]:
        """The variables a client process needs to use this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            **FAKE_CREDENTIALS,
            "AWS_DEFAULT_REGION": region,
        }

    def __enter__(self) -> StudioServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
