"""SageMaker images, their versions and app image configs (custom images for spaces)."""

from __future__ import annotations

import copy
from typing import Any

from .common import GONE, StatusModel, arn

_IMAGE_LIFECYCLE = [("CREATING", "CREATED"), ("UPDATING", "CREATED"), ("DELETING", GONE)]
_VERSION_LIFECYCLE = [("CREATING", "CREATED"), ("DELETING", GONE)]


class Image(StatusModel):
    def __init__(self, account_id: str, region: str, params: dict[str, Any]):
        super().__init__("image", _IMAGE_LIFECYCLE)
        self.name: str = params["ImageName"]
        self.arn = arn(account_id, region, f"image/{self.name}")
        self.role_arn: str = params["RoleArn"]
        self.description: str | None = params.get("Description")
        self.display_name: str | None = params.get("DisplayName")
        self.tags: list[dict[str, str]] = list(params.get("Tags") or [])
        self.versions: dict[int, ImageVersion] = {}
        self.next_version = 1

    @property
    def image_status(self) -> str | None:
        return self.status

    def describe(self) -> dict[str, Any]:
        out = {
            "CreationTime": self.creation_time,
            "ImageArn": self.arn,
            "ImageName": self.name,
            "ImageStatus": self.status,
            "LastModifiedTime": self.last_modified_time,
            "RoleArn": self.role_arn,
        }
        if self.description:
            out["Description"] = self.description
        if self.display_name:
            out["DisplayName"] = self.display_name
        return out

    def summary(self) -> dict[str, Any]:
        out = self.describe()
        del out["RoleArn"]
        return out


class ImageVersion(StatusModel):
    def __init__(self, image: Image, version: int, params: dict[str, Any], container_image: str):
        super().__init__("image-version", _VERSION_LIFECYCLE)
        self.image = image
        self.version = version
        self.arn = image.arn.replace(":image/", ":image-version/") + f"/{version}"
        self.base_image: str = params["BaseImage"]
        self.container_image = container_image
        self.client_token: str = params["ClientToken"]
        self.aliases: list[str] = list(params.get("Aliases") or [])
        self.extra = {
            key: params[key]
            for key in (
                "VendorGuidance",
                "JobType",
                "MLFramework",
                "ProgrammingLang",
                "Processor",
                "Horovod",
                "ReleaseNotes",
            )
            if params.get(key) is not None
        }

    def describe(self) -> dict[str, Any]:
        return {
            "BaseImage": self.base_image,
            "ContainerImage": self.container_image,
            "CreationTime": self.creation_time,
            "ImageArn": self.image.arn,
            "ImageVersionArn": self.arn,
            "ImageVersionStatus": self.status,
            "LastModifiedTime": self.last_modified_time,
            "Version": self.version,
            **self.extra,
        }

    def summary(self) -> dict[str, Any]:
        return {
            "CreationTime": self.creation_time,
            "ImageArn": self.image.arn,
            "ImageVersionArn": self.arn,
            "ImageVersionStatus": self.status,
            "LastModifiedTime": self.last_modified_time,
            "Version": self.version,
        }


APP_IMAGE_CONFIG_KINDS = (
    "KernelGatewayImageConfig",
    "JupyterLabAppImageConfig",
    "CodeEditorAppImageConfig",
)
DEFAULT_FILE_SYSTEM_CONFIG = {
    "MountPath": "/home/sagemaker-user",
    "DefaultUid": 1000,
    "DefaultGid": 100,
}


class AppImageConfig(StatusModel):
    def __init__(self, account_id: str, region: str, params: dict[str, Any]):
        super().__init__("image", [("CREATED", "CREATED")])
        self.name: str = params["AppImageConfigName"]
        self.arn = arn(account_id, region, f"app-image-config/{self.name}")
        self.tags: list[dict[str, str]] = list(params.get("Tags") or [])
        self.configs: dict[str, dict[str, Any]] = {}
        self.update(params)

    def update(self, params: dict[str, Any]) -> None:
        for kind in APP_IMAGE_CONFIG_KINDS:
            if params.get(kind) is not None:
                config = copy.deepcopy(params[kind])
                if kind != "KernelGatewayImageConfig":
                    fs = {**DEFAULT_FILE_SYSTEM_CONFIG, **(config.get("FileSystemConfig") or {})}
                    config["FileSystemConfig"] = fs
                self.configs = {kind: config}

    @property
    def kind(self) -> str | None:
        return next(iter(self.configs), None)

    def describe(self) -> dict[str, Any]:
        return {
            "AppImageConfigArn": self.arn,
            "AppImageConfigName": self.name,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            **self.configs,
        }
