"""Wrong parameters a learner might pass: the exact AWS error code, a message that names
what to fix, and never an HTTP 500."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError
from conftest import ROLE

MISSING_DOMAIN = "d-" + "0" * 12
BAD_TOKEN = "not-a-token"


@dataclass(frozen=True)
class Case:
    id: str
    call: Callable[[Any, str], Any]  # (client, domain_id) -> response
    code: str  # an AWS error code, or "ParamValidationError" when botocore stops it
    keyword: str  # something the message must name
    sendable: bool = True  # False: botocore cannot even serialize it, so no server check


def storage(size: int | str) -> dict[str, Any]:
    return {"SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": size}}}


def space(name: str, owner: str = "ana", sharing: str = "Private", **settings: Any) -> Any:
    def call(sm: Any, d: str) -> Any:
        return sm.create_space(
            DomainId=d,
            SpaceName=name,
            OwnershipSettings={"OwnerUserProfileName": owner},
            SpaceSharingSettings={"SharingType": sharing},
            SpaceSettings={"AppType": "JupyterLab", **settings},
        )

    return call


def lab(d: str, space_name: str = "lab", **extra: Any) -> dict[str, Any]:
    return {"DomainId": d, "SpaceName": space_name, "AppType": "JupyterLab", "AppName": "default"}


CASES = [
    # ---------------------------------------------------------------- unknown things
    Case(
        "describe-unknown-domain",
        lambda sm, d: sm.describe_domain(DomainId=MISSING_DOMAIN),
        "ResourceNotFound",
        MISSING_DOMAIN,
    ),
    Case(
        "profile-in-unknown-domain",
        lambda sm, d: sm.create_user_profile(DomainId=MISSING_DOMAIN, UserProfileName="cy"),
        "ResourceNotFound",
        MISSING_DOMAIN,
    ),
    Case(
        "space-in-unknown-domain",
        lambda sm, d: space("lab2")(sm, MISSING_DOMAIN),
        "ResourceNotFound",
        MISSING_DOMAIN,
    ),
    Case(
        "describe-unknown-profile",
        lambda sm, d: sm.describe_user_profile(DomainId=d, UserProfileName="nobody"),
        "ResourceNotFound",
        "nobody",
    ),
    Case(
        "space-owned-by-unknown-profile",
        space("lab2", owner="nobody"),
        "ResourceNotFound",
        "nobody",
    ),
    Case(
        "describe-unknown-space",
        lambda sm, d: sm.describe_space(DomainId=d, SpaceName="nowhere"),
        "ResourceNotFound",
        "nowhere",
    ),
    Case(
        "app-in-unknown-space",
        lambda sm, d: sm.create_app(**lab(d, "nowhere")),
        "ResourceNotFound",
        "nowhere",
    ),
    Case(
        "describe-unknown-app",
        lambda sm, d: sm.describe_app(
            DomainId=d, SpaceName="lab", AppType="JupyterLab", AppName="other"
        ),  # fmt: skip
        "ResourceNotFound",
        "other",
    ),
    Case(
        "describe-unknown-image",
        lambda sm, d: sm.describe_image(ImageName="no-such-image"),
        "ResourceNotFound",
        "no-such-image",
    ),
    Case(
        "presigned-url-unknown-profile",
        lambda sm, d: sm.create_presigned_domain_url(DomainId=d, UserProfileName="nobody"),
        "ResourceNotFound",
        "nobody",
    ),
    # ---------------------------------------------------------------- name patterns and enums
    Case(
        "domain-name-with-underscore",
        lambda sm, d: sm.create_domain(
            DomainName="my_domain", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        ),  # fmt: skip
        "ValidationException",
        "domainName",
    ),
    Case(
        "profile-name-with-dot",
        lambda sm, d: sm.create_user_profile(DomainId=d, UserProfileName="ana.smith"),
        "ValidationException",
        "userProfileName",
    ),
    Case(
        "space-name-with-space",
        space("my lab"),
        "ValidationException",
        "spaceName",
    ),
    Case(
        "domain-id-not-d-prefixed",
        lambda sm, d: sm.describe_domain(DomainId="course"),
        "ValidationException",
        "domainId",
    ),
    Case(
        "auth-mode-not-in-enum",
        lambda sm, d: sm.create_domain(
            DomainName="ldap", AuthMode="LDAP", DefaultUserSettings={"ExecutionRole": ROLE}
        ),  # fmt: skip
        "ValidationException",
        "authMode",
    ),
    Case(
        "instance-type-not-in-enum",
        lambda sm, d: sm.create_app(**lab(d, "lab2"), ResourceSpec={"InstanceType": "ml.huge"}),
        "ValidationException",
        "instanceType",
    ),
    Case(
        "sharing-type-not-in-enum",
        space("lab2", sharing="Public"),
        "ValidationException",
        "sharingType",
    ),
    # ---------------------------------------------------------------- apps
    Case(
        "app-with-both-profile-and-space",
        lambda sm, d: sm.create_app(**lab(d), UserProfileName="ana"),
        "ValidationException",
        "UserProfileName",
    ),
    Case(
        "app-with-neither-profile-nor-space",
        lambda sm, d: sm.create_app(DomainId=d, AppType="JupyterLab", AppName="default"),
        "ValidationException",
        "SpaceName",
    ),
    Case(
        "second-app-in-a-space",
        lambda sm, d: sm.create_app(**{**lab(d), "AppName": "second"}),
        "ResourceInUse",
        "DeleteApp",
    ),
    Case(
        "code-editor-app-in-jupyterlab-space",
        lambda sm, d: sm.create_app(**{**lab(d, "lab2"), "AppType": "CodeEditor"}),
        "ValidationException",
        "JupyterLab",
    ),
    Case(
        "jupyterlab-app-for-a-profile",
        lambda sm, d: sm.create_app(
            DomainId=d, UserProfileName="ana", AppType="JupyterLab", AppName="default"
        ),  # fmt: skip
        "ValidationException",
        "SpaceName",
    ),
    Case(
        "kernel-gateway-app",
        lambda sm, d: sm.create_app(
            DomainId=d, UserProfileName="ana", AppType="KernelGateway", AppName="default"
        ),  # fmt: skip
        "ValidationException",
        "deprecated",
    ),
    Case(
        "rstudio-without-license-settings",
        lambda sm, d: sm.create_app(
            DomainId=d, UserProfileName="ana", AppType="RStudioServerPro", AppName="default"
        ),  # fmt: skip
        "ValidationException",
        "RStudioServerProDomainSettings",
    ),
    Case(
        "list-apps-by-profile-and-space",
        lambda sm, d: sm.list_apps(UserProfileNameEquals="ana", SpaceNameEquals="lab"),
        "ValidationException",
        "SpaceNameEquals",
    ),
    # ---------------------------------------------------------------- spaces
    Case(
        "ebs-over-the-maximum",
        space("big", **storage(500)),
        "ValidationException",
        "100",
    ),
    Case(
        "ebs-under-the-api-minimum",
        space("tiny", **storage(4)),
        "ParamValidationError",
        "EbsVolumeSizeInGb",
    ),
    Case(
        "ebs-over-the-api-maximum",
        space("huge", **storage(16385)),
        "ValidationException",
        "ebsVolumeSizeInGb",
    ),
    Case(
        "shrink-a-space",
        lambda sm, d: sm.update_space(DomainId=d, SpaceName="lab", SpaceSettings=storage(5)),
        "ValidationException",
        "EbsVolumeSizeInGb",
    ),
    Case(
        "canvas-space",
        lambda sm, d: sm.create_space(
            DomainId=d,
            SpaceName="canvas",
            OwnershipSettings={"OwnerUserProfileName": "ana"},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "Canvas"},
        ),
        "ValidationException",
        "Canvas",
    ),
    Case(
        "owned-space-without-app-type",
        lambda sm, d: sm.create_space(
            DomainId=d,
            SpaceName="lab2-untyped",
            OwnershipSettings={"OwnerUserProfileName": "ana"},
            SpaceSharingSettings={"SharingType": "Private"},
        ),
        "ValidationException",
        "AppType",
    ),
    Case(
        "code-editor-settings-on-jupyterlab-space",
        space("lab3", CodeEditorAppSettings={}),
        "ValidationException",
        "CodeEditorAppSettings",
    ),
    Case(
        "change-app-type",
        lambda sm, d: sm.update_space(
            DomainId=d, SpaceName="lab", SpaceSettings={"AppType": "CodeEditor"}
        ),  # fmt: skip
        "ValidationException",
        "AppType",
    ),
    Case(
        "change-owner-with-update-space",
        lambda sm, d: sm.update_space(
            DomainId=d, SpaceName="lab", OwnershipSettings={"OwnerUserProfileName": "ben"}
        ),  # fmt: skip
        "ParamValidationError",
        "OwnershipSettings",
        sendable=False,
    ),
    Case(
        "duplicate-space",
        space("lab"),
        "ResourceInUse",
        "lab",
    ),
    Case(
        "unknown-custom-efs",
        space(
            "lab-efs",
            CustomFileSystems=[{"EFSFileSystem": {"FileSystemId": "fs-0123456789abcdef0"}}],
        ),
        "ValidationException",
        "fs-0123456789abcdef0",
    ),
    Case(
        "delete-space-with-running-app",
        lambda sm, d: sm.delete_space(DomainId=d, SpaceName="lab"),
        "ResourceInUse",
        "DeleteApp",
    ),
    # ---------------------------------------------------------------- domains and profiles
    Case(
        "delete-domain-with-profiles",
        lambda sm, d: sm.delete_domain(DomainId=d),
        "ResourceInUse",
        "ana",
    ),
    Case(
        "delete-profile-owning-a-space",
        lambda sm, d: sm.delete_user_profile(DomainId=d, UserProfileName="ana"),
        "ResourceInUse",
        "lab",
    ),
    Case(
        "duplicate-profile-other-case",
        lambda sm, d: sm.create_user_profile(DomainId=d, UserProfileName="ANA"),
        "ResourceInUse",
        "ANA",
    ),
    Case(
        "home-efs-enabled-to-disabled",
        lambda sm, d: sm.update_domain(DomainId=d, HomeEfsFileSystemCreation="Disabled"),
        "ValidationException",
        "HomeEfsFileSystemCreation",
    ),
    Case(
        "default-ebs-above-maximum",
        lambda sm, d: sm.update_domain(
            DomainId=d,
            DefaultUserSettings={
                "SpaceStorageSettings": {
                    "DefaultEbsStorageSettings": {
                        "DefaultEbsVolumeSizeInGb": 50,
                        "MaximumEbsVolumeSizeInGb": 20,
                    }
                }
            },
        ),
        "ValidationException",
        "DefaultEbsStorageSettings",
    ),
    Case(
        "duplicate-domain-name",
        lambda sm, d: sm.create_domain(
            DomainName="course", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        ),  # fmt: skip
        "ResourceInUse",
        "course",
    ),
    # ---------------------------------------------------------------- lists and pages
    Case(
        "max-results-zero",
        lambda sm, d: sm.list_spaces(MaxResults=0),
        "ParamValidationError",
        "MaxResults",
    ),
    Case(
        "max-results-101",
        lambda sm, d: sm.list_spaces(MaxResults=101),
        "ValidationException",
        "maxResults",
    ),
    Case(
        "max-results-101-profiles",
        lambda sm, d: sm.list_user_profiles(MaxResults=101),
        "ValidationException",
        "maxResults",
    ),
    Case(
        "invalid-next-token",
        lambda sm, d: sm.list_spaces(NextToken=BAD_TOKEN),
        "ValidationException",
        "NextToken",
    ),
    Case(
        "sort-by-not-in-enum",
        lambda sm, d: sm.list_spaces(SortBy="Name"),
        "ValidationException",
        "sortBy",
    ),
    # ---------------------------------------------------------------- presigned URLs
    Case(
        "presigned-url-expires-over-300",
        lambda sm, d: sm.create_presigned_domain_url(
            DomainId=d, UserProfileName="ana", ExpiresInSeconds=600
        ),  # fmt: skip
        "ValidationException",
        "expiresInSeconds",
    ),
    Case(
        "presigned-url-expires-under-5",
        lambda sm, d: sm.create_presigned_domain_url(
            DomainId=d, UserProfileName="ana", ExpiresInSeconds=1
        ),  # fmt: skip
        "ParamValidationError",
        "ExpiresInSeconds",
    ),
    Case(
        "presigned-url-bad-landing-uri",
        lambda sm, d: sm.create_presigned_domain_url(
            DomainId=d, UserProfileName="ana", SpaceName="lab", LandingUri="x" * 1024
        ),  # fmt: skip
        "ValidationException",
        "landingUri",
    ),
    # ---------------------------------------------------------------- images
    Case(
        "base-image-not-an-ecr-uri",
        lambda sm, d: sm.create_image_version(
            ImageName="team-image", BaseImage="ubuntu:22.04", ClientToken="t"
        ),  # fmt: skip
        "ValidationException",
        "BaseImage",
    ),
    Case(
        "attach-missing-image",
        lambda sm, d: sm.update_domain(
            DomainId=d,
            DefaultUserSettings={
                "JupyterLabAppSettings": {
                    "CustomImages": [{"ImageName": "ghost", "AppImageConfigName": "lab-config"}]
                }
            },
        ),
        "ResourceNotFound",
        "ghost",
    ),
    Case(
        "two-kinds-of-app-image-config",
        lambda sm, d: sm.create_app_image_config(
            AppImageConfigName="both", JupyterLabAppImageConfig={}, CodeEditorAppImageConfig={}
        ),
        "ValidationException",
        "JupyterLabAppImageConfig",
    ),
]


@pytest.fixture
def world(sm: Any, domain_id: str, make_space: Callable[..., str]) -> str:
    """ana with a private JupyterLab space 'lab' running its app, an empty JupyterLab space
    'lab2', ben, an image 'team-image' and an app image config 'lab-config'."""
    make_space("lab", owner="ana", **storage(20))
    make_space("lab2", owner="ana")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ben")
    sm.create_app(**lab(domain_id))
    sm.create_image(ImageName="team-image", RoleArn=ROLE)
    sm.create_app_image_config(AppImageConfigName="lab-config", JupyterLabAppImageConfig={})
    return domain_id


def assert_client_error(excinfo: pytest.ExceptionInfo[Any], code: str, keyword: str) -> None:
    response = excinfo.value.response
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    assert status < 500, f"HTTP {status}: {response['Error']}"
    assert status >= 400
    assert response["Error"]["Code"] == code, response["Error"]
    assert keyword.lower() in response["Error"]["Message"].lower(), response["Error"]["Message"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_the_aws_error_and_names_what_to_fix(sm, world, case):
    if case.code == "ParamValidationError":
        with pytest.raises(ParamValidationError) as excinfo:
            case.call(sm, world)
        assert case.keyword in str(excinfo.value)
        return
    with pytest.raises(ClientError) as excinfo:
        case.call(sm, world)
    assert_client_error(excinfo, case.code, case.keyword)


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.code == "ParamValidationError" and c.sendable],
    ids=[c.id for c in CASES if c.code == "ParamValidationError" and c.sendable],
)
def test_the_server_rejects_what_botocore_would_have_stopped(studio, world, case):
    with pytest.raises(ClientError) as excinfo:
        case.call(studio.unvalidated(), world)
    keyword = case.keyword[:1].lower() + case.keyword[1:]
    assert_client_error(excinfo, "ValidationException", keyword)


def send_raw(studio: Any, operation: str, body: str) -> Any:
    """Call ``operation`` with ``body`` as the exact JSON the server receives."""
    client = studio.unvalidated()

    def swap(request: Any, **_: Any) -> None:
        request.data = body.encode()

    client.meta.events.register(f"before-sign.sagemaker.{operation}", swap)
    return getattr(client, xform_name(operation))()


# (id, operation, JSON body with {d} for the domain id, member the message must name)
MISSING_OR_INVALID = [
    ("create-domain-no-name", "CreateDomain",
     {"AuthMode": "IAM", "DefaultUserSettings": {}}, "domainName"),
    ("create-space-no-name", "CreateSpace", {"DomainId": "{d}"}, "spaceName"),
    ("create-app-no-app-type", "CreateApp",
     {"DomainId": "{d}", "SpaceName": "lab2", "AppName": "default"}, "appType"),
    ("delete-app-no-app-name", "DeleteApp",
     {"DomainId": "{d}", "SpaceName": "lab", "AppType": "JupyterLab"}, "appName"),
    ("presigned-url-no-profile", "CreatePresignedDomainUrl", {"DomainId": "{d}"},
     "userProfileName"),
    ("update-domain-no-id", "UpdateDomain", {}, "domainId"),
    ("list-apps-max-results-negative", "ListApps", {"MaxResults": -1}, "maxResults"),
    ("create-space-ebs-zero", "CreateSpace",
     {"DomainId": "{d}", "SpaceName": "zero", "OwnershipSettings": {"OwnerUserProfileName": "ana"},
      "SpaceSharingSettings": {"SharingType": "Private"},
      "SpaceSettings": {"AppType": "JupyterLab",
                        "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 0}}}},
     "ebsVolumeSizeInGb"),
]  # fmt: skip

# Wrong JSON types: AWS answers SerializationException (or ValidationException), never a 500.
WRONG_TYPES = [
    ("create-domain-settings-a-string", "CreateDomain",
     {"DomainName": "x", "AuthMode": "IAM", "DefaultUserSettings": "role"}),
    ("create-space-settings-a-list", "CreateSpace",
     {"DomainId": "{d}", "SpaceName": "x", "SpaceSettings": ["JupyterLab"]}),
    ("create-space-ebs-a-string", "CreateSpace",
     {"DomainId": "{d}", "SpaceName": "x", "OwnershipSettings": {"OwnerUserProfileName": "ana"},
      "SpaceSharingSettings": {"SharingType": "Private"},
      "SpaceSettings": {"AppType": "JupyterLab", **storage("ten")}}),
    ("describe-space-domain-id-a-number", "DescribeSpace", {"DomainId": 42, "SpaceName": "lab"}),
    ("list-spaces-max-results-a-string", "ListSpaces", {"MaxResults": "ten"}),
    ("create-user-profile-tags-a-map", "CreateUserProfile",
     {"DomainId": "{d}", "UserProfileName": "cy", "Tags": {"team": "a"}}),
]  # fmt: skip


def body_for(params: dict[str, Any], domain_id: str) -> str:
    return json.dumps(params).replace("{d}", domain_id)


@pytest.mark.parametrize(
    ("operation", "params", "keyword"),
    [g[1:] for g in MISSING_OR_INVALID],
    ids=[g[0] for g in MISSING_OR_INVALID],
)
def test_missing_or_out_of_range_members_are_validation_exceptions(
    studio, world, operation, params, keyword
):
    with pytest.raises(ClientError) as excinfo:
        send_raw(studio, operation, body_for(params, world))
    assert_client_error(excinfo, "ValidationException", keyword)


@pytest.mark.parametrize(
    ("operation", "params"), [g[1:] for g in WRONG_TYPES], ids=[g[0] for g in WRONG_TYPES]
)
def test_wrong_json_types_are_client_errors_not_500(studio, world, operation, params):
    with pytest.raises(ClientError) as excinfo:
        send_raw(studio, operation, body_for(params, world))
    response = excinfo.value.response
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    assert status < 500, f"HTTP {status}: {response['Error']}"
    assert response["Error"]["Code"] in ("SerializationException", "ValidationException")


@pytest.mark.parametrize("body", ["[]", '"a string"', "42"])
def test_a_body_that_is_not_a_json_object_is_not_500(studio, world, body):
    with pytest.raises(ClientError) as excinfo:
        send_raw(studio, "ListSpaces", body)
    response = excinfo.value.response
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    assert 400 <= status < 500, f"HTTP {status}: {response['Error']}"
    assert response["Error"]["Code"] in ("SerializationException", "ValidationException")


def test_nothing_changed_after_the_bad_calls(sm, world):
    for case in CASES:
        with contextlib.suppress(ClientError, ParamValidationError):
            case.call(sm, world)
    spaces = sorted(s["SpaceName"] for s in sm.list_spaces(DomainIdEquals=world)["Spaces"])
    assert spaces == ["lab", "lab2"]
    profiles = sm.list_user_profiles(DomainIdEquals=world)["UserProfiles"]
    assert sorted(p["UserProfileName"] for p in profiles) == ["ana", "ben"]
    apps = sm.list_apps(DomainIdEquals=world)["Apps"]
    assert [(a["SpaceName"], a["Status"]) for a in apps] == [("lab", "InService")]
    lab_space = sm.describe_space(DomainId=world, SpaceName="lab")
    size = lab_space["SpaceSettings"]["SpaceStorageSettings"]["EbsStorageSettings"]
    assert size["EbsVolumeSizeInGb"] == 20
    assert lab_space["SpaceSettings"]["AppType"] == "JupyterLab"
    assert [d["DomainName"] for d in sm.list_domains()["Domains"]] == ["course"]
