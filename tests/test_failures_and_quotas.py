"""The two errors newcomers meet first: an app that ends Failed with a FailureReason, and
ResourceLimitExceeded when an instance type's quota is used up."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import ROLE, error_of

from studio_mock import StudioView, cost_report, set_quota

MANIFEST = (
    '{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}'
)
GPU = "ml.g4dn.xlarge"


def app(domain_id: str, space: str, app_type: str = "JupyterLab") -> dict[str, Any]:
    return {"DomainId": domain_id, "SpaceName": space, "AppType": app_type, "AppName": "default"}


def quota(studio: Any, instance_type: str, limit: int, app_type: str = "JupyterLab") -> None:
    set_quota(instance_type, limit, app_type, endpoint_url=studio.endpoint_url)


def test_a_zero_quota_refuses_the_instance_type_in_aws_words(studio, sm, domain_id, make_space):
    quota(studio, GPU, 0)
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as refused:
        sm.create_app(**app(domain_id, "lab"), ResourceSpec={"InstanceType": GPU})
    code, message = error_of(refused)
    assert code == "ResourceLimitExceeded"
    assert message == (
        "The account-level service limit 'Studio JupyterLab Apps running on ml.g4dn.xlarge "
        "instances' is 0 Apps, with current utilization of 0 Apps and a request delta of 1 Apps. "
        "Please use AWS Service Quotas to request an increase for this quota. If AWS Service "
        "Quotas is not available, contact AWS support to request an increase for this quota."
    )
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    sm.create_app(**app(domain_id, "lab"))  # the default ml.t3.medium has no quota set


def test_a_quota_counts_running_apps_of_its_app_type_and_instance_type(
    studio, sm, domain_id, make_space
):
    quota(studio, GPU, 1)
    for name in ("one", "two"):
        make_space(name, owner="ana")
    make_space("code", owner="ana", app_type="CodeEditor")
    gpu = {"ResourceSpec": {"InstanceType": GPU}}
    sm.create_app(**app(domain_id, "one"), **gpu)
    sm.create_app(**app(domain_id, "code", "CodeEditor"), **gpu)  # another app type's quota
    with pytest.raises(ClientError) as refused:
        sm.create_app(**app(domain_id, "two"), **gpu)
    assert "is 1 Apps, with current utilization of 1 Apps" in error_of(refused)[1]
    sm.delete_app(**app(domain_id, "one"))
    sm.create_app(**app(domain_id, "two"), **gpu)  # a stopped app frees the quota


def test_code_editor_quotas_are_named_for_code_editor(studio, sm, domain_id, make_space):
    quota(studio, GPU, 0, "CodeEditor")
    make_space("code", owner="ana", app_type="CodeEditor")
    with pytest.raises(ClientError) as refused:
        sm.create_app(**app(domain_id, "code", "CodeEditor"), ResourceSpec={"InstanceType": GPU})
    assert (
        "'Studio CodeEditor Apps running on ml.g4dn.xlarge instances' is 0" in error_of(refused)[1]
    )


def test_quotas_are_checked(studio):
    with pytest.raises((ValueError, RuntimeError), match="0 or more"):
        quota(studio, GPU, -1)


def test_an_image_gone_from_ecr_fails_the_app_at_start(studio, sm, domain_id, make_space):
    ecr = studio.client("ecr")
    uri = ecr.create_repository(repositoryName="team-image")["repository"]["repositoryUri"]
    ecr.put_image(repositoryName="team-image", imageTag="v1", imageManifest=MANIFEST)
    sm.create_image(ImageName="team-image", RoleArn=ROLE)
    version = sm.create_image_version(
        ImageName="team-image", BaseImage=f"{uri}:v1", ClientToken="t1"
    )
    sm.create_app_image_config(AppImageConfigName="cfg", JupyterLabAppImageConfig={})
    custom = {"CustomImages": [{"ImageName": "team-image", "AppImageConfigName": "cfg"}]}
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={"ExecutionRole": ROLE, "JupyterLabAppSettings": custom},
    )
    ecr.batch_delete_image(repositoryName="team-image", imageIds=[{"imageTag": "v1"}])
    make_space("lab", owner="ana")
    image_arn = version["ImageVersionArn"].replace(":image-version/", ":image/").rsplit("/", 1)[0]
    sm.create_app(**app(domain_id, "lab"), ResourceSpec={"SageMakerImageArn": image_arn})
    described = sm.describe_app(**app(domain_id, "lab"))
    assert described["Status"] == "Failed"
    assert "does not exist in Amazon ECR" in described["FailureReason"]
    assert f"{uri}@sha256:" in described["FailureReason"]
    # Studio shows it Failed; it does not bill; it is deleted like any other app
    card = next(
        c for c in StudioView(domain_id, client=sm, endpoint_url=studio.endpoint_url).spaces()
    )
    assert card.status == "Failed"
    studio.advance(hours=3)
    report = cost_report(endpoint_url=studio.endpoint_url)
    assert not [i for i in report.items if i.kind == "Studio app" and i.accrued]
    sm.delete_app(**app(domain_id, "lab"))
    assert sm.describe_app(**app(domain_id, "lab"))["Status"] == "Deleted"


def test_failure_reason_appears_only_for_failed_apps(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**app(domain_id, "lab"))
    assert "FailureReason" not in sm.describe_app(**app(domain_id, "lab"))
