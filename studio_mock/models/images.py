"""SageMaker images, their versions and app image configs (custom images for spaces): the
models and their operations."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .. import rules
from ..access import Caller
from ..clock import clock
from ..exceptions import ResourceInUse, ResourceNotFound, ValidationException
from . import aws_services
from .common import GONE, StatusModel, arn
from .listing import list_page

if TYPE_CHECKING:
    from .backend import StudioBackend


class Image(StatusModel):
    kind = "image"
    SETTLES = {"CREATING": "CREATED", "UPDATING": "CREATED", "DELETING": GONE}

    def __init__(self, account_id: str, region: str, params: dict[str, Any]):
        super().__init__("CREATING")
        self.name: str = params["ImageName"]
        self.arn = arn(account_id, region, f"image/{self.name}")
        self.role_arn: str = params["RoleArn"]
        self.description: str | None = params.get("Description")
        self.display_name: str | None = params.get("DisplayName")
        self.tags: list[dict[str, str]] = list(params.get("Tags") or [])
        self.versions: dict[int, ImageVersion] = {}
        self.next_version = 1

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
    kind = "image-version"
    SETTLES = {"CREATING": "CREATED", "DELETING": GONE}

    def __init__(self, image: Image, version: int, params: dict[str, Any], container_image: str):
        super().__init__("CREATING")
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
_FILE_SYSTEM_DEFAULTS = {
    field: ("app-image-config-" + rule_id)
    for field, rule_id in (
        ("MountPath", "mount-path"),
        ("DefaultUid", "uid"),
        ("DefaultGid", "gid"),
    )
}


class AppImageConfig:
    def __init__(self, account_id: str, region: str, params: dict[str, Any]):
        self.name: str = params["AppImageConfigName"]
        self.arn = arn(account_id, region, f"app-image-config/{self.name}")
        self.tags: list[dict[str, str]] = list(params.get("Tags") or [])
        self.creation_time = clock.stamp()
        self.last_modified_time = self.creation_time
        self.configs: dict[str, dict[str, Any]] = {}
        self.update(params)

    def update(self, params: dict[str, Any]) -> None:
        for kind in APP_IMAGE_CONFIG_KINDS:
            if params.get(kind) is not None:
                config = copy.deepcopy(params[kind])
                if kind != "KernelGatewayImageConfig":
                    defaults = {f: rules.rule(r).value for f, r in _FILE_SYSTEM_DEFAULTS.items()}
                    config["FileSystemConfig"] = {
                        **defaults,
                        **(config.get("FileSystemConfig") or {}),
                    }
                self.configs = {kind: config}

    def touch(self) -> None:
        self.last_modified_time = clock.stamp()

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


class ImagesMixin:
    images: dict[str, Image]
    app_image_configs: dict[str, AppImageConfig]

    # -------------------------------------------------------------- images
    def get_image(self: StudioBackend, name: str) -> Image:
        image = self._live(self.images, name)
        if image is None:
            raise ResourceNotFound(f"Image '{name}' does not exist. CreateImage registers one.")
        return image

    def create_image(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> Image:
        name = params["ImageName"]
        self.check_access(
            caller,
            "CreateImage",
            arn(self.account_id, self.region, f"image/{name}"),
            request_tags=params.get("Tags"),
            tagging_action="CreateImage",
        )
        if self._live(self.images, name):
            raise ResourceInUse(f"Image '{name}' already exists.")
        image = Image(self.account_id, self.region, params)
        self.images[image.name] = image
        return image

    def describe_image(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> Image:
        image = self.get_image(params["ImageName"])
        self.check_access(caller, "DescribeImage", image.arn, image)
        return image

    def list_images(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> tuple[list[Image], str | None]:
        self.check_access(caller, "ListImages", "*")
        items = self._purge(self.images)
        if params.get("NameContains"):
            items = [i for i in items if params["NameContains"] in i.name]
        keys = {
            "CREATION_TIME": "creation_time",
            "LAST_MODIFIED_TIME": "last_modified_time",
            "IMAGE_NAME": "name",
        }
        return list_page("ListImages", items, params, keys)

    def update_image(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> Image:
        image = self.get_image(params["ImageName"])
        self.check_access(caller, "UpdateImage", image.arn, image)
        for prop in params.get("DeleteProperties") or []:
            if prop not in ("Description", "DisplayName"):
                raise rules.breach("image-delete-properties", value=prop)
            setattr(
                image, {"Description": "description", "DisplayName": "display_name"}[prop], None
            )
        for key, attr in (
            ("Description", "description"),
            ("DisplayName", "display_name"),
            ("RoleArn", "role_arn"),
        ):
            if params.get(key) is not None:
                setattr(image, attr, params[key])
        image.begin("UPDATING")
        image.touch()
        return image

    def delete_image(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> None:
        image = self.get_image(params["ImageName"])
        self.check_access(caller, "DeleteImage", image.arn, image)
        users = [
            a.arn
            for a in self.apps.values()
            if a.running and a.resource_spec.get("SageMakerImageArn") == image.arn
        ]
        if users:
            raise ResourceInUse(f"Image '{image.name}' is used by running apps {users}.")
        image.begin("DELETING")
        for version in image.versions.values():  # "and all versions of the image"
            version.begin("DELETING")

    # -------------------------------------------------------------- image versions
    def create_image_version(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> ImageVersion:
        image = self.get_image(params["ImageName"])
        self.check_access(caller, "CreateImageVersion", image.arn, image)
        for version in image.versions.values():
            if version.client_token == params["ClientToken"]:
                return version  # idempotent retry
        container = aws_services.resolve_ecr_image(params["BaseImage"])
        taken = {a for v in image.versions.values() for a in v.aliases}
        clash = taken & set(params.get("Aliases") or [])
        if clash:
            raise ResourceInUse(f"Alias {sorted(clash)} already names a version of '{image.name}'.")
        version = ImageVersion(image, image.next_version, params, container)
        image.versions[version.version] = version
        image.next_version += 1
        return version

    def get_image_version(self: StudioBackend, params: dict[str, Any]) -> ImageVersion:
        image = self.get_image(params["ImageName"])
        live = {n: v for n, v in image.versions.items() if v.status != GONE}
        image.versions = live
        if params.get("Alias"):
            found = next((v for v in live.values() if params["Alias"] in v.aliases), None)
        elif params.get("Version") is not None:
            found = live.get(params["Version"])
        else:
            found = live[max(live)] if live else None  # "the latest version is described"
        if found is None:
            raise ResourceNotFound(
                f"Image '{image.name}' has no version matching "
                f"{params.get('Alias') or params.get('Version') or '(latest)'}. "
                "ListImageVersions shows its versions."
            )
        return found

    def image_version_by_arn(self: StudioBackend, version_arn: str) -> ImageVersion | None:
        name, number = version_arn.split("/")[-2:]
        image = self._live(self.images, name)
        return image.versions.get(int(number)) if image and number.isdigit() else None

    def describe_image_version(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> ImageVersion:
        version = self.get_image_version(params)
        self.check_access(caller, "DescribeImageVersion", version.arn)
        return version

    def list_image_versions(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> tuple[list[ImageVersion], str | None]:
        image = self.get_image(params["ImageName"])
        self.check_access(caller, "ListImageVersions", image.arn, image)
        items = [v for v in image.versions.values() if v.status != GONE]
        keys = {
            "CREATION_TIME": "creation_time",
            "LAST_MODIFIED_TIME": "last_modified_time",
            "VERSION": "version",
        }
        return list_page("ListImageVersions", items, params, keys)

    def delete_image_version(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> None:
        version = self.get_image_version(params)
        self.check_access(caller, "DeleteImageVersion", version.arn)
        version.begin("DELETING")

    # -------------------------------------------------------------- app image configs
    def get_app_image_config(self: StudioBackend, name: str) -> AppImageConfig:
        config = self.app_image_configs.get(name)
        if config is None:
            raise ResourceNotFound(
                f"AppImageConfig '{name}' does not exist. CreateAppImageConfig makes one."
            )
        return config

    def create_app_image_config(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> AppImageConfig:
        name = params["AppImageConfigName"]
        self.check_access(
            caller,
            "CreateAppImageConfig",
            arn(self.account_id, self.region, f"app-image-config/{name}"),
            request_tags=params.get("Tags"),
            tagging_action="CreateAppImageConfig",
        )
        if name in self.app_image_configs:
            raise ResourceInUse(f"AppImageConfig '{name}' already exists.")
        given = [k for k in APP_IMAGE_CONFIG_KINDS if params.get(k) is not None]
        if len(given) > 1:
            raise ValidationException(
                f"Pass one kind of image config, not {given}: JupyterLabAppImageConfig for "
                "JupyterLab, CodeEditorAppImageConfig for Code Editor."
            )
        config = AppImageConfig(self.account_id, self.region, params)
        self.app_image_configs[name] = config
        return config

    def describe_app_image_config(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> AppImageConfig:
        config = self.get_app_image_config(params["AppImageConfigName"])
        self.check_access(caller, "DescribeAppImageConfig", config.arn, config)
        return config

    def list_app_image_configs(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> tuple[list[AppImageConfig], str | None]:
        self.check_access(caller, "ListAppImageConfigs", "*")
        items = list(self.app_image_configs.values())
        if params.get("NameContains"):
            items = [c for c in items if params["NameContains"] in c.name]
        keys = {
            "CreationTime": "creation_time",
            "LastModifiedTime": "last_modified_time",
            "Name": "name",
        }
        return list_page("ListAppImageConfigs", items, params, keys)

    def update_app_image_config(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> AppImageConfig:
        config = self.get_app_image_config(params["AppImageConfigName"])
        self.check_access(caller, "UpdateAppImageConfig", config.arn, config)
        config.update(params)
        config.touch()
        return config

    def delete_app_image_config(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> None:
        config = self.get_app_image_config(params["AppImageConfigName"])
        self.check_access(caller, "DeleteAppImageConfig", config.arn, config)
        del self.app_image_configs[config.name]
