"""Idle shutdown: which level's settings apply, activity that keeps an app alive, the image
it needs, and the cost meter stopping at the very minute the app is shut down."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ROLE

from studio_mock import cost_report, record_activity

RATE = 0.05  # ml.t3.medium, $/h (studio_mock.prices)


def idle(app: str = "JupyterLab", **fields: Any) -> dict[str, Any]:
    return {f"{app}AppSettings": {"AppLifecycleManagement": {"IdleSettings": fields}}}


def enabled(minutes: int, app: str = "JupyterLab", **bounds: Any) -> dict[str, Any]:
    return idle(app, LifecycleManagement="ENABLED", IdleTimeoutInMinutes=minutes, **bounds)


def domain_defaults(sm: Any, domain_id: str, **settings: Any) -> None:
    sm.update_domain(DomainId=domain_id, DefaultUserSettings={"ExecutionRole": ROLE, **settings})


def start(
    sm: Any, domain_id: str, space: str = "lab", app: str = "JupyterLab", **spec: Any
) -> dict:
    key = {"DomainId": domain_id, "SpaceName": space, "AppType": app, "AppName": "default"}
    sm.create_app(**key, **({"ResourceSpec": spec} if spec else {}))
    return key


def status(sm: Any, key: dict[str, Any]) -> str:
    return sm.describe_app(**key)["Status"]


def accrued(studio: Any) -> float:
    report = cost_report(endpoint_url=studio.endpoint_url)
    return sum(i.accrued for i in report.items if i.kind == "Studio app")


def test_an_idle_app_is_stopped_at_the_timeout_and_billing_stops_then(
    studio, sm, domain_id, make_space
):
    domain_defaults(sm, domain_id, **enabled(60))
    make_space("lab", owner="ana")
    key = start(sm, domain_id)
    studio.advance(minutes=59)
    assert status(sm, key) == "InService"
    studio.advance(hours=5)  # one call: the meter still stops at the 60th minute
    assert status(sm, key) == "Deleted"
    assert accrued(studio) == pytest.approx(RATE * 1.0)


def test_recorded_activity_restarts_the_countdown(studio, sm, domain_id, make_space):
    domain_defaults(sm, domain_id, **enabled(60))
    make_space("lab", owner="ana")
    key = start(sm, domain_id)
    studio.advance(minutes=50)
    record_activity(domain_id, "lab", "kernel", endpoint_url=studio.endpoint_url)
    studio.advance(minutes=50)
    assert status(sm, key) == "InService"
    record_activity(domain_id, "lab", "terminal", endpoint_url=studio.endpoint_url)
    studio.advance(minutes=59)
    assert status(sm, key) == "InService"
    studio.advance(minutes=1)
    assert status(sm, key) in ("Deleting", "Deleted")


def test_user_profile_settings_override_the_domain(studio, sm, domain_id, make_space):
    domain_defaults(sm, domain_id, **enabled(240))
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana", UserSettings=enabled(60))
    make_space("lab", owner="ana")
    make_space("other", owner="ben")
    mine, bens = start(sm, domain_id), start(sm, domain_id, "other")
    studio.advance(minutes=61)
    assert (status(sm, mine), status(sm, bens)) == ("Deleted", "InService")
    studio.advance(minutes=180)
    assert status(sm, bens) == "Deleted"


def test_a_space_may_choose_its_timeout_within_the_bounds(studio, sm, domain_id, make_space):
    domain_defaults(
        sm, domain_id, **enabled(60, MinIdleTimeoutInMinutes=60, MaxIdleTimeoutInMinutes=240)
    )
    make_space("lab", owner="ana", **idle(IdleTimeoutInMinutes=180))
    key = start(sm, domain_id)
    studio.advance(minutes=179)
    assert status(sm, key) == "InService"
    studio.advance(minutes=1)
    assert status(sm, key) != "InService"


def test_disabled_idle_shutdown_never_stops_an_app(studio, sm, domain_id, make_space):
    domain_defaults(sm, domain_id, **idle(LifecycleManagement="DISABLED", IdleTimeoutInMinutes=60))
    make_space("lab", owner="ana")
    key = start(sm, domain_id)
    studio.advance(hours=24 * 30)
    assert status(sm, key) == "InService"
    assert accrued(studio) == pytest.approx(RATE * 24 * 30)


def test_shared_spaces_follow_default_space_settings_not_user_defaults(
    studio, sm, domain_id, make_space
):
    domain_defaults(sm, domain_id, **enabled(60))
    make_space("team", owner="ana", sharing="Shared")
    key = start(sm, domain_id, "team")
    studio.advance(hours=3)
    assert status(sm, key) == "InService", "DefaultUserSettings do not apply to shared spaces"
    sm.update_domain(
        DomainId=domain_id, DefaultSpaceSettings={"ExecutionRole": ROLE, **enabled(60)}
    )
    sm.delete_app(**key)
    start(sm, domain_id, "team")
    studio.advance(minutes=61)
    assert status(sm, key) == "Deleted"


@pytest.mark.parametrize(
    "spec,stops",
    [
        ({}, True),  # the latest SageMaker Distribution
        ({"SageMakerImageVersionAlias": "2.1.0"}, True),
        ({"SageMakerImageVersionAlias": "1.9.0"}, False),  # no activity monitor before 2.0
    ],
)
def test_idle_shutdown_needs_sagemaker_distribution_2(
    studio, sm, domain_id, make_space, spec, stops
):
    domain_defaults(sm, domain_id, **enabled(60))
    make_space("lab", owner="ana")
    key = start(sm, domain_id, **spec)
    studio.advance(hours=2)
    assert (status(sm, key) == "Deleted") is stops


def test_a_running_app_keeps_the_settings_it_started_with(studio, sm, domain_id, make_space):
    make_space("lab", owner="ana")
    key = start(sm, domain_id)
    domain_defaults(sm, domain_id, **enabled(60))
    studio.advance(hours=2)
    assert status(sm, key) == "InService", "a change reaches an app when it restarts"
    sm.delete_app(**key)
    start(sm, domain_id)
    studio.advance(minutes=61)
    assert status(sm, key) == "Deleted"


def test_code_editor_idles_on_its_own_kinds_of_activity(studio, sm, domain_id, make_space):
    domain_defaults(sm, domain_id, **enabled(60, app="CodeEditor"))
    make_space("code", owner="ana", app_type="CodeEditor")
    key = start(sm, domain_id, "code", "CodeEditor")
    studio.advance(minutes=45)
    record_activity(domain_id, "code", "file", endpoint_url=studio.endpoint_url)
    with pytest.raises(RuntimeError, match="not 'kernel'"):
        record_activity(domain_id, "code", "kernel", endpoint_url=studio.endpoint_url)
    studio.advance(minutes=59)
    assert status(sm, key) == "InService"


def test_activity_needs_an_app_in_service(studio, sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(RuntimeError, match="no app InService"):
        record_activity(domain_id, "lab", endpoint_url=studio.endpoint_url)
