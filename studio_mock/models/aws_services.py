"""What Studio does in other AWS services, done in moto's backends for them: the default
VPC, the domain's home EFS, images in ECR and lifecycle-configuration logs in CloudWatch."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from ..exceptions import ValidationException
from .common import HOME_EFS_TAG

if TYPE_CHECKING:
    from .domains import Domain

ECR_URI = re.compile(
    r"(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/"
    r"(?P<repo>[^:@]+)(?::(?P<tag>[^@]+)|@(?P<digest>sha256:[0-9a-f]{64}))?$"
)
STUDIO_LOG_GROUP = "/aws/sagemaker/studio"  # where lifecycle configurations log (DG: jl-lcc-debug)


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


def add_efs_bytes(account_id: str, region: str, file_system_id: str, count: int) -> None:
    """Grow (or shrink) the metered size moto reports as SizeInBytes."""
    fs = _efs(account_id, region).file_systems_by_id[file_system_id]
    fs._size_value = max(0, fs._size_value + count)


def efs_sizes(account_id: str, region: str) -> dict[str, int]:
    """Each EFS file system of moto's and its metered size in bytes."""
    return {
        fs_id: fs._size_value for fs_id, fs in _efs(account_id, region).file_systems_by_id.items()
    }


def delete_efs(account_id: str, region: str, file_system_id: str) -> None:
    efs = _efs(account_id, region)
    if file_system_id not in efs.file_systems_by_id:
        return  # already deleted by hand
    for target_id, target in list(efs.mount_targets_by_id.items()):
        if target.file_system_id == file_system_id:
            efs.delete_mount_target(target_id)
    efs.delete_file_system(file_system_id)


def _ecr_repository(uri: str) -> tuple[Any, re.Match[str]]:
    from moto.ecr.models import ecr_backends

    match = ECR_URI.match(uri)
    if not match:
        raise ValidationException(
            f"BaseImage '{uri}' is not an ECR image URI. Use "
            "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>."
        )
    ecr = ecr_backends[match["account"]][match["region"]]
    return ecr.repositories.get(match["repo"]), match


def resolve_ecr_image(uri: str) -> str:
    """Check BaseImage names an image in moto's ECR; return its digest-pinned URI."""
    repo, match = _ecr_repository(uri)
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


def ecr_image_exists(pinned_uri: str) -> bool:
    """Whether a digest-pinned image can still be pulled (it may be deleted after
    CreateImageVersion: AWS only finds out when an app starts)."""
    repo, match = _ecr_repository(pinned_uri)
    return repo is not None and any(i.image_digest == match["digest"] for i in repo.images)


IMAGE_CONFIG_LIMIT = 1024 * 1024  # a config is a few KB; layers, far bigger, are not kept


def keeping_image_configs(complete_layer_upload: Any) -> Any:
    """moto's ECR CompleteLayerUpload, made to keep an upload small enough to be an
    image's configuration. ``docker push`` uploads the image config (the JSON that holds
    the default ``User``) as a blob like any layer; moto keeps only a blob's size."""

    @functools.wraps(complete_layer_upload)
    def complete(
        self: Any,
        repository_name: str,
        upload_id: str,
        layer_digests: list[str],
        registry_id: str | None = None,
    ) -> dict[str, Any]:
        repository = self._get_repository(repository_name, registry_id)
        upload = repository.uploads.get(upload_id)
        data = bytes(upload.layer_parts) if upload is not None else b""
        done = complete_layer_upload(self, repository_name, upload_id, layer_digests, registry_id)
        if len(data) <= IMAGE_CONFIG_LIMIT:
            repository.__dict__.setdefault("studio_blobs", {})[done["layerDigest"]] = data
        return done

    return complete


def ecr_image_config(pinned_uri: str) -> dict[str, Any] | None:
    """The configuration of a digest-pinned image (what ``docker inspect`` shows), or None
    when it was never pushed as a blob (a manifest put on its own) or cannot be read."""
    repo, match = _ecr_repository(pinned_uri)
    image = (
        next((i for i in repo.images if i.image_digest == match["digest"]), None) if repo else None
    )
    if image is None:
        return None
    try:
        digest = json.loads(image.image_manifest)["config"]["digest"]
        return json.loads(repo.__dict__.get("studio_blobs", {})[digest])
    except (KeyError, TypeError, ValueError):
        return None


def image_user(config: dict[str, Any] | None) -> tuple[int, int | None] | None:
    """The (uid, gid) an image's processes start as, from its config's ``User``: empty
    or ``root`` is 0:0 (Docker's default), ``uid`` or ``uid:gid`` as written; a user
    *name* other than root is looked up in the image's /etc/passwd, which the mock does
    not have, so it is None (unknown), as is a config the mock never saw. A uid without
    a gid gives None for the gid (it comes from /etc/passwd too)."""
    if config is None:
        return None
    user = str((config.get("config") or {}).get("User") or "")
    if user in ("", "root", "0", "root:root", "0:0"):
        return 0, 0
    uid, _, gid = user.partition(":")
    if not uid.isdigit() or (gid and not gid.isdigit()):
        return None
    return int(uid), int(gid) if gid else None


def write_studio_log(
    account_id: str, region: str, stream: str, lines: list[str], at: dt.datetime
) -> None:
    """Append ``lines`` to a stream of the /aws/sagemaker/studio log group in moto's Logs."""
    from moto.logs.models import logs_backends

    logs = logs_backends[account_id][region]
    if STUDIO_LOG_GROUP not in logs.groups:
        logs.create_log_group(STUDIO_LOG_GROUP, {})
    group = logs.groups[STUDIO_LOG_GROUP]
    if stream not in group.streams:
        group.create_log_stream(stream)
    millis = int(at.timestamp() * 1000)
    # straight onto the stream: the Logs API refuses events far from the real clock, and
    # these carry the simulated one
    group.streams[stream].put_log_events([{"timestamp": millis, "message": m} for m in lines])
