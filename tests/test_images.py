"""Custom images: ECR -> CreateImage -> CreateImageVersion -> AppImageConfig -> domain -> app."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import ROLE, error_of

MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1234,
            "digest": "sha256:" + "a" * 64,
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 5678,
                "digest": "sha256:" + "b" * 64,
            }
        ],
    }
)


def push(studio: Any, repository: str = "team-image", tag: str = "v1") -> str:
    """Create an ECR repository, put one image in it, return ``<repositoryUri>:<tag>``."""
    ecr = studio.client("ecr")
    try:
        uri = ecr.create_repository(repositoryName=repository)["repository"]["repositoryUri"]
    except ecr.exceptions.RepositoryAlreadyExistsException:
        uri = ecr.describe_repositories(repositoryNames=[repository])["repositories"][0][
            "repositoryUri"
        ]
    manifest = json.loads(MANIFEST)
    manifest["config"]["digest"] = "sha256:" + (tag.encode().hex() * 64)[:64]
    ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag)
    return f"{uri}:{tag}"


def image_with_version(studio: Any, sm: Any, name: str = "team-image") -> tuple[str, str]:
    """(ImageArn, ImageVersionArn) of a new image with one version."""
    base = push(studio, name)
    image_arn = sm.create_image(ImageName=name, RoleArn=ROLE)["ImageArn"]
    version_arn = sm.create_image_version(ImageName=name, BaseImage=base, ClientToken="token-1")[
        "ImageVersionArn"
    ]
    return image_arn, version_arn


def attach(sm: Any, domain_id: str, image: str = "team-image", config: str = "lab-config"):
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {
                "CustomImages": [{"ImageName": image, "AppImageConfigName": config}]
            },
        },
    )


# ------------------------------------------------------------------ images and versions
def test_create_image_returns_its_arn(sm):
    created = sm.create_image(ImageName="team-image", RoleArn=ROLE)
    assert set(created) - {"ResponseMetadata"} == {"ImageArn"}
    assert created["ImageArn"].endswith(":image/team-image")


def test_duplicate_image_is_resource_in_use(sm):
    sm.create_image(ImageName="team-image", RoleArn=ROLE)
    with pytest.raises(ClientError) as excinfo:
        sm.create_image(ImageName="team-image", RoleArn=ROLE)
    assert error_of(excinfo)[0] == "ResourceInUse"


def test_create_image_version_from_ecr_returns_version_one(studio, sm):
    image_arn, version_arn = image_with_version(studio, sm)
    assert version_arn.endswith(":image-version/team-image/1")
    assert version_arn.split(":")[:5] == image_arn.split(":")[:5]


def test_second_image_version_is_two(studio, sm):
    image_with_version(studio, sm)
    base = push(studio, "team-image", "v2")
    second = sm.create_image_version(ImageName="team-image", BaseImage=base, ClientToken="t-2")
    assert second["ImageVersionArn"].endswith(":image-version/team-image/2")


def test_base_image_not_in_ecr_is_refused(studio, sm):
    sm.create_image(ImageName="team-image", RoleArn=ROLE)
    base = push(studio, "team-image", "v1")
    missing_tag = base.rsplit(":", 1)[0] + ":does-not-exist"
    with pytest.raises(ClientError) as excinfo:
        sm.create_image_version(ImageName="team-image", BaseImage=missing_tag, ClientToken="t")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "does-not-exist" in message


def test_base_image_in_missing_ecr_repository_is_refused(studio, sm):
    sm.create_image(ImageName="team-image", RoleArn=ROLE)
    uri = push(studio, "team-image").replace("/team-image:", "/no-such-repo:")
    with pytest.raises(ClientError) as excinfo:
        sm.create_image_version(ImageName="team-image", BaseImage=uri, ClientToken="t")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "no-such-repo" in message


def test_create_image_version_of_missing_image_is_resource_not_found(studio, sm):
    base = push(studio)
    with pytest.raises(ClientError) as excinfo:
        sm.create_image_version(ImageName="nothing", BaseImage=base, ClientToken="t")
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_same_client_token_is_idempotent(studio, sm):
    _, first = image_with_version(studio, sm)
    base = sm.describe_image_version(ImageName="team-image")["BaseImage"]
    again = sm.create_image_version(ImageName="team-image", BaseImage=base, ClientToken="token-1")
    assert again["ImageVersionArn"] == first
    versions = sm.list_image_versions(ImageName="team-image")["ImageVersions"]
    assert [v["ImageVersionArn"] for v in versions] == [first]


def test_describe_image(studio, sm):
    image_arn, _ = image_with_version(studio, sm)
    described = sm.describe_image(ImageName="team-image")
    assert described["ImageArn"] == image_arn
    assert described["ImageName"] == "team-image"
    assert described["ImageStatus"] == "CREATED"
    assert described["RoleArn"] == ROLE


def test_describe_image_version_latest_by_version_and_by_alias(studio, sm):
    image_arn, first = image_with_version(studio, sm)
    base2 = push(studio, "team-image", "v2")
    second = sm.create_image_version(
        ImageName="team-image", BaseImage=base2, ClientToken="t-2", Aliases=["stable"]
    )["ImageVersionArn"]

    latest = sm.describe_image_version(ImageName="team-image")
    assert latest["ImageVersionArn"] == second
    assert latest["Version"] == 2
    assert latest["ImageArn"] == image_arn
    assert latest["BaseImage"] == base2
    assert latest["ImageVersionStatus"] == "CREATED"

    by_version = sm.describe_image_version(ImageName="team-image", Version=1)
    assert by_version["ImageVersionArn"] == first
    assert by_version["Version"] == 1

    by_alias = sm.describe_image_version(ImageName="team-image", Alias="stable")
    assert by_alias["ImageVersionArn"] == second


def test_describe_missing_image_version_is_resource_not_found(studio, sm):
    image_with_version(studio, sm)
    with pytest.raises(ClientError) as excinfo:
        sm.describe_image_version(ImageName="team-image", Version=7)
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_list_images_and_image_versions(studio, sm):
    image_arn, first = image_with_version(studio, sm)
    sm.create_image(ImageName="other-image", RoleArn=ROLE)
    base2 = push(studio, "team-image", "v2")
    sm.create_image_version(ImageName="team-image", BaseImage=base2, ClientToken="t-2")

    listed = sm.list_images()["Images"]
    assert sorted(i["ImageName"] for i in listed) == ["other-image", "team-image"]
    assert image_arn in {i["ImageArn"] for i in listed}
    named = sm.list_images(NameContains="team")["Images"]
    assert [i["ImageName"] for i in named] == ["team-image"]

    versions = sm.list_image_versions(ImageName="team-image")["ImageVersions"]
    assert sorted(v["Version"] for v in versions) == [1, 2]
    assert first in {v["ImageVersionArn"] for v in versions}
    ascending = sm.list_image_versions(
        ImageName="team-image", SortBy="VERSION", SortOrder="ASCENDING"
    )["ImageVersions"]
    assert [v["Version"] for v in ascending] == [1, 2]


# ------------------------------------------------------------------ app image configs
def test_app_image_config_file_system_defaults(sm):
    created = sm.create_app_image_config(
        AppImageConfigName="lab-config", JupyterLabAppImageConfig={}
    )
    assert created["AppImageConfigArn"].endswith(":app-image-config/lab-config")
    described = sm.describe_app_image_config(AppImageConfigName="lab-config")
    assert described["AppImageConfigArn"] == created["AppImageConfigArn"]
    assert described["JupyterLabAppImageConfig"]["FileSystemConfig"] == {
        "MountPath": "/home/sagemaker-user",
        "DefaultUid": 1000,
        "DefaultGid": 100,
    }


def test_app_image_config_keeps_given_values_and_container_config(sm):
    sm.create_app_image_config(
        AppImageConfigName="lab-config",
        JupyterLabAppImageConfig={
            "FileSystemConfig": {"DefaultUid": 0},
            "ContainerConfig": {"ContainerEnvironmentVariables": {"MODE": "course"}},
        },
    )
    config = sm.describe_app_image_config(AppImageConfigName="lab-config")
    lab = config["JupyterLabAppImageConfig"]
    assert lab["FileSystemConfig"]["DefaultUid"] == 0
    assert lab["FileSystemConfig"]["MountPath"] == "/home/sagemaker-user"
    assert lab["ContainerConfig"]["ContainerEnvironmentVariables"] == {"MODE": "course"}


def test_list_app_image_configs(sm):
    sm.create_app_image_config(AppImageConfigName="lab-config", JupyterLabAppImageConfig={})
    sm.create_app_image_config(AppImageConfigName="code-config", CodeEditorAppImageConfig={})
    configs = sm.list_app_image_configs()["AppImageConfigs"]
    assert sorted(c["AppImageConfigName"] for c in configs) == ["code-config", "lab-config"]


def test_delete_app_image_config_then_describe_is_resource_not_found(sm):
    sm.create_app_image_config(AppImageConfigName="lab-config", JupyterLabAppImageConfig={})
    sm.delete_app_image_config(AppImageConfigName="lab-config")
    with pytest.raises(ClientError) as excinfo:
        sm.describe_app_image_config(AppImageConfigName="lab-config")
    assert error_of(excinfo)[0] == "ResourceNotFound"


# ------------------------------------------------------------------ using an image in a space
def test_attached_image_runs_in_a_space_and_app_shows_version_arn(
    studio, sm, domain_id, make_space
):
    image_arn, version_arn = image_with_version(studio, sm)
    sm.create_app_image_config(AppImageConfigName="lab-config", JupyterLabAppImageConfig={})
    attach(sm, domain_id)
    settings = sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"]
    assert settings["JupyterLabAppSettings"]["CustomImages"][0]["ImageName"] == "team-image"

    make_space("lab", owner="ana")
    sm.create_app(
        DomainId=domain_id,
        SpaceName="lab",
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={"SageMakerImageArn": image_arn},
    )
    app = sm.describe_app(
        DomainId=domain_id, SpaceName="lab", AppType="JupyterLab", AppName="default"
    )
    assert app["Status"] == "InService"
    assert app["ResourceSpec"]["SageMakerImageArn"] == image_arn
    assert app["ResourceSpec"]["SageMakerImageVersionArn"] == version_arn


def test_unattached_custom_image_is_refused(studio, sm, domain_id, make_space):
    image_arn, _ = image_with_version(studio, sm)
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(
            DomainId=domain_id,
            SpaceName="lab",
            AppType="JupyterLab",
            AppName="default",
            ResourceSpec={"SageMakerImageArn": image_arn},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "team-image" in message
    assert "CustomImages" in message


def test_attaching_a_missing_image_is_resource_not_found(sm, domain_id):
    sm.create_app_image_config(AppImageConfigName="lab-config", JupyterLabAppImageConfig={})
    with pytest.raises(ClientError) as excinfo:
        attach(sm, domain_id, image="no-such-image")
    code, message = error_of(excinfo)
    assert code == "ResourceNotFound"
    assert "no-such-image" in message


def test_attaching_with_a_missing_app_image_config_is_resource_not_found(studio, sm, domain_id):
    image_with_version(studio, sm)
    with pytest.raises(ClientError) as excinfo:
        attach(sm, domain_id, config="no-such-config")
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_delete_image_then_describe_is_resource_not_found(studio, sm):
    image_with_version(studio, sm)
    sm.delete_image(ImageName="team-image")
    with pytest.raises(ClientError) as excinfo:
        sm.describe_image(ImageName="team-image")
    code, message = error_of(excinfo)
    assert code == "ResourceNotFound"
    assert "team-image" in message
    assert sm.list_images()["Images"] == []


def test_delete_image_version_then_describe_is_resource_not_found(studio, sm):
    image_with_version(studio, sm)
    sm.delete_image_version(ImageName="team-image", Version=1)
    with pytest.raises(ClientError) as excinfo:
        sm.describe_image_version(ImageName="team-image", Version=1)
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_delete_image_refused_while_a_running_app_uses_it(studio, sm, domain_id, make_space):
    image_arn, _ = image_with_version(studio, sm)
    sm.create_app_image_config(AppImageConfigName="lab-config", JupyterLabAppImageConfig={})
    attach(sm, domain_id)
    make_space("lab", owner="ana")
    app = {"DomainId": domain_id, "SpaceName": "lab", "AppType": "JupyterLab", "AppName": "default"}
    sm.create_app(**app, ResourceSpec={"SageMakerImageArn": image_arn})
    with pytest.raises(ClientError) as excinfo:
        sm.delete_image(ImageName="team-image")
    assert error_of(excinfo)[0] == "ResourceInUse"
    sm.delete_app(**app)
    sm.delete_image(ImageName="team-image")


def test_app_image_config_of_the_wrong_kind_is_refused(studio, sm, domain_id):
    image_with_version(studio, sm)
    sm.create_app_image_config(AppImageConfigName="code-config", CodeEditorAppImageConfig={})
    with pytest.raises(ClientError) as excinfo:
        attach(sm, domain_id, config="code-config")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "JupyterLabAppImageConfig" in message


def test_pinned_image_version_arn_is_used(studio, sm, domain_id, make_space):
    image_arn, first = image_with_version(studio, sm)
    base2 = push(studio, "team-image", "v2")
    sm.create_image_version(ImageName="team-image", BaseImage=base2, ClientToken="t-2")
    sm.create_app_image_config(AppImageConfigName="lab-config", JupyterLabAppImageConfig={})
    attach(sm, domain_id)
    make_space("lab", owner="ana")
    app = {"DomainId": domain_id, "SpaceName": "lab", "AppType": "JupyterLab", "AppName": "default"}
    sm.create_app(**app, ResourceSpec={"SageMakerImageVersionArn": first})
    spec = sm.describe_app(**app)["ResourceSpec"]
    assert spec["SageMakerImageVersionArn"] == first
    assert spec["SageMakerImageArn"] == image_arn
