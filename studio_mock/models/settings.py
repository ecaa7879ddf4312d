"""How settings flow domain -> user profile -> space, and the AWS resources behind them.

Private spaces take their defaults from the owner's UserSettings, then the domain's
DefaultUserSettings; shared spaces from the domain's DefaultSpaceSettings, then its
DefaultUserSettings (FACTS.md, "UserSettings and DefaultSpaceSettings").
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from ..exceptions import ResourceNotFound, ValidationException
from .common import (
    DEFAULT_EBS_GB,
    DEFAULT_INSTANCE_TYPE,
    HOME_EFS_TAG,
    MAXIMUM_EBS_GB,
    distribution_image_arn,
    first_set,
    merged,
    settings_get,
)

if TYPE_CHECKING:
    from .backend import StudioBackend
    from .domains import Domain, UserProfile
    from .spaces import Space

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
    if sharing_type == "Private" and owner is not None:
        return [owner.user_settings, domain.default_user_settings]
    return [domain.default_space_settings, domain.default_user_settings]


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


def resolve_resource_spec(
    backend: StudioBackend,
    domain: Domain,
    profile: UserProfile | None,
    space: Space | None,
    app_type: str,
    params: dict[str, Any],
) -> dict[str, Any]:
    """The ResourceSpec an app really gets: the request, then each settings level."""
    key = APP_SETTINGS_KEY.get(app_type, "")
    if space is not None:
        owner = backend.user_profiles.get((domain.id, (space.owner or "").lower()))
        levels = [space.settings] + space_chain(domain, owner, space.sharing_type)
    else:
        levels = [profile.user_settings if profile else None, domain.default_user_settings]
    if app_type in ("RStudioServerPro", "RSessionGateway"):
        levels.append((domain.domain_settings or {}).get("RStudioServerProDomainSettings"))
    specs = [settings_get(level, key, "DefaultResourceSpec") for level in levels]
    specs += [settings_get(level, "DefaultResourceSpec") for level in levels[-1:]]
    spec = dict(params.get("ResourceSpec") or {})
    for field in (
        "InstanceType",
        "SageMakerImageArn",
        "SageMakerImageVersionArn",
        "SageMakerImageVersionAlias",
        "LifecycleConfigArn",
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
            f"Image '{name}' is not attached to domain '{domain.id}' for {key[:-11]} apps. "
            f"Add it to {key}.CustomImages of the domain (UpdateDomain DefaultUserSettings or "
            "DefaultSpaceSettings) or of the user profile first."
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


# --------------------------------------------------------------------- other AWS services
def default_network(account_id: str, region: str, vpc_id: str | None) -> tuple[str, list[str]]:
    """The default VPC and its subnets, as the console offers them, from moto's EC2."""
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[account_id][region]
    vpc = (
        ec2.vpcs.get(vpc_id)
        if vpc_id
        else next((v for v in ec2.vpcs.values() if v.is_default), None)
    )
    if vpc is None:
        raise ValidationException(
            f"VPC '{vpc_id}' does not exist in {region}. Pass VpcId and SubnetIds of an "
            "existing VPC, or omit both to use the default VPC."
        )
    subnets = [s.id for az in ec2.subnets.values() for s in az.values() if s.vpc_id == vpc.id]
    return vpc.id, sorted(subnets)


def _efs(account_id: str, region: str) -> Any:
    from moto.efs.models import efs_backends

    return efs_backends[account_id][region]


def create_home_efs(domain: Domain) -> str:
    """The domain's home EFS file system, created in moto's EFS and tagged as AWS does."""
    fs = _efs(domain.account_id, domain.region).create_file_system(
        creation_token=hashlib.sha1(domain.arn.encode()).hexdigest(),
        performance_mode="generalPurpose",
        encrypted=bool(domain.kms_key_id),
        kms_key_id=domain.kms_key_id,
        throughput_mode="bursting",
        provisioned_throughput_in_mibps=None,
        availability_zone_name=None,
        backup=False,
        tags=[{"Key": HOME_EFS_TAG, "Value": domain.arn}],
    )
    return fs.file_system_id


def efs_exists(account_id: str, region: str, file_system_id: str) -> bool:
    return file_system_id in _efs(account_id, region).file_systems_by_id


def delete_efs(account_id: str, region: str, file_system_id: str) -> None:
    efs = _efs(account_id, region)
    if file_system_id not in efs.file_systems_by_id:
        return  # already deleted by hand
    for target_id, target in list(efs.mount_targets_by_id.items()):
        if target.file_system_id == file_system_id:
            efs.delete_mount_target(target_id)
    efs.delete_file_system(file_system_id)


def resolve_ecr_image(uri: str, account_id: str, pattern: re.Pattern[str]) -> str:
    """Check BaseImage names an image in moto's ECR; return its digest-pinned URI."""
    from moto.ecr.models import ecr_backends

    match = pattern.match(uri)
    if not match:
        raise ValidationException(
            f"BaseImage '{uri}' is not an ECR image URI. Use "
            "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>."
        )
    ecr = ecr_backends[match["account"]][match["region"]]
    repo = ecr.repositories.get(match["repo"])
    if repo is None:
        raise ValidationException(
            f"ECR repository '{match['repo']}' does not exist in account {match['account']} "
            f"({match['region']}). Create it and push the image first."
        )
    tag, digest = match["tag"] or "latest", match["digest"]
    for image in repo.images:
        if (digest and image.image_digest == digest) or (not digest and tag in image.image_tags):
            return f"{uri.split('@')[0].split(':')[0]}@{image.image_digest}"
    raise ValidationException(
        f"Image '{digest or tag}' is not in ECR repository '{match['repo']}'. Push it (PutImage) "
        "before CreateImageVersion."
    )
