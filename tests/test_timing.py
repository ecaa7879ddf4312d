"""Statuses move on the simulated clock: in realistic mode code must wait where code for
AWS must, and botocore's waiters and ``wait_for_status`` do the waiting without sleeping
for real; in instant mode everything settles at once."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from conftest import ROLE, error_of

from studio_mock import (
    StatusFailed,
    WaitTimeout,
    cost_report,
    mock_studio,
    set_timing,
    simulated_waiters,
    wait_for_status,
)
from studio_mock.timing import REALISTIC, timing

MANIFEST = (
    '{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}'
)


def app_key(domain_id: str, space: str = "lab") -> dict[str, Any]:
    return {
        "DomainId": domain_id,
        "SpaceName": space,
        "AppType": "JupyterLab",
        "AppName": "default",
    }


def wait(studio: Any, describe: Any, until: Any, **key: Any) -> str:
    return wait_for_status(describe, until, sleep=studio.sleep, **key)


def test_a_new_app_is_pending_for_two_simulated_minutes(realistic, sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**app_key(domain_id))
    seen = {sm.describe_app(**app_key(domain_id))["Status"] for _ in range(5)}
    assert seen == {"Pending"}, "describing must not move a status"
    realistic.advance(seconds=119)
    assert sm.describe_app(**app_key(domain_id))["Status"] == "Pending"
    realistic.advance(seconds=1)
    assert sm.describe_app(**app_key(domain_id))["Status"] == "InService"
    assert REALISTIC[("app", "Pending")].total_seconds() == 120


def test_restarting_at_once_fails_as_on_aws_and_waiting_fixes_it(
    realistic, sm, domain_id, make_space
):
    make_space("lab", owner="ana")
    key = app_key(domain_id)
    sm.create_app(**key)
    wait(realistic, sm.describe_app, "InService", **key)
    sm.delete_app(**key)
    assert sm.describe_app(**key)["Status"] == "Deleting"
    with pytest.raises(ClientError) as busy:
        sm.create_app(**key, ResourceSpec={"InstanceType": "ml.m5.large"})
    assert error_of(busy)[0] == "ResourceInUse"
    with pytest.raises(ClientError) as busy:
        sm.delete_space(DomainId=domain_id, SpaceName="lab")
    assert error_of(busy)[0] == "ResourceInUse"
    assert wait(realistic, sm.describe_app, "Deleted", **key) == "Deleted"
    sm.create_app(**key, ResourceSpec={"InstanceType": "ml.m5.large"})
    assert wait(realistic, sm.describe_app, "InService", **key) == "InService"


def test_a_deleted_space_is_gone_only_after_deleting(realistic, sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.delete_space(DomainId=domain_id, SpaceName="lab")
    assert sm.describe_space(DomainId=domain_id, SpaceName="lab")["Status"] == "Deleting"
    gone = wait(
        realistic, sm.describe_space, "ResourceNotFound", DomainId=domain_id, SpaceName="lab"
    )
    assert gone == "ResourceNotFound"
    assert sm.list_spaces(DomainIdEquals=domain_id)["Spaces"] == []


def test_domains_and_profiles_take_time_too(realistic, sm):
    domain = sm.create_domain(
        DomainName="slow", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    assert sm.describe_domain(DomainId=domain)["Status"] == "Pending"
    assert wait(realistic, sm.describe_domain, "InService", DomainId=domain) == "InService"
    sm.create_user_profile(DomainId=domain, UserProfileName="ana")
    sm.update_user_profile(DomainId=domain, UserProfileName="ana", UserSettings={})
    assert sm.describe_user_profile(DomainId=domain, UserProfileName="ana")["Status"] == "Updating"
    realistic.advance(minutes=1)
    assert sm.describe_user_profile(DomainId=domain, UserProfileName="ana")["Status"] == "InService"


def test_botocore_image_waiters_work_on_the_simulated_clock(realistic, sm):
    ecr = realistic.client("ecr")
    uri = ecr.create_repository(repositoryName="img")["repository"]["repositoryUri"]
    ecr.put_image(repositoryName="img", imageTag="v1", imageManifest=MANIFEST)
    sm.create_image(ImageName="img", RoleArn=ROLE)
    assert sm.describe_image(ImageName="img")["ImageStatus"] == "CREATING"
    started = time.monotonic()
    with simulated_waiters(realistic.endpoint_url):
        sm.get_waiter("image_created").wait(ImageName="img")
        sm.create_image_version(ImageName="img", BaseImage=f"{uri}:v1", ClientToken="t1")
        sm.get_waiter("image_version_created").wait(ImageName="img", Version=1)
        sm.delete_image(ImageName="img")
        sm.get_waiter("image_deleted").wait(ImageName="img")
    assert time.monotonic() - started < 30, "the waiters slept for real"
    with pytest.raises(ClientError) as gone:
        sm.describe_image(ImageName="img")
    assert error_of(gone)[0] == "ResourceNotFound"


def test_mock_studio_is_realistic_by_default_and_patches_waiters_only_inside():
    import botocore.waiter

    real = botocore.waiter.time
    with mock_studio():
        assert timing.mode == "realistic"
        assert botocore.waiter.time is not real
        sm = boto3.client("sagemaker")
        domain = sm.create_domain(
            DomainName="x", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        )["DomainId"]
        assert sm.describe_domain(DomainId=domain)["Status"] == "Pending"
    assert botocore.waiter.time is real
    with mock_studio(timing="instant"):
        sm = boto3.client("sagemaker")
        domain = sm.create_domain(
            DomainName="x", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        )["DomainId"]
        assert sm.describe_domain(DomainId=domain)["Status"] == "InService"


def test_instant_mode_settles_everything_at_once(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**app_key(domain_id))
    assert sm.describe_app(**app_key(domain_id))["Status"] == "InService"
    sm.delete_app(**app_key(domain_id))
    assert sm.describe_app(**app_key(domain_id))["Status"] == "Deleted"
    sm.delete_space(DomainId=domain_id, SpaceName="lab")
    assert sm.list_spaces(DomainIdEquals=domain_id)["Spaces"] == []


def test_a_stopping_app_stops_billing_and_a_starting_one_bills(
    realistic, sm, domain_id, make_space
):
    make_space("lab", owner="ana")
    key = app_key(domain_id)
    sm.create_app(**key)
    realistic.advance(hours=1)  # two Pending minutes, then InService: all billed
    sm.delete_app(**key)
    realistic.advance(hours=5)
    report = cost_report(endpoint_url=realistic.endpoint_url)
    app = next(i for i in report.items if i.kind == "Studio app")
    assert app.accrued == pytest.approx(0.05 * 1.0)
    assert not app.billing


def test_wait_for_status_reports_failures_and_timeouts(realistic, sm, domain_id, make_space):
    make_space("lab", owner="ana")
    key = app_key(domain_id)
    sm.create_app(**key)
    with pytest.raises(WaitTimeout, match="Still Pending after 3 checks"):
        wait_for_status(
            sm.describe_app, "InService", delay=1, max_attempts=3, sleep=realistic.sleep, **key
        )
    calls: list[float] = []

    def failed(**_: Any) -> dict[str, Any]:
        return {"Status": "Failed", "FailureReason": "the script exited with 1"}

    with pytest.raises(StatusFailed, match="the script exited with 1"):
        wait_for_status(failed, "InService", sleep=calls.append)
    assert calls == []
    with pytest.raises(ClientError):  # an error that was not awaited is raised as it is
        wait_for_status(sm.describe_space, "InService", DomainId=domain_id, SpaceName="nowhere")


def test_timing_modes_are_checked(studio):
    with pytest.raises((ValueError, RuntimeError), match="timing must be one of"):
        set_timing("sometimes", endpoint_url=studio.endpoint_url)
