"""Mock-only controls that AWS has no API for: the clock, the cost meter, quotas, activity,
who opened which space, and the files on a space's EBS volume.

Each function works in this process (inside ``mock_studio``) or, given ``endpoint_url``
or with ``AWS_ENDPOINT_URL`` set, against a ``python -m studio_mock serve`` server.
"""

from __future__ import annotations

import datetime as dt

from . import remote, simulation
from .cost import CostReport
from .simulation import RECENT


def advance_clock(
    *, hours: float = 0, minutes: float = 0, seconds: float = 0, endpoint_url: str | None = None
) -> dt.datetime:
    """Move the simulated clock forward: statuses settle, idle apps stop and charges
    accrue for the time that passed."""
    if url := remote.server_url(endpoint_url):
        moved = {"hours": hours, "minutes": minutes, "seconds": seconds}
        return dt.datetime.fromisoformat(remote.call(url, "clock/advance", moved)["now"])
    return simulation.advance_clock(hours=hours, minutes=minutes, seconds=seconds)


def sleep(seconds: float, endpoint_url: str | None = None) -> None:
    """``time.sleep`` for the simulated clock: let ``seconds`` pass, without waiting."""
    advance_clock(seconds=seconds, endpoint_url=endpoint_url)


def cost_report(endpoint_url: str | None = None) -> CostReport:
    if url := remote.server_url(endpoint_url):
        return CostReport.from_dict(remote.call(url, "cost"))
    return simulation.cost_report()


def set_timing(mode: str, endpoint_url: str | None = None) -> str:
    """``"realistic"``: statuses take minutes of simulated time, as on AWS (labs, book);
    ``"instant"``: they settle at once (tests)."""
    if url := remote.server_url(endpoint_url):
        return str(remote.call(url, "timing", {"mode": mode})["mode"])
    return simulation.set_timing(mode)


def set_quota(
    instance_type: str,
    limit: int,
    app_type: str = "JupyterLab",
    region: str | None = None,
    endpoint_url: str | None = None,
) -> None:
    """Set the account's quota of running ``app_type`` apps on ``instance_type`` (AWS's
    Service Quotas: "Studio JupyterLab Apps running on ml.g4dn.xlarge instances"). With a
    quota of 0, CreateApp answers ResourceLimitExceeded. Quotas are unlimited until set."""
    if url := remote.server_url(endpoint_url):
        quota = {"instance_type": instance_type, "limit": limit, "app_type": app_type}
        remote.call(url, "quota", {**quota, "region": region})
        return
    simulation.set_quota(instance_type, limit, app_type, region)


def record_activity(
    domain_id: str, space_name: str, kind: str = "kernel", endpoint_url: str | None = None
) -> dt.datetime:
    """Record that someone used the space's running app just now, which restarts its idle
    countdown. JupyterLab records ``kernel`` or ``terminal`` activity; Code Editor
    ``file``, ``terminal`` or ``process``."""
    if url := remote.server_url(endpoint_url):
        where = {"domain_id": domain_id, "space_name": space_name, "kind": kind}
        return dt.datetime.fromisoformat(remote.call(url, "activity", where)["at"])
    return simulation.record_activity(domain_id, space_name, kind)


def recent_openers(
    domain_id: str,
    space_name: str,
    within: dt.timedelta = RECENT,
    endpoint_url: str | None = None,
) -> list[str]:
    """User profiles active in a space: they opened it (CreatePresignedDomainUrl) within
    ``within`` and since its app last started; most recent first, each once."""
    if url := remote.server_url(endpoint_url):
        where = {
            "domain_id": domain_id,
            "space_name": space_name,
            "within_seconds": within.total_seconds(),
        }
        return list(remote.call(url, "openers", where))
    return simulation.recent_openers(domain_id, space_name, within)


def write_file(
    domain_id: str, space_name: str, path: str, text: str, endpoint_url: str | None = None
) -> None:
    """Save a file on a space's EBS volume, as a notebook in the running app would."""
    if url := remote.server_url(endpoint_url):
        file = {"domain_id": domain_id, "space_name": space_name, "path": path, "text": text}
        remote.call(url, "files/write", file)
        return
    simulation.write_file(domain_id, space_name, path, text)


def write_home_efs_file(
    domain_id: str,
    user_profile_name: str,
    path: str,
    text: str,
    size_bytes: int | None = None,
    endpoint_url: str | None = None,
) -> None:
    """Save a file in a user's folder on the domain's home EFS, where Studio Classic kept
    their work. ``size_bytes`` lets a short text stand for a large file (for the bill)."""
    if url := remote.server_url(endpoint_url):
        file = {
            "domain_id": domain_id,
            "user_profile_name": user_profile_name,
            "path": path,
            "text": text,
            "size_bytes": size_bytes,
        }
        remote.call(url, "efs/write", file)
        return
    simulation.write_home_efs_file(domain_id, user_profile_name, path, text, size_bytes)


def list_files(domain_id: str, space_name: str, endpoint_url: str | None = None) -> dict[str, str]:
    """The files on a space's EBS volume (readable whether or not its app runs), and, while
    its app runs with the owner's home EFS folder auto-mounted, that folder's files
    under ``user-default-efs/``."""
    if url := remote.server_url(endpoint_url):
        return dict(
            remote.call(url, "files/list", {"domain_id": domain_id, "space_name": space_name})
        )
    return simulation.list_files(domain_id, space_name)
