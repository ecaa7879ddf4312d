"""studio_mock: the SageMaker Studio control plane on moto, for offline labs.

import boto3
from studio_mock import mock_studio

with mock_studio():
    sm = boto3.client("sagemaker")
    sm.create_domain(DomainName="course", AuthMode="IAM",
                     DefaultUserSettings={"ExecutionRole": "arn:aws:iam::123456789012:role/R"})
"""

from .access import access_key_for
from .clock import clock
from .control import (
    advance_clock,
    cost_report,
    list_files,
    recent_openers,
    record_activity,
    set_quota,
    set_timing,
    sleep,
    write_file,
    write_home_efs_file,
)
from .cost import CostReport, meter
from .extension import install
from .mock import mock_studio, user_session
from .view import SideBySide, StudioView
from .waiting import StatusFailed, WaitTimeout, simulated_waiters, wait_for_status

__all__ = [
    "CostReport",
    "SideBySide",
    "StatusFailed",
    "StudioServer",
    "StudioView",
    "WaitTimeout",
    "access_key_for",
    "advance_clock",
    "clock",
    "cost_report",
    "install",
    "list_files",
    "meter",
    "mock_studio",
    "recent_openers",
    "record_activity",
    "set_quota",
    "set_timing",
    "simulated_waiters",
    "sleep",
    "user_session",
    "wait_for_status",
    "write_file",
    "write_home_efs_file",
]


def __getattr__(name: str) -> object:
    # The server pulls in Flask; load it only for those who serve.
    if name == "StudioServer":
        from .server import StudioServer

        return StudioServer
    raise AttributeError(f"module 'studio_mock' has no attribute {name!r}")
