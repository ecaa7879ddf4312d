"""Whatever a learner passes, a Studio call answers with an AWS error, never a crash.

For every operation the extension implements, parameters are generated from botocore's
input shape (every member, every enum value, existing and missing names) and sent
against a populated Studio. Each call must succeed or fail with a ClientError below
HTTP 500; a bare Python exception (in-process) or a 500 (server) fails the test.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
from typing import Any

import botocore.exceptions
import pytest
from botocore.model import Shape

from studio_mock.responses import StudioResponse
from studio_mock.shapes import service_model

MANIFEST = (
    '{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}'
)
ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"
OPERATIONS = sorted(
    "".join(part.title() for part in name.split("_"))
    for name, fn in vars(StudioResponse).items()
    if inspect.isfunction(fn) and not name.startswith("_")
)
NAMES = {
    "UserProfileName": ["ana", "ben", "nobody"],
    "SpaceName": ["ana-lab", "team", "missing"],
    "OwnerUserProfileName": ["ana", "ben", "nobody"],
    "AppName": ["default", "other"],
    "ImageName": ["img", "missing-img"],
    "AppImageConfigName": ["cfg", "missing-cfg"],
    "DomainName": ["course", "second"],
    "ExecutionRole": [ROLE],
    "RoleArn": [ROLE],
    "FileSystemId": ["fs-12345678"],
    "InstanceType": ["ml.t3.medium", "system", "ml.g4dn.xlarge"],
    "EbsVolumeSizeInGb": [5, 100, 101, 16384],
    "DefaultEbsVolumeSizeInGb": [5, 200],
    "MaximumEbsVolumeSizeInGb": [10, 100],
    "ClientToken": ["token-1"],
    "StudioLifecycleConfigName": ["lcc", "missing-lcc"],
    "StudioLifecycleConfigContent": ["ZWNobyBoaQ==", "not base64!"],
    "TagKeys": [["project"]],
    "NextToken": ["not-a-token"],
}


def _value(shape: Shape, name: str, world: dict[str, Any], depth: int = 0) -> Any:
    if name in world:
        return world[name]
    if name in NAMES:
        return NAMES[name][0]
    kind = shape.type_name
    if kind == "structure":
        if depth > 3:
            return {}
        return {m: _value(s, m, world, depth + 1) for m, s in shape.members.items()
                if m in shape.required_members or depth < 2}  # fmt: skip
    if kind == "list":
        return [_value(shape.member, name, world, depth + 1)]
    if kind == "map":
        return {"KEY": _value(shape.value, name, world, depth + 1)}
    if kind == "string":
        return shape.enum[0] if getattr(shape, "enum", None) else "value"
    if kind in ("integer", "long"):
        return shape.metadata.get("min", 1)
    if kind in ("float", "double"):
        return 1.0
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return dt.datetime(2026, 1, 1)
    return None


def _variants(operation: str, world: dict[str, Any]) -> list[dict[str, Any]]:
    shape = service_model().operation_model(operation).input_shape
    required = {m: _value(shape.members[m], m, world) for m in shape.required_members}
    found = [required]
    for member, member_shape in shape.members.items():
        choices: list[Any] = list(NAMES.get(member, []))
        if getattr(member_shape, "enum", None):
            choices += member_shape.enum
        choices.append(_value(member_shape, member, {}))
        for choice in itertools.islice(choices, 12):
            found.append({**required, member: choice})
    return found


def _world(studio, sm) -> dict[str, Any]:
    domain = sm.create_domain(
        DomainName="course", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    for name in ("ana", "ben"):
        sm.create_user_profile(DomainId=domain, UserProfileName=name)
    for space, owner, sharing in (("ana-lab", "ana", "Private"), ("team", "ben", "Shared")):
        sm.create_space(DomainId=domain, SpaceName=space,
                        OwnershipSettings={"OwnerUserProfileName": owner},
                        SpaceSharingSettings={"SharingType": sharing},
                        SpaceSettings={"AppType": "JupyterLab"})  # fmt: skip
    sm.create_app(DomainId=domain, SpaceName="team", AppType="JupyterLab", AppName="default")
    ecr = studio.client("ecr")
    uri = ecr.create_repository(repositoryName="img")["repository"]["repositoryUri"]
    ecr.put_image(repositoryName="img", imageTag="v1", imageManifest=MANIFEST)
    sm.create_image(ImageName="img", RoleArn=ROLE)
    sm.create_image_version(ImageName="img", BaseImage=f"{uri}:v1", ClientToken="token-0")
    sm.create_app_image_config(AppImageConfigName="cfg", JupyterLabAppImageConfig={})
    sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName="lcc",
        StudioLifecycleConfigContent="ZWNobyBoaQ==",
        StudioLifecycleConfigAppType="JupyterLab",
    )
    return {
        "ResourceArn": f"arn:aws:sagemaker:us-east-1:123456789012:space/{domain}/team",
        "DomainId": domain,
        "DomainIdEquals": domain,
        "BaseImage": f"{uri}:v1",
        "DefaultUserSettings": {"ExecutionRole": ROLE},
    }


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_generated_request_gets_an_aws_answer(studio, sm, operation):
    world = _world(studio, sm)
    method = getattr(sm, "".join("_" + c.lower() if c.isupper() else c for c in operation)[1:])
    answered = 0
    for params in _variants(operation, world):
        try:
            method(**params)
        except botocore.exceptions.ParamValidationError:
            continue  # refused by botocore before it reached the mock, as with AWS
        except botocore.exceptions.ClientError as err:
            status = err.response["ResponseMetadata"]["HTTPStatusCode"]
            assert status < 500, f"{operation}({params}) -> HTTP {status}: {err}"
            assert err.response["Error"]["Code"] != "InternalFailure", (
                f"{operation}({params}): {err}"
            )
            assert err.response["Error"]["Message"], f"{operation}({params}): empty message"
        answered += 1
    assert answered > 0
