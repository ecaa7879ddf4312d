"""How settings flow from the domain and the user profile to a space and its app.

A private space takes its defaults from its owner's UserSettings, then the domain's
DefaultUserSettings. A shared space takes them from the domain's DefaultSpaceSettings
only: of ExecutionRole, JupyterLabAppSettings, CodeEditorAppSettings and
SpaceStorageSettings in UserSettings botocore says "SageMaker doesn't apply these
settings to shared spaces", and DefaultSpaceSettings holds "the default settings for
shared spaces" (it has no CodeEditorAppSettings, so a shared Code Editor space gets the
service defaults).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..exceptions import ResourceNotFound, ValidationException
from .common import (
    DEFAULT_EBS_GB,
    DEFAULT_INSTANCE_TYPE,
    MAXIMUM_EBS_GB,
    distribution_image_arn,
    first_set,
    merged,
    settings_get,
)

if TYPE_CHECKING:
    from .backend import StudioBackend
    from .domains import Domain
    from .spaces import Space
    from .user_profiles import UserProfile

__all__ = ["merged", "settings_get"]

APP_SETTINGS_KEY = {
    "JupyterLab": "JupyterLabAppSettings",
    "CodeEditor": "CodeEditorAppSettings",
    "Canvas": "CanvasAppSettings",
    "RStudioServerPro": "RStudioServerProAppSettings",
    "RSessionGateway": "RSessionAppSettings",
    "TensorBoard": "TensorBoardAppSettings",
}


def space_chain(
    domain: Domain, owner: UserProfile | None, sharing_type: str
) -> list[dict[str, Any] | None]:
    """The settings levels a space inherits from, most specific first."""
    if sharing_type == "Private" and owner is not None:
        return [owner.user_settings, domain.default_user_settings]
    return [domain.default_space_settings]


def space_chain_names(owner: UserProfile | None, sharing_type: str) -> list[str]:
    if sharing_type == "Private" and owner is not None:
        return [f"user profile '{owner.name}'", "domain"]
    return ["domain (DefaultSpaceSettings)"]


def execution_role(domain: Domain, profile: UserProfile | None) -> str | None:
    chain = [profile.user_settings if profile else None, domain.default_user_settings]
    return first_set(chain, "ExecutionRole")


def ebs_limits(chain: list[dict[str, Any] | None]) -> tuple[int, int]:
    path = ("SpaceStorageSettings", "DefaultEbsStorageSettings")
    default = first_set(chain, *path, "DefaultEbsVolumeSizeInGb")
    maximum = first_set(chain, *path, "MaximumEbsVolumeSizeInGb")
    return default or DEFAULT_EBS_GB, maximum or MAXIMUM_EBS_GB


def check_ebs_size(size: int, maximum: int, domain_id: str) -> None:
    if size > maximum:
        raise ValidationException(
            f"EbsVolumeSizeInGb {size} is above the maximum of {maximum} GB for spaces in "
            f"domain '{domain_id}' (SpaceStorageSettings.DefaultEbsStorageSettings."
            f"MaximumEbsVolumeSizeInGb). Choose a size from 5 to {maximum} GB, or ask an "
            "administrator to raise the maximum with UpdateDomain."
        )


def apply_domain_settings_update(
    current: dict[str, Any] | None, update: dict[str, Any]
) -> dict[str, Any]:
    result = merged(current, {k: v for k, v in update.items() if not k.startswith("RStudio")})
    rstudio = update.get("RStudioServerProDomainSettingsForUpdate")
    if rstudio:
        result["RStudioServerProDomainSettings"] = merged(
            result.get("RStudioServerProDomainSettings"), rstudio
        )
    return result


def app_levels(
    backend: StudioBackend,
    domain: Domain,
    profile: UserProfile | None,
    space: Space | None,
    app_type: str,
) -> tuple[list[dict[str, Any] | None], list[str]]:
    """The settings an app inherits from, most specific first, with their names."""
    if space is not None:
        owner = backend.owner_of(space)
        levels = [space.settings, *space_chain(domain, owner, space.sharing_type)]
        names = [f"space '{space.name}'", *space_chain_names(owner, space.sharing_type)]
    else:
        levels = [profile.user_settings if profile else None, domain.default_user_settings]
        names = [f"user profile '{profile.name if profile else ''}'", "domain"]
    if app_type in ("RStudioServerPro", "RSessionGateway"):
        levels.append((domain.domain_settings or {}).get("RStudioServerProDomainSettings"))
        names.append("domain (RStudioServerProDomainSettings)")
    return levels, names


def resolve_resource_spec(
    backend: StudioBackend,
    domain: Domain,
    levels: list[dict[str, Any] | None],
    app_type: str,
    params: dict[str, Any],
) -> dict[str, Any]:
    """The ResourceSpec an app really gets: the request, then each settings level."""
    key = APP_SETTINGS_KEY.get(app_type, "")
    specs = [settings_get(level, key, "DefaultResourceSpec") for level in levels]
    specs += [settings_get(level, "DefaultResourceSpec") for level in levels[-1:]]
    spec = dict(params.get("ResourceSpec") or {})
    spec.pop("LifecycleConfigArn", None)  # chosen separately (lifecycle_configs)
    for field in (
        "InstanceType",
        "SageMakerImageArn",
        "SageMakerImageVersionArn",
        "SageMakerImageVersionAlias",
    ):
        if field not in spec:
            value = first_set(specs, field)
            if value is not None:
                spec[field] = value
    if app_type in ("JupyterLab", "CodeEditor"):
        spec.setdefault("InstanceType", DEFAULT_INSTANCE_TYPE)
        if spec["InstanceType"] == "system":
            raise ValidationException(
                f"InstanceType 'system' is only for Studio Classic's JupyterServer; a {app_type} "
                f"app needs an ML instance type such as {DEFAULT_INSTANCE_TYPE}."
            )
        if "SageMakerImageArn" not in spec and "SageMakerImageVersionArn" not in spec:
            gpu = spec["InstanceType"].startswith(("ml.g", "ml.p"))
            spec["SageMakerImageArn"] = distribution_image_arn(domain.region, gpu)
    _check_custom_image(backend, domain, levels, key, spec)
    return spec


def _check_custom_image(
    backend: StudioBackend,
    domain: Domain,
    levels: list[dict[str, Any] | None],
    key: str,
    spec: dict[str, Any],
) -> None:
    image_arn = spec.get("SageMakerImageArn") or ""
    version_arn = spec.get("SageMakerImageVersionArn")
    own_prefix = f"arn:aws:sagemaker:{domain.region}:{domain.account_id}:image"
    if version_arn and not image_arn:
        image_arn = version_arn.replace(":image-version/", ":image/").rsplit("/", 1)[0]
        spec["SageMakerImageArn"] = image_arn
    if not image_arn.startswith(own_prefix):
        return  # an AWS-provided image such as SageMaker Distribution
    name = image_arn.split("/")[-1]
    image = backend.get_image(name)
    attached = [
        custom["ImageName"]
        for level in levels
        for custom in (settings_get(level, key, "CustomImages") or [])
    ]
    if name not in attached:
        raise ValidationException(
            f"Image '{name}' is not attached to domain '{domain.id}' for {key[:-11]} apps "
            "in this space. Add it to the CustomImages of the level the space takes its "
            f"settings from: {key}.CustomImages of the owner's user profile or the domain's "
            "DefaultUserSettings for a private space, the domain's DefaultSpaceSettings for a "
            "shared one."
        )
    versions = {v.version: v for v in image.versions.values()}
    if not versions:
        raise ValidationException(
            f"Image '{name}' has no version yet: CreateImageVersion points it at an ECR image."
        )
    if version_arn:
        if version_arn not in {v.arn for v in versions.values()}:
            raise ResourceNotFound(f"Image version '{version_arn}' does not exist.")
    else:
        spec["SageMakerImageVersionArn"] = versions[max(versions)].arn
