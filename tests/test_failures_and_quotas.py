"""The two errors newcomers meet first: an app that ends Failed with a FailureReason, and
ResourceLimitExceeded when an instance type's quota is used up."""

from __future__ import annotations

import hashlib
import json
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


def _docker_push(ecr: Any, repository: str, tag: str, user: str | None) -> str:
    """Push as ``docker push`` does: the image's config as a blob (in two parts), then a
    manifest naming it. ``user`` None pushes a manifest whose config was never uploaded."""
    try:
        uri = ecr.create_repository(repositoryName=repository)["repository"]["repositoryUri"]
    except ecr.exceptions.RepositoryAlreadyExistsException:
        uri = ecr.describe_repositories(repositoryNames=[repository])["repositories"][0][
            "repositoryUri"
        ]
    config = json.dumps(
        {"os": "linux", "architecture": "amd64", "config": {"User": user or "", "Env": [tag]}}
    ).encode()
    digest = "sha256:" + hashlib.sha256(config).hexdigest()
    if user is not None:
        upload = ecr.initiate_layer_upload(repositoryName=repository)["uploadId"]
        half = len(config) // 2
        for first, part in ((0, config[:half]), (half, config[half:])):
            ecr.upload_layer_part(
                repositoryName=repository,
                uploadId=upload,
                partFirstByte=first,
                partLastByte=first + len(part) - 1,
                layerPartBlob=part,
            )
        done = ecr.complete_layer_upload(
            repositoryName=repository, uploadId=upload, layerDigests=[digest]
        )
        assert done["layerDigest"] == digest
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": len(config),
            "digest": digest,
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 1000,
                "digest": "sha256:" + hashlib.sha256(tag.encode()).hexdigest(),
            }
        ],
    }
    ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=json.dumps(manifest))
    return f"{uri}:{tag}"


@pytest.mark.parametrize(
    ("image_user", "config_ids", "starts"),
    [
        ("", None, False),  # Docker's default user is root, 0:0; the config's default 1000/100
        ("root", None, False),
        ("1000:100", None, True),
        ("1001:100", None, False),
        ("1000:1000", None, False),
        ("1000", None, True),  # no gid written: it comes from the image's /etc/passwd
        ("sagemaker-user", None, True),  # a name: the mock cannot look it up, so lets it by
        ("0:0", (0, 0), True),  # the config may say what the image does
        ("1000:100", (0, 0), False),
        (None, None, True),  # a manifest alone: the mock never saw the image's config
    ],
)
def test_an_image_whose_user_is_not_the_app_image_configs_fails_at_start(
    studio, sm, domain_id, make_space, image_user, config_ids, starts
):
    ecr = studio.client("ecr")
    good = _docker_push(ecr, "team-image", "good", "1000:100")
    tried = _docker_push(ecr, "team-image", "tried", image_user)
    sm.create_image(ImageName="team-image", RoleArn=ROLE)
    for token, base in (("t1", good), ("t2", tried)):
        sm.create_image_version(ImageName="team-image", BaseImage=base, ClientToken=token)
    system = (
        {} if config_ids is None else {"DefaultUid": config_ids[0], "DefaultGid": config_ids[1]}
    )
    sm.create_app_image_config(
        AppImageConfigName="cfg", JupyterLabAppImageConfig={"FileSystemConfig": system}
    )
    custom = {"CustomImages": [{"ImageName": "team-image", "AppImageConfigName": "cfg"}]}
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={"ExecutionRole": ROLE, "JupyterLabAppSettings": custom},
    )
    make_space("lab", owner="ana")
    image_arn = sm.describe_image(ImageName="team-image")["ImageArn"]
    version = sm.describe_image_version(ImageName="team-image", Version=2)["ImageVersionArn"]
    spec = {"SageMakerImageArn": image_arn, "SageMakerImageVersionArn": version}
    sm.create_app(**app(domain_id, "lab"), ResourceSpec=spec)
    described = sm.describe_app(**app(domain_id, "lab"))
    if starts:
        assert described["Status"] == "InService", described.get("FailureReason")
        return
    assert described["Status"] == "Failed"
    pinned = sm.describe_image_version(ImageName="team-image", Version=2)["ContainerImage"]
    assert described["FailureReason"] == (
        f"SageMaker is unable to launch the app using the image [{pinned}]. Ensure that the "
        "UID/GID provided in the AppImageConfig matches the default UID/GID defined in the image."
    )
    # version 1, the same repository, pushed with 1000:100: each version has its own user
    sm.delete_app(**app(domain_id, "lab"))
    first = sm.describe_image_version(ImageName="team-image", Version=1)["ImageVersionArn"]
    sm.create_app(
        **app(domain_id, "lab"),
        ResourceSpec={"SageMakerImageArn": image_arn, "SageMakerImageVersionArn": first},
    )
    expected = "InService" if config_ids in (None, (1000, 100)) else "Failed"
    assert sm.describe_app(**app(domain_id, "lab"))["Status"] == expected
