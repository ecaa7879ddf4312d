"""The rules table (studio_mock.rules), row by row: botocore still says what each row
quotes, and the mock does what the row says, in process and against a server.

Every row must have a probe here: a row added to the table without one fails
``test_every_row_has_a_probe``.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from conftest import ROLE, error_of, new_space

from studio_mock import advance_clock, rules
from studio_mock.shapes import service_model

ROWS = {row.id: row for row in rules.RULES}
MANIFEST = (
    '{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}'
)
ACCOUNT = "123456789012"


def _doc(source: str) -> str:
    model = service_model()
    if "." not in source:  # an operation, or a whole shape
        if source in model.operation_names:
            return model.operation_model(source).documentation
        return model.shape_for(source).documentation
    shape, member = source.split(".", 1)
    return model.shape_for(shape).members[member].documentation


def _member_shape(operation: str, path: str) -> Any:
    shape = service_model().operation_model(operation).input_shape
    for part in path.split("."):
        shape = shape.members[part]
    return shape


@pytest.mark.parametrize("row", rules.RULES, ids=lambda r: r.id)
def test_botocore_still_states_the_rule(row):
    if row.quote:
        assert rules.normalized(row.quote) in rules.normalized(_doc(row.source)), row.source
    else:  # a range botocore's shapes carry
        assert row.kind == "range"
        for operation in row.operations:
            meta = _member_shape(operation, row.member).metadata
            assert (meta.get("min"), meta.get("max")) == row.value, (operation, row.member)


# ---------------------------------------------------------------------------- the world
def _clock(studio: Any) -> Callable[..., Any]:
    return lambda **moved: advance_clock(**moved, endpoint_url=studio.endpoint_url)


def _push(studio: Any, repo: str, tag: str) -> str:
    ecr = studio.client("ecr")
    with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
        ecr.create_repository(repositoryName=repo)
    ecr.put_image(repositoryName=repo, imageTag=tag, imageManifest=MANIFEST)
    return f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{repo}:{tag}"


def _script(text: str = "echo ready") -> str:
    return base64.b64encode(text.encode()).decode()


def _space(sm: Any, domain_id: str, name: str, owner: str = "ana", **kwargs: Any) -> None:
    new_space(sm, domain_id, name, owner, **kwargs)


def _start(sm: Any, domain_id: str, space: str, app_type: str = "JupyterLab", **extra: Any) -> dict:
    key = {"DomainId": domain_id, "SpaceName": space, "AppType": app_type, "AppName": "default"}
    sm.create_app(**key, **extra)
    return key


# ---------------------------------------------------------------------------- list defaults
def _populate(operation: str, studio: Any, sm: Any, domain_id: str, count: int) -> dict[str, Any]:
    """``count`` items for a List operation, one simulated minute apart; the list call's
    arguments that select them."""
    tick = _clock(studio)
    for i in range(count):
        tick(minutes=1)
        if operation == "ListDomains":
            sm.create_domain(
                DomainName=f"d{i}", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
            )
        elif operation == "ListUserProfiles":
            sm.create_user_profile(DomainId=domain_id, UserProfileName=f"p{i}")
        elif operation == "ListSpaces":
            _space(sm, domain_id, f"s{i}")
        elif operation == "ListApps":
            _space(sm, domain_id, f"s{i}")
            _start(sm, domain_id, f"s{i}")
        elif operation == "ListImages":
            sm.create_image(ImageName=f"i{i}", RoleArn=ROLE)
        elif operation == "ListImageVersions":
            if i == 0:
                sm.create_image(ImageName="img", RoleArn=ROLE)
            uri = _push(studio, "img", f"v{i}")
            sm.create_image_version(ImageName="img", BaseImage=uri, ClientToken=f"t{i}")
        elif operation == "ListAppImageConfigs":
            sm.create_app_image_config(AppImageConfigName=f"c{i}", JupyterLabAppImageConfig={})
        elif operation == "ListStudioLifecycleConfigs":
            sm.create_studio_lifecycle_config(
                StudioLifecycleConfigName=f"l{i}",
                StudioLifecycleConfigContent=_script(),
                StudioLifecycleConfigAppType="JupyterLab",
            )
    return {
        "ListUserProfiles": {"DomainIdEquals": domain_id},
        "ListSpaces": {"DomainIdEquals": domain_id},
        "ListApps": {"DomainIdEquals": domain_id},
        "ListImageVersions": {"ImageName": "img"},
    }.get(operation, {})


_RESULT_KEYS = {
    "ListDomains": ("Domains", "DomainName"),
    "ListUserProfiles": ("UserProfiles", "UserProfileName"),
    "ListSpaces": ("Spaces", "SpaceName"),
    "ListApps": ("Apps", "SpaceName"),
    "ListImages": ("Images", "ImageName"),
    "ListImageVersions": ("ImageVersions", "Version"),
    "ListAppImageConfigs": ("AppImageConfigs", "AppImageConfigName"),
    "ListStudioLifecycleConfigs": ("StudioLifecycleConfigs", "StudioLifecycleConfigName"),
}
_OPPOSITE = {
    "Ascending": "Descending",
    "Descending": "Ascending",
    "ASCENDING": "DESCENDING",
    "DESCENDING": "ASCENDING",
}


@pytest.mark.parametrize("operation", sorted(_RESULT_KEYS))
def test_list_defaults_hold(studio, sm, domain_id, operation):
    rows = [r for r in rules.RULES if r.kind == "default" and r.operations == (operation,)]
    extra = _populate(operation, studio, sm, domain_id, 12)
    call = getattr(sm, xform_name(operation))
    key, name = _RESULT_KEYS[operation]

    def names(**kwargs: Any) -> list[Any]:
        return [item[name] for item in call(**extra, **kwargs)[key]]

    page = call(**extra)
    size = rules.default(operation, "MaxResults")
    assert len(page[key]) == size and "NextToken" in page, "AWS returns 10 items by default"
    checked = {f"{operation}-page-size"}
    if any(r.member == "SortBy" for r in rows):
        by, order = rules.default(operation, "SortBy"), rules.default(operation, "SortOrder")
        stated = names(SortBy=by, SortOrder=order, MaxResults=100)
        assert names(MaxResults=100) == stated
        assert names(SortBy=by, SortOrder=_OPPOSITE[order], MaxResults=100) == stated[::-1]
        checked |= {f"{operation}-sort-by", f"{operation}-sort-order"}
    assert checked == {r.id for r in rows}


# ---------------------------------------------------------------------------- time filters
@pytest.mark.parametrize(
    "operation", sorted({r.operations[0] for r in rules.RULES if r.kind == "filter"})
)
def test_time_filters_bound_as_stated(studio, sm, domain_id, operation):
    extra = _populate(operation, studio, sm, domain_id, 3)
    call = getattr(sm, xform_name(operation))
    key, name = _RESULT_KEYS[operation]
    everything = call(**extra, SortOrder=_sort_order(operation, "ascending"))[key]
    first, middle, last = [item[name] for item in everything]
    moment = everything[1]["CreationTime"]
    for row in [r for r in rules.RULES if r.kind == "filter" and r.operations == (operation,)]:
        found = {item[name] for item in call(**extra, **{row.member: moment})[key]}
        if row.member.endswith("After"):
            expected = {middle, last} if row.value else {last}
        else:
            expected = {first, middle} if row.value else {first}
        assert found == expected, f"{row.member}: {row.quote!r}"


def _sort_order(operation: str, order: str) -> str:
    stated = rules.default(operation, "SortOrder")
    return order.upper() if stated.isupper() else order.title()


# ---------------------------------------------------------------------------- other defaults
def _efs_ids(studio: Any) -> set[str]:
    return {
        fs["FileSystemId"] for fs in studio.client("efs").describe_file_systems()["FileSystems"]
    }


def _session_lifetimes(studio: Any, sm: Any, domain_id: str) -> Any:
    """The session a presigned URL opens. Its lifetimes are not visible through the API,
    so against a server the same calls are made in process, where the model is visible
    (the server runs the same model)."""
    from studio_mock import mock_studio
    from studio_mock.models import studio_backend

    if studio.endpoint_url:
        with mock_studio(timing="instant"):
            local = boto3.client("sagemaker", region_name="us-east-1")
            local_domain = local.create_domain(
                DomainName="lifetimes", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
            )["DomainId"]
            local.create_user_profile(DomainId=local_domain, UserProfileName="ana")
            local.create_presigned_domain_url(DomainId=local_domain, UserProfileName="ana")
            return studio_backend(ACCOUNT, "us-east-1").sessions[-1]
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    sm.create_presigned_domain_url(DomainId=domain_id, UserProfileName="ana")
    return studio_backend(ACCOUNT, "us-east-1").sessions[-1]


def _probe_retention(studio: Any, sm: Any, domain_id: str) -> str:
    home = sm.describe_domain(DomainId=domain_id)["HomeEfsFileSystemId"]
    sm.delete_domain(DomainId=domain_id)
    return "Retain" if home in _efs_ids(studio) else "Delete"


def _probe_url_expiry(studio: Any, sm: Any, domain_id: str) -> int:
    session = _session_lifetimes(studio, sm, domain_id)
    return int((session.url_expires_at - session.opened_at).total_seconds())


def _probe_session_expiry(studio: Any, sm: Any, domain_id: str) -> int:
    session = _session_lifetimes(studio, sm, domain_id)
    return int((session.expires_at - session.opened_at).total_seconds())


def _probe_latest_version(studio: Any, sm: Any, domain_id: str) -> str:
    sm.create_image(ImageName="img", RoleArn=ROLE)
    for i in (1, 2):
        sm.create_image_version(
            ImageName="img", BaseImage=_push(studio, "img", f"v{i}"), ClientToken=f"t{i}"
        )
    latest = sm.describe_image_version(ImageName="img")["Version"]
    return "latest" if latest == 2 else f"version {latest}"


def _file_system(field: str) -> Callable[..., Any]:
    def probe(studio: Any, sm: Any, domain_id: str) -> Any:
        sm.create_app_image_config(AppImageConfigName="cfg", JupyterLabAppImageConfig={})
        described = sm.describe_app_image_config(AppImageConfigName="cfg")
        return described["JupyterLabAppImageConfig"]["FileSystemConfig"][field]

    return probe


DEFAULT_PROBES: dict[str, Callable[[Any, Any, str], Any]] = {
    "domain-network-default": lambda st, sm, d: sm.describe_domain(DomainId=d)[
        "AppNetworkAccessType"
    ],
    "domain-home-efs-default": lambda st, sm, d: sm.describe_domain(DomainId=d)[
        "HomeEfsFileSystemCreation"
    ],
    "domain-tag-propagation-default": lambda st, sm, d: sm.describe_domain(DomainId=d)[
        "TagPropagation"
    ],
    "domain-retention-default": _probe_retention,
    "presigned-url-expiry-default": _probe_url_expiry,
    "presigned-url-session-default": _probe_session_expiry,
    "image-version-latest": _probe_latest_version,
    "app-image-config-mount-path": _file_system("MountPath"),
    "app-image-config-uid": _file_system("DefaultUid"),
    "app-image-config-gid": _file_system("DefaultGid"),
}


@pytest.mark.parametrize("rule_id", sorted(DEFAULT_PROBES))
def test_stated_defaults_hold(studio, sm, domain_id, rule_id):
    assert DEFAULT_PROBES[rule_id](studio, sm, domain_id) == ROWS[rule_id].value


# ---------------------------------------------------------------------------- ranges
def _request(operation: str, sm: Any, domain_id: str) -> dict[str, Any]:
    """A request of ``operation`` that succeeds as it stands."""
    return {
        "CreateDomain": {
            "DomainName": "other",
            "AuthMode": "IAM",
            "DefaultUserSettings": {"ExecutionRole": ROLE},
        },
        "UpdateDomain": {"DomainId": domain_id},
        "CreateUserProfile": {"DomainId": domain_id, "UserProfileName": "cy"},
        "UpdateUserProfile": {"DomainId": domain_id, "UserProfileName": "ana"},
        "CreateSpace": {
            "DomainId": domain_id,
            "SpaceName": "new",
            "OwnershipSettings": {"OwnerUserProfileName": "ana"},
            "SpaceSharingSettings": {"SharingType": "Private"},
            "SpaceSettings": {"AppType": "JupyterLab"},
        },
        "UpdateSpace": {"DomainId": domain_id, "SpaceName": "lab", "SpaceSettings": {}},
        "CreatePresignedDomainUrl": {"DomainId": domain_id, "UserProfileName": "ana"},
        "CreateStudioLifecycleConfig": {
            "StudioLifecycleConfigName": "lcc",
            "StudioLifecycleConfigContent": _script(),
            "StudioLifecycleConfigAppType": "JupyterLab",
        },
    }[operation]


def _set(request: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    node = request
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return request


def _sized(shape: Any, size: int) -> Any:
    if shape.type_name == "list":
        item = shape.member
        if item.type_name == "structure":  # CustomImages
            return [{"ImageName": "kg", "AppImageConfigName": "kg-cfg"} for _ in range(size)]
        return [f"sg-{i:017d}" for i in range(size)]
    if shape.type_name == "string":
        return "e" * size
    return size


RANGE_ROWS = [(r, op) for r in rules.RULES if r.kind == "range" for op in r.operations]


@pytest.mark.parametrize("row,operation", RANGE_ROWS, ids=[f"{r.id}[{op}]" for r, op in RANGE_ROWS])
def test_ranges_hold(studio, sm, domain_id, row, operation):
    _space(sm, domain_id, "lab")
    sm.create_image(ImageName="kg", RoleArn=ROLE)
    sm.create_app_image_config(
        AppImageConfigName="kg-cfg", KernelGatewayImageConfig={"KernelSpecs": [{"Name": "py"}]}
    )
    client = studio.unvalidated()
    method = getattr(client, xform_name(operation))
    shape = _member_shape(operation, row.member)
    low, high = row.value
    outside = [high + 1] + ([low - 1] if low > 0 else [])
    for size in outside:
        with pytest.raises(ClientError) as refused:
            method(**_set(_request(operation, sm, domain_id), row.member, _sized(shape, size)))
        code, message = error_of(refused)
        assert code == row.error, message
        assert row.member.split(".")[-1].lower() in message.lower(), message
    if row.message:  # stated only in words: the largest allowed value must pass
        method(**_set(_request(operation, sm, domain_id), row.member, _sized(shape, high)))


# ---------------------------------------------------------------------------- preconditions
def _refused(call: Callable[[], Any], code: str, *words: str) -> None:
    with pytest.raises(ClientError) as refused:
        call()
    got, message = error_of(refused)
    assert got == code, message
    for word in words:
        assert word.lower() in message.lower(), message


def _running_app(sm: Any, d: str) -> None:
    _space(sm, d, "lab")
    _start(sm, d, "lab")


def _pre_network(studio, sm, d):
    _running_app(sm, d)
    _refused(
        lambda: sm.update_domain(DomainId=d, AppNetworkAccessType="VpcOnly"),
        "ResourceInUse",
        "AppNetworkAccessType",
    )
    sm.update_domain(DomainId=d, AppNetworkAccessType="PublicInternetOnly")  # no change: allowed


def _pre_network_rstudio(studio, sm, d):
    rstudio = {"RStudioServerProDomainSettings": {"DomainExecutionRoleArn": ROLE}}
    other = sm.create_domain(
        DomainName="r",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE},
        DomainSettings=rstudio,
    )["DomainId"]
    _refused(
        lambda: sm.update_domain(DomainId=other, AppNetworkAccessType="VpcOnly"),
        "ValidationException",
        "RStudio",
    )


def _pre_subnets(studio, sm, d):
    subnets = sm.describe_domain(DomainId=d)["SubnetIds"]
    assert len(subnets) > 1
    _running_app(sm, d)
    _refused(
        lambda: sm.update_domain(DomainId=d, SubnetIds=subnets[:1]), "ResourceInUse", "SubnetIds"
    )
    sm.update_domain(DomainId=d, SubnetIds=subnets)  # removing none is fine


def _pre_role_identity(studio, sm, d):
    _running_app(sm, d)
    change = {"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"}
    _refused(
        lambda: sm.update_domain(DomainId=d, DomainSettingsForUpdate=change),
        "ResourceInUse",
        "ExecutionRoleIdentityConfig",
    )


def _pre_home_efs(studio, sm, d):
    _refused(
        lambda: sm.update_domain(DomainId=d, HomeEfsFileSystemCreation="Disabled"),
        "ValidationException",
        "Disabled",
    )


def _pre_vpc_only(studio, sm, d):
    base = {"AuthMode": "IAM", "AppNetworkAccessType": "VpcOnly"}
    _refused(
        lambda: sm.create_domain(
            DomainName="v", DefaultUserSettings={"ExecutionRole": ROLE}, **base
        ),
        "ValidationException",
        "SecurityGroups",
    )
    groups = {"ExecutionRole": ROLE, "SecurityGroups": ["sg-00000000000000001"]}
    vpc_only = sm.create_domain(DomainName="v", DefaultUserSettings=groups, **base)["DomainId"]
    sm.create_user_profile(DomainId=vpc_only, UserProfileName="ana")  # the domain's groups apply


def _pre_rstudio_vpc(studio, sm, d):
    _refused(
        lambda: sm.create_domain(
            DomainName="v",
            AuthMode="IAM",
            AppNetworkAccessType="VpcOnly",
            DefaultUserSettings={"ExecutionRole": ROLE, "SecurityGroups": ["sg-00000000000000001"]},
            DomainSettings={"RStudioServerProDomainSettings": {"DomainExecutionRoleArn": ROLE}},
        ),
        "ValidationException",
        "AppSecurityGroupManagement",
    )


def _sso_domain(sm: Any) -> str:
    return sm.create_domain(
        DomainName="sso", AuthMode="SSO", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]


def _pre_sso_only(studio, sm, d):
    _refused(
        lambda: sm.create_user_profile(
            DomainId=d,
            UserProfileName="cy",
            SingleSignOnUserIdentifier="UserName",
            SingleSignOnUserValue="cy",
        ),
        "ValidationException",
        "cannot be specified",
    )


def _pre_sso_required(studio, sm, d):
    sso = _sso_domain(sm)
    _refused(
        lambda: sm.create_user_profile(DomainId=sso, UserProfileName="cy"),
        "ValidationException",
        "SingleSignOnUserValue",
    )


def _pre_sso_identifier(studio, sm, d):
    sso = _sso_domain(sm)
    client = studio.unvalidated()
    _refused(
        lambda: client.create_user_profile(
            DomainId=sso,
            UserProfileName="cy",
            SingleSignOnUserIdentifier="Email",
            SingleSignOnUserValue="cy",
        ),
        "ValidationException",
        "UserName",
    )


def _pre_automount(studio, sm, d):
    settings = {"ExecutionRole": ROLE, "AutoMountHomeEFS": "DefaultAsDomain"}
    _refused(
        lambda: sm.update_domain(DomainId=d, DefaultUserSettings=settings),
        "ValidationException",
        "user profiles",
    )
    sm.create_user_profile(
        DomainId=d, UserProfileName="cy", UserSettings={"AutoMountHomeEFS": "DefaultAsDomain"}
    )


def _pre_app_owner(studio, sm, d):
    _space(sm, d, "lab")
    both = {
        "DomainId": d,
        "SpaceName": "lab",
        "UserProfileName": "ana",
        "AppType": "JupyterLab",
        "AppName": "default",
    }
    _refused(lambda: sm.create_app(**both), "ValidationException", "exactly one")
    _refused(lambda: sm.describe_app(**both), "ValidationException", "exactly one")


def _pre_list_apps(studio, sm, d):
    _refused(
        lambda: sm.list_apps(UserProfileNameEquals="ana", SpaceNameEquals="lab"),
        "ValidationException",
        "not both",
    )


def _pre_app_type(studio, sm, d):
    _space(sm, d, "lab")
    _refused(
        lambda: sm.update_space(
            DomainId=d, SpaceName="lab", SpaceSettings={"AppType": "CodeEditor"}
        ),
        "ValidationException",
        "cannot change",
    )


def _pre_presigned_iam(studio, sm, d):
    sso = _sso_domain(sm)
    sm.create_user_profile(
        DomainId=sso,
        UserProfileName="cy",
        SingleSignOnUserIdentifier="UserName",
        SingleSignOnUserValue="cy",
    )
    _refused(
        lambda: sm.create_presigned_domain_url(DomainId=sso, UserProfileName="cy"),
        "ValidationException",
        "IAM",
    )


def _pre_delete_properties(studio, sm, d):
    sm.create_image(ImageName="img", RoleArn=ROLE, Description="x")
    _refused(
        lambda: studio.unvalidated().update_image(ImageName="img", DeleteProperties=["RoleArn"]),
        "ValidationException",
        "RoleArn",
    )
    sm.update_image(ImageName="img", DeleteProperties=["Description"])
    assert "Description" not in sm.describe_image(ImageName="img")


def _pre_base64(studio, sm, d):
    _refused(
        lambda: sm.create_studio_lifecycle_config(
            StudioLifecycleConfigName="l",
            StudioLifecycleConfigContent="echo hi!",
            StudioLifecycleConfigAppType="JupyterLab",
        ),
        "ValidationException",
        "base64",
    )


def _pre_unused_to_delete(studio, sm, d):
    lcc = sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName="l",
        StudioLifecycleConfigContent=_script(),
        StudioLifecycleConfigAppType="JupyterLab",
    )["StudioLifecycleConfigArn"]
    sm.update_domain(
        DomainId=d,
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {"LifecycleConfigArns": [lcc]},
        },
    )
    _refused(
        lambda: sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="l"), "ResourceInUse", d
    )
    sm.update_domain(
        DomainId=d,
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {"LifecycleConfigArns": []},
        },
    )
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="l")


def _idle(**fields: Any) -> dict[str, Any]:
    return {"JupyterLabAppSettings": {"AppLifecycleManagement": {"IdleSettings": fields}}}


def _pre_idle_bounds(studio, sm, d):
    bad = _idle(
        LifecycleManagement="ENABLED", IdleTimeoutInMinutes=100, MinIdleTimeoutInMinutes=120
    )
    _refused(
        lambda: sm.update_domain(DomainId=d, DefaultUserSettings={"ExecutionRole": ROLE, **bad}),
        "ValidationException",
        "MinIdleTimeoutInMinutes",
    )
    swapped = _idle(MinIdleTimeoutInMinutes=300, MaxIdleTimeoutInMinutes=120)
    _refused(
        lambda: sm.create_user_profile(DomainId=d, UserProfileName="cy", UserSettings=swapped),
        "ValidationException",
        "Max",
    )


def _pre_space_idle(studio, sm, d):
    bounds = _idle(
        LifecycleManagement="ENABLED",
        IdleTimeoutInMinutes=90,
        MinIdleTimeoutInMinutes=60,
        MaxIdleTimeoutInMinutes=120,
    )
    sm.update_domain(DomainId=d, DefaultUserSettings={"ExecutionRole": ROLE, **bounds})
    own = {
        "JupyterLabAppSettings": {
            "AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": 180}}
        }
    }
    _refused(lambda: _space(sm, d, "lab", **own), "ValidationException", "180")
    own["JupyterLabAppSettings"]["AppLifecycleManagement"]["IdleSettings"][
        "IdleTimeoutInMinutes"
    ] = 100
    _space(sm, d, "lab", **own)


def _pre_default_ebs(studio, sm, d):
    storage = {
        "SpaceStorageSettings": {
            "DefaultEbsStorageSettings": {
                "DefaultEbsVolumeSizeInGb": 50,
                "MaximumEbsVolumeSizeInGb": 20,
            }
        }
    }
    _refused(
        lambda: sm.update_domain(
            DomainId=d, DefaultUserSettings={"ExecutionRole": ROLE, **storage}
        ),
        "ValidationException",
        "maximum",
    )


PRECONDITIONS: dict[str, Callable[[Any, Any, str], None]] = {
    "network-change-needs-no-apps": _pre_network,
    "network-change-not-with-rstudio": _pre_network_rstudio,
    "subnet-removal-needs-no-apps": _pre_subnets,
    "role-identity-change-needs-no-apps": _pre_role_identity,
    "home-efs-cannot-be-disabled": _pre_home_efs,
    "vpc-only-needs-security-groups": _pre_vpc_only,
    "rstudio-vpc-only-needs-sg-management": _pre_rstudio_vpc,
    "sso-fields-only-for-sso": _pre_sso_only,
    "sso-fields-required": _pre_sso_required,
    "sso-identifier-is-username": _pre_sso_identifier,
    "automount-default-as-domain": _pre_automount,
    "app-owner-exactly-one": _pre_app_owner,
    "list-apps-one-filter": _pre_list_apps,
    "space-app-type-fixed": _pre_app_type,
    "presigned-url-iam-only": _pre_presigned_iam,
    "image-delete-properties": _pre_delete_properties,
    "lifecycle-script-base64": _pre_base64,
    "lifecycle-config-unused-to-delete": _pre_unused_to_delete,
    "idle-timeout-within-bounds": _pre_idle_bounds,
    "space-idle-within-bounds": _pre_space_idle,
    "default-ebs-not-above-maximum": _pre_default_ebs,
}


@pytest.mark.parametrize("rule_id", sorted(PRECONDITIONS))
def test_preconditions_hold(studio, sm, domain_id, rule_id):
    PRECONDITIONS[rule_id](studio, sm, domain_id)


# ---------------------------------------------------------------------------- behaviours
def _instance(sm: Any, key: dict[str, Any]) -> str:
    return sm.describe_app(**key)["ResourceSpec"]["InstanceType"]


def _ebs(sm: Any, d: str, space: str) -> int:
    settings = sm.describe_space(DomainId=d, SpaceName=space)["SpaceSettings"]
    return settings["SpaceStorageSettings"]["EbsStorageSettings"]["EbsVolumeSizeInGb"]


def _user_defaults(sm: Any, d: str, app_settings: str) -> None:
    sm.update_domain(
        DomainId=d,
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            app_settings: {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
            "SpaceStorageSettings": {
                "DefaultEbsStorageSettings": {
                    "DefaultEbsVolumeSizeInGb": 10,
                    "MaximumEbsVolumeSizeInGb": 20,
                }
            },
        },
    )


def _shared_vs_private(app_type: str) -> Callable[..., None]:
    def probe(studio: Any, sm: Any, d: str) -> None:
        _user_defaults(sm, d, f"{app_type}AppSettings")
        _space(sm, d, "mine", app_type=app_type)
        _space(sm, d, "ours", sharing="Shared", app_type=app_type)
        assert _instance(sm, _start(sm, d, "mine", app_type)) == "ml.m5.large"
        assert _instance(sm, _start(sm, d, "ours", app_type)) == "ml.t3.medium"

    return probe


def _beh_storage_not_shared(studio, sm, d):
    _user_defaults(sm, d, "JupyterLabAppSettings")
    _space(sm, d, "mine")
    _space(sm, d, "ours", sharing="Shared")
    assert (_ebs(sm, d, "mine"), _ebs(sm, d, "ours")) == (10, 5)
    _refused(
        lambda: sm.update_space(
            DomainId=d,
            SpaceName="mine",
            SpaceSettings={
                "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 50}}
            },
        ),
        "ValidationException",
        "20",
    )
    sm.update_space(
        DomainId=d,
        SpaceName="ours",
        SpaceSettings={"SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 50}}},
    )


def _beh_default_space_settings(studio, sm, d):
    sm.update_domain(
        DomainId=d,
        DefaultSpaceSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.c5.large"}},
            "SpaceStorageSettings": {
                "DefaultEbsStorageSettings": {
                    "DefaultEbsVolumeSizeInGb": 30,
                    "MaximumEbsVolumeSizeInGb": 40,
                }
            },
        },
    )
    _space(sm, d, "mine")
    _space(sm, d, "ours", sharing="Shared")
    assert (_ebs(sm, d, "mine"), _ebs(sm, d, "ours")) == (5, 30)
    assert _instance(sm, _start(sm, d, "ours")) == "ml.c5.large"
    assert _instance(sm, _start(sm, d, "mine")) == "ml.t3.medium"


def _beh_case(studio, sm, d):
    sm.create_user_profile(DomainId=d, UserProfileName="Ana")
    assert sm.describe_user_profile(DomainId=d, UserProfileName="ana")["UserProfileName"] == "Ana"
    _refused(
        lambda: sm.create_user_profile(DomainId=d, UserProfileName="ANA"),
        "ResourceInUse",
        "case-insensitive",
    )


def _tags_of(sm: Any, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}


def _beh_domain_tags(studio, sm, d):
    tagged = sm.create_domain(
        DomainName="t",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE},
        Tags=[{"Key": "course", "Value": "ml101"}],
    )["DomainId"]
    _space(sm, tagged, "lab")
    arn = sm.create_app(
        DomainId=tagged,
        SpaceName="lab",
        AppType="JupyterLab",
        AppName="default",
        Tags=[{"Key": "mine", "Value": "yes"}],
    )["AppArn"]
    assert _tags_of(sm, arn) == {"course": "ml101", "mine": "yes"}


def _beh_profile_tags(studio, sm, d):
    sm.create_user_profile(
        DomainId=d, UserProfileName="ana", Tags=[{"Key": "team", "Value": "red"}]
    )
    _space(sm, d, "lab")
    _space(sm, d, "ours", owner="ana", sharing="Shared")
    arn = sm.create_app(DomainId=d, SpaceName="lab", AppType="JupyterLab", AppName="default")[
        "AppArn"
    ]
    assert _tags_of(sm, arn) == {"team": "red"}
    sm.delete_tags(
        ResourceArn=f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:user-profile/{d}/ana", TagKeys=["team"]
    )
    assert _tags_of(sm, arn) == {"team": "red"}, "deleted tags stay on apps already launched"


def _beh_restart(studio, sm, d):
    _space(sm, d, "lab")
    key = _start(sm, d, "lab")
    first = sm.describe_app(**key)["CreationTime"]
    tick = _clock(studio)
    for gap, same in ((1, True), (25, False)):
        sm.delete_app(**key)
        tick(hours=gap)
        sm.create_app(**key)
        assert (sm.describe_app(**key)["CreationTime"] == first) is same, f"restarted after {gap} h"


def _beh_health(studio, sm, d):
    _space(sm, d, "lab")
    key = _start(sm, d, "lab")
    _clock(studio)(hours=1)
    app = sm.describe_app(**key)
    assert app["LastUserActivityTimestamp"] == app["LastHealthCheckTimestamp"] > app["CreationTime"]


def _beh_immutable(studio, sm, d):
    sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName="l",
        StudioLifecycleConfigContent=_script(),
        StudioLifecycleConfigAppType="JupyterLab",
    )
    _clock(studio)(hours=1)
    described = sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="l")
    assert described["LastModifiedTime"] == described["CreationTime"]
    assert not hasattr(sm, "update_studio_lifecycle_config")  # no such operation in botocore


def _dev_vpc(studio, sm, d):
    ec2 = studio.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = {
        s["SubnetId"]
        for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    }
    described = sm.describe_domain(DomainId=d)
    assert described["VpcId"] == vpc and set(described["SubnetIds"]) == subnets


BEHAVIOURS: dict[str, Callable[[Any, Any, str], None]] = {
    "profile-names-case-insensitive": _beh_case,
    "user-settings-not-for-shared-JupyterLabAppSettings": _shared_vs_private("JupyterLab"),
    "user-settings-not-for-shared-CodeEditorAppSettings": _shared_vs_private("CodeEditor"),
    "user-settings-not-for-shared-SpaceStorageSettings": _beh_storage_not_shared,
    "default-space-settings-for-shared": _beh_default_space_settings,
    "domain-tags-on-apps": _beh_domain_tags,
    "profile-tags-on-apps": _beh_profile_tags,
    "app-restart-keeps-metadata": _beh_restart,
    "activity-equals-health-check": _beh_health,
    "lifecycle-configs-immutable": _beh_immutable,
    "domain-vpc-fallback": _dev_vpc,
}


@pytest.mark.parametrize("rule_id", sorted(BEHAVIOURS))
def test_behaviours_hold(studio, sm, domain_id, rule_id):
    BEHAVIOURS[rule_id](studio, sm, domain_id)


def test_every_row_has_a_probe():
    list_rows = {
        r.id for r in rules.RULES if r.kind == "default" and r.operations[0] in _RESULT_KEYS
    }
    probed = (
        list_rows
        | set(DEFAULT_PROBES)
        | {r.id for r in rules.RULES if r.kind in ("range", "filter")}
        | set(PRECONDITIONS)
        | set(BEHAVIOURS)
    )
    unprobed = {r.id for r in rules.RULES} - probed
    # ExecutionRole of a shared space is not visible through any API call
    assert unprobed == {"user-settings-not-for-shared-ExecutionRole"}
    assert not probed - {r.id for r in rules.RULES}, "probes of rows that are gone"


def test_deviations_are_listed_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for row in rules.RULES:
        if row.kind == "deviation":
            assert row.id in readme, f"README should list the deviation {row.id}"
