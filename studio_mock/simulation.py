"""The mock's own controls, in this process: the clock and its timing mode, the cost meter,
quotas, recorded activity, who opened which space, and the files on a space's volume.

AWS has no API for any of these. ``studio_mock.control`` offers them to learners, in
process or against a server; a server answers its ``/_studio/`` routes with the functions
here, and never with ``control``'s (which would call a server again).
"""

from __future__ import annotations

import datetime as dt
import os

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.exceptions import ServiceException

from .clock import clock
from .cost import CostReport, meter
from .exceptions import ResourceNotFound
from .models import all_studio_backends, aws_services, studio_backend
from .models.backend import StudioBackend
from .timing import timing

RECENT = dt.timedelta(hours=1)  # "recently opened", for the identity circles
HOME_EFS_MOUNT = "user-default-efs"  # where auto-mount puts the home EFS folder (DG)


def advance_clock(*, hours: float = 0, minutes: float = 0, seconds: float = 0) -> dt.datetime:
    return clock.advance(hours=hours, minutes=minutes, seconds=seconds)


def cost_report() -> CostReport:
    return meter.report()


def set_timing(mode: str) -> str:
    timing.set(mode)
    return timing.mode


def reset(mode: str | None = None) -> None:
    """Restart the clock and the cost meter; timing returns to ``mode`` or the default
    (moto resets everything else)."""
    clock.reset()
    meter.reset()
    timing.set(mode or timing.default)


def _region(region: str | None) -> str:
    return region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def set_quota(
    instance_type: str,
    limit: int,
    app_type: str = "JupyterLab",
    region: str | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> None:
    if limit < 0:
        raise ValueError("A quota is a number of apps: 0 or more.")
    studio_backend(account_id, _region(region)).quotas[(app_type, instance_type)] = int(limit)


def _backend_of(domain_id: str) -> StudioBackend:
    for backend in all_studio_backends():
        if domain_id in backend.domains:
            return backend
    raise ResourceNotFound(f"Domain '{domain_id}' does not exist in the mock.")


def record_activity(domain_id: str, space_name: str, kind: str = "kernel") -> dt.datetime:
    try:
        app = _backend_of(domain_id).record_activity(domain_id, space_name, kind)
    except ServiceException as err:  # a control, not an AWS call: a plain Python error
        raise RuntimeError(err.message) from err
    assert app.last_activity is not None
    return app.last_activity


def recent_openers(domain_id: str, space_name: str, within: dt.timedelta = RECENT) -> list[str]:
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
                and session.opened_at >= max(since, app.started_at)
                and session.user_profile_name not in names
            ):
                names.append(session.user_profile_name)
    return names


def write_file(domain_id: str, space_name: str, path: str, text: str) -> None:
    backend = _backend_of(domain_id)
    space = backend.get_space(domain_id, space_name)
    if backend.app_in_service(space) is None:
        raise RuntimeError(
            f"Space '{space_name}' has no app InService: start it (CreateApp) and wait until "
            "it is InService before saving files."
        )
    space.volume.files[path] = text.encode()


def list_files(domain_id: str, space_name: str) -> dict[str, str]:
    backend = _backend_of(domain_id)
    space = backend.get_space(domain_id, space_name)
    files = dict(space.volume.files)
    app = backend.app_in_service(space)
    if app is not None and app.home_efs_mount is not None:
        efs_id, uid = app.home_efs_mount
        folder = backend.home_efs_files.get(efs_id, {}).get(uid, {})
        files.update({f"{HOME_EFS_MOUNT}/{path}": data for path, data in folder.items()})
    return {path: data.decode() for path, data in sorted(files.items())}


def write_home_efs_file(
    domain_id: str, user_profile_name: str, path: str, text: str, size_bytes: int | None = None
) -> None:
    """Put a file in a user's folder on the domain's home EFS (their Studio Classic home).
    ``size_bytes`` stands for a larger file than ``text`` (a data set), for the bill."""
    backend = _backend_of(domain_id)
    domain = backend.get_domain(domain_id)
    profile = backend.get_user_profile(domain_id, user_profile_name)
    efs_id = domain.home_efs_file_system_id
    if not efs_id or not aws_services.efs_exists(backend.account_id, backend.region, efs_id):
        raise RuntimeError(f"Domain '{domain_id}' has no home EFS file system.")
    data = text.encode()
    folder = backend.home_efs_files.setdefault(efs_id, {}).setdefault(profile.home_efs_uid, {})
    before = len(folder.get(path, b""))
    folder[path] = data
    aws_services.add_efs_bytes(
        backend.account_id, backend.region, efs_id, (size_bytes or len(data)) - before
    )
