"""Waiting for a status, as code for AWS must, on the simulated clock.

On AWS a new app is ``Pending`` for a minute or two, and the usual code polls Describe
with ``time.sleep`` between calls. ``wait_for_status`` is that loop with the sleep made a
parameter: here it lets simulated time pass (``studio_mock.sleep``) so nothing waits for
real; on AWS pass ``sleep=time.sleep`` and the same function works unchanged.

botocore's own waiters (images have them: ``ImageCreated``...) sleep through
``botocore.waiter.time.sleep``; ``simulated_waiters()`` points that at the simulated clock
for as long as the mock runs.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Callable, Iterator
from typing import Any

import botocore.waiter
from botocore.exceptions import ClientError

from .control import sleep as simulated_sleep

STATUS_MEMBERS = ("Status", "ImageStatus", "ImageVersionStatus")
FAILED = {
    "Failed",
    "Update_Failed",
    "Delete_Failed",
    "CREATE_FAILED",
    "UPDATE_FAILED",
    "DELETE_FAILED",
}


class WaitTimeout(Exception):
    """The status did not arrive within ``max_attempts`` polls."""


class StatusFailed(Exception):
    """The resource reached a failed status instead of the one awaited."""


def wait_for_status(
    describe: Callable[..., dict[str, Any]],
    until: str | tuple[str, ...],
    *,
    delay: float = 15,
    max_attempts: int = 60,
    sleep: Callable[[float], None] | None = None,
    **key: Any,
) -> str:
    """Call ``describe(**key)`` every ``delay`` seconds until its status is in ``until``.

    ``until`` may also name an error code, e.g. ``"ResourceNotFound"`` to wait until a
    deleted space is gone. A failed status (``Failed``, ``CREATE_FAILED``...) that was not
    awaited raises ``StatusFailed`` with the FailureReason. Returns the status reached.

        wait_for_status(sm.describe_app, "InService", DomainId=d, SpaceName="lab",
                        AppType="JupyterLab", AppName="default")
    """
    wanted = (until,) if isinstance(until, str) else tuple(until)
    pause = sleep or simulated_sleep
    status = "(none)"
    for attempt in range(max_attempts):
        try:
            described = describe(**key)
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code in wanted:
                return code
            raise
        status = next((described[m] for m in STATUS_MEMBERS if m in described), "(none)")
        if status in wanted:
            return status
        if status in FAILED:
            reason = described.get("FailureReason", "no FailureReason given")
            raise StatusFailed(f"{status} while waiting for {' or '.join(wanted)}: {reason}")
        if attempt + 1 < max_attempts:
            pause(delay)
    raise WaitTimeout(
        f"Still {status} after {max_attempts} checks {delay:g} s apart; waited for "
        f"{' or '.join(wanted)}."
    )


@contextlib.contextmanager
def simulated_waiters(endpoint_url: str | None = None) -> Iterator[None]:
    """Make botocore's waiters sleep on the simulated clock inside the block (that of the
    server at ``endpoint_url`` or ``AWS_ENDPOINT_URL``, if any). ``mock_studio`` does this
    for you; against a server, wrap the ``wait`` call in it."""
    real = botocore.waiter.time

    def sleep(seconds: float) -> None:
        simulated_sleep(seconds, endpoint_url=endpoint_url)

    botocore.waiter.time = types.SimpleNamespace(  # type: ignore[assignment]
        sleep=sleep, time=real.time, monotonic=real.monotonic
    )
    try:
        yield
    finally:
        botocore.waiter.time = real  # type: ignore[assignment]
