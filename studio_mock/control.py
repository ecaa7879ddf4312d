"""Mock-only controls that AWS has no API for: the clock, the cost meter, who opened
which space, and the files on a space's EBS volume.

Each function works in-process (inside ``mock_studio``) or, given ``endpoint_url`` or
with ``AWS_ENDPOINT_URL`` set, against a ``python -m studio_mock serve`` server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.error
import urllib.request
from typing import Any

from .clock import clock
from .cost import CostReport, meter
from .models import all_studio_backends

RECENT = dt.timedelta(hours=1)  # "recently opened", for the identity circles


def _remote(endpoint_url: str | None) -> str | None:
    return endpoint_url or os.environ.get("AWS_ENDPOINT_URL")


def _call(endpoint_url: str, route: str, payload: dict[str, Any] | None = None) -> Any:
    data = json.dumps(payload or {}).encode()
    request = urllib.request.Request(
        f"{endpoint_url.rstrip('/')}/_studio/{route}",
        data=data,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as err:
        detail = json.loads(err.read() or b"{}").get("error", err.reason)
        raise RuntimeError(f"studio_mock server at {endpoint_url}: {detail}") from err


def advance_clock(
    *, hours: float = 0, minutes: float = 0, seconds: float = 0, endpoint_url: str | None = None
) -> dt.datetime:
    """Move the simulated clock forward; charges accrue for the time that passed."""
    remote = _remote(endpoint_url)
    if remote:
        now = _call(
            remote, "clock/advance", {"hours": hours, "minutes": minutes, "seconds": seconds}
        )["now"]
        return dt.datetime.fromisoformat(now)
    return clock.advance(hours=hours, minutes=minutes, seconds=seconds)


def cost_report(endpoint_url: str | None = None) -> CostReport:
    remote = _remote(endpoint_url)
    if remote:
        return CostReport.from_dict(_call(remote, "cost"))
    return meter.report()


def recent_openers(
    domain_id: str,
    space_name: str,
    within: dt.timedelta = RECENT,
    endpoint_url: str | None = None,
) -> list[str]:
    """User profiles active in a space: they opened it (CreatePresignedDomainUrl) within
    ``within`` and since its app last started; most recent first, each once."""
    remote = _remote(endpoint_url)
    if remote:
        return _call(
            remote,
            "openers",
            {
                "domain_id": domain_id,
                "space_name": space_name,
                "within_seconds": within.total_seconds(),
            },
        )
    since = clock.now() - within
    names: list[str] = []
    for backend in all_studio_backends():
        space = backend.spaces.get((domain_id, space_name))
        app = backend.running_app(space) if space is not None else None
        if app is None:
            continue  # nobody is active in a space whose app is not running
        for session in reversed(backend.sessions):
            if (
                session.domain_id == domain_id
                and session.space_name == space_name
                and session.opened_at >= max(since, app.creation_time)
                and session.user_profile_name not in names
            ):
                names.append(session.user_profile_name)
    return names


def _space(domain_id: str, space_name: str) -> Any:
    for backend in all_studio_backends():
        if domain_id in backend.domains:
            return backend.get_space(domain_id, space_name), backend
    raise KeyError(f"Domain '{domain_id}' does not exist in the mock.")


def write_file(
    domain_id: str, space_name: str, path: str, text: str, endpoint_url: str | None = None
) -> None:
    """Save a file on a space's EBS volume, as a notebook in the running app would."""
    remote = _remote(endpoint_url)
    if remote:
        _call(
            remote,
            "files/write",
            {"domain_id": domain_id, "space_name": space_name, "path": path, "text": text},
        )
        return
    space, backend = _space(domain_id, space_name)
    if backend.running_app(space) is None:
        raise RuntimeError(
            f"Space '{space_name}' has no running app: start it (CreateApp) before saving files."
        )
    space.volume.files[path] = text.encode()


def list_files(domain_id: str, space_name: str, endpoint_url: str | None = None) -> dict[str, str]:
    """The files on a space's EBS volume (readable whether or not its app runs)."""
    remote = _remote(endpoint_url)
    if remote:
        return _call(remote, "files/list", {"domain_id": domain_id, "space_name": space_name})
    space, _ = _space(domain_id, space_name)
    return {path: data.decode() for path, data in sorted(space.volume.files.items())}


def reset_simulation() -> None:
    """Restart the clock, the cost meter and status progressions (moto resets the rest)."""
    from .mock import reset_progressions

    clock.reset()
    meter.reset()
    reset_progressions()


def handle(route: str, args: dict[str, Any], payload: dict[str, Any]) -> Any:
    """The server side of the functions above."""
    p = {**args, **payload}
    if route == "clock/advance":
        now = clock.advance(
            hours=float(p.get("hours", 0)),
            minutes=float(p.get("minutes", 0)),
            seconds=float(p.get("seconds", 0)),
        )
        return {"now": now.isoformat()}
    if route == "reset":
        reset_simulation()
        return {"ok": True}
    if route == "cost":
        return meter.report().as_dict()
    if route == "openers":
        within = dt.timedelta(seconds=float(p.get("within_seconds", RECENT.total_seconds())))
        return recent_openers(p["domain_id"], p["space_name"], within)
    if route == "files/write":
        write_file(p["domain_id"], p["space_name"], p["path"], p["text"])
        return {"ok": True}
    if route == "files/list":
        return list_files(p["domain_id"], p["space_name"])
    raise KeyError(f"Unknown route /_studio/{route}")
