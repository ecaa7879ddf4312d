"""AWS's recommended Studio user policy, as shipped, deciding the Studio flows.

The requests are built as the mock's call sites build them (the ARN of the resource, and
the condition keys AWS's Service Authorization Reference lists for the action), and are
decided through ``studio_mock.access``, the same path a boto3 call takes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from studio_mock.access import Caller, authorize, decide
from studio_mock.clock import clock
from studio_mock.exceptions import AccessDeniedException
from studio_mock.iam import STUDIO_USER_POLICY, load_policy, studio_user_policy

ACCOUNT, REGION, DOMAIN = "123456789012", "us-east-1", "d-course1"
ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"


def caller(profile: str, domain: str = DOMAIN, policy: Any = None) -> Caller:
    chosen = load_policy(policy) if policy is not None else None
    return Caller(ACCOUNT, REGION, domain, profile, "StudioExecutionRole", chosen)


def profile_arn(name: str, domain: str = DOMAIN) -> str:
    return f"{ARN}:user-profile/{domain}/{name}"


def space(name: str, domain: str = DOMAIN) -> str:
    return f"{ARN}:space/{domain}/{name}"


def app(owner: str, domain: str = DOMAIN, app_type: str = "jupyterlab") -> str:
    return f"{ARN}:app/{domain}/{owner}/{app_type}/default"


def keys(owner: str | None, sharing: str | None) -> dict[str, str]:
    found = {"sagemaker:OwnerUserProfileArn": profile_arn(owner) if owner else None}
    found["sagemaker:SpaceSharingType"] = sharing
    return {k: v for k, v in found.items() if v is not None}


PRIVATE_ANA = keys("ana", "Private")  # ana's private space "ana-lab"
SHARED_ANA = keys("ana", "Shared")  # the shared space "team", which ana owns
SHARED_NOBODY = keys(None, "Shared")  # a shared space created without an owner
OWNER = "SMStudioRestrictSpacesToOwnerUserProfile"
PRIVATE_APPS = "SMStudioRestrictCreatePrivateSpaceAppsToOwnerUserProfile"
SHARED_APPS = "AllowAppActionsForSharedSpaces"
READ = "SMStudioAppPermissionsListAndDescribe"


@pytest.mark.parametrize(
    "who, action, resource, context, sid",
    [
        # reading is open: anyone may list and describe every space (FACTS: visibility)
        ("ben", "ListSpaces", "*", {}, READ),
        ("ben", "DescribeSpace", space("ana-lab"), {}, READ),
        ("ben", "DescribeApp", app("ana-lab"), {}, READ),
        ("ben", "DescribeUserProfile", profile_arn("ana"), {}, READ),
        # a private space: its owner only
        ("ana", "UpdateSpace", space("ana-lab"), PRIVATE_ANA, OWNER),
        ("ana", "DeleteSpace", space("ana-lab"), PRIVATE_ANA, OWNER),
        ("ben", "UpdateSpace", space("ana-lab"), PRIVATE_ANA, None),
        ("ben", "DeleteSpace", space("ana-lab"), PRIVATE_ANA, None),
        ("ana", "CreateApp", app("ana-lab"), PRIVATE_ANA, PRIVATE_APPS),
        ("ana", "DeleteApp", app("ana-lab"), PRIVATE_ANA, PRIVATE_APPS),
        ("ben", "CreateApp", app("ana-lab"), PRIVATE_ANA, None),
        ("ben", "DeleteApp", app("ana-lab"), PRIVATE_ANA, None),
        # a shared space: anyone starts and stops its app, only its owner changes it
        ("ben", "CreateApp", app("team"), SHARED_ANA, SHARED_APPS),
        ("ben", "DeleteApp", app("team"), SHARED_ANA, SHARED_APPS),
        ("ana", "CreateApp", app("team"), SHARED_ANA, SHARED_APPS),
        ("ben", "UpdateSpace", space("team"), SHARED_ANA, None),
        ("ben", "DeleteSpace", space("team"), SHARED_ANA, None),
        ("ana", "DeleteSpace", space("team"), SHARED_ANA, OWNER),
        # a shared space without an owner: anyone in the domain manages it
        (
            "ben",
            "DeleteSpace",
            space("open"),
            SHARED_NOBODY,
            "SMStudioRestrictSharedSpacesWithoutOwners",
        ),
        # creating: a space for oneself, not for someone else
        ("ben", "CreateSpace", space("ben-lab"), keys("ben", "Private"), OWNER),
        ("ben", "CreateSpace", space("ben-team"), keys("ben", "Shared"), OWNER),
        ("ben", "CreateSpace", space("for-ana"), PRIVATE_ANA, None),
        # apps that belong to no space (no OwnerUserProfileArn in the request)
        (
            "ben",
            "CreateApp",
            app("ben", app_type="canvas"),
            {},
            "SMStudioUserProfileAppPermissionsCreateAndDelete",
        ),
        # another domain: every space and app ARN is scoped to ${sagemaker:DomainId}
        ("ben", "DeleteSpace", space("open", "d-other"), SHARED_NOBODY, None),
        ("ben", "CreateApp", app("team", "d-other"), SHARED_ANA, None),
        ("ben", "UpdateSpace", space("ben-lab", "d-other"), keys("ben", "Private"), None),
        # presigned URLs: for one's own profile only
        (
            "ben",
            "CreatePresignedDomainUrl",
            profile_arn("ben"),
            {},
            "SMStudioCreatePresignedDomainUrlForUserProfile",
        ),
        ("ben", "CreatePresignedDomainUrl", profile_arn("ana"), {}, None),
        ("ben", "CreatePresignedDomainUrl", profile_arn("ben", "d-other"), {}, None),
        # tags: only as part of a create (sagemaker:TaggingAction is then in the request)
        (
            "ben",
            "AddTags",
            space("ben-lab"),
            {
                "sagemaker:TaggingAction": "CreateSpace",
                "aws:RequestTag/project": "x",
                "aws:TagKeys": ["project"],
            },
            "SMStudioAppPermissionsTagOnCreate",
        ),
        (
            "ben",
            "AddTags",
            space("ben-lab"),
            {"aws:RequestTag/project": "x", "aws:TagKeys": ["project"]},
            None,
        ),
        ("ben", "AddTags", space("ana-lab"), {"aws:TagKeys": ["project"]}, None),
        ("ben", "ListTags", space("ben-lab"), {}, None),
        ("ben", "DeleteTags", space("ben-lab"), {"aws:TagKeys": ["project"]}, None),
        # administration is for administrators
        ("ben", "CreateDomain", "*", {}, None),
        ("ben", "UpdateDomain", f"{ARN}:domain/{DOMAIN}", {}, None),
        ("ben", "CreateUserProfile", profile_arn("cy"), {}, None),
        ("ben", "UpdateUserProfile", profile_arn("ben"), {}, None),
        ("ben", "CreateImage", "*", {}, None),
        ("ben", "ListImages", "*", {}, None),
    ],
)
def test_studio_flows_under_the_recommended_policy(who, action, resource, context, sid):
    result = decide(caller(who), action, resource, context)
    assert result.allowed is (sid is not None), result.explain()
    assert result.sid == sid
    if sid is None:
        with pytest.raises(AccessDeniedException, match="because no identity-based policy allows"):
            authorize(caller(who), action, resource, context)
    else:
        authorize(caller(who), action, resource, context)


def test_the_shipped_file_is_the_policy_aws_publishes():
    document = json.loads(STUDIO_USER_POLICY.read_text())
    assert document["Version"] == "2012-10-17"
    sids = [s["Sid"] for s in document["Statement"]]
    assert sids == [
        "SMStudioUserProfileAppPermissionsCreateAndDelete",
        "SMStudioCreatePresignedDomainUrlForUserProfile",
        "SMStudioAppPermissionsListAndDescribe",
        "SMStudioAppPermissionsTagOnCreate",
        "SMStudioRestrictSharedSpacesWithoutOwners",
        "SMStudioRestrictSpacesToOwnerUserProfile",
        "SMStudioRestrictCreatePrivateSpaceAppsToOwnerUserProfile",
        "AllowAppActionsForSharedSpaces",
    ]
    assert all(s["Effect"] == "Allow" for s in document["Statement"])
    actions = {a for s in document["Statement"] for a in s["Action"]}
    assert "sagemaker:ListTags" not in actions and "sagemaker:DeleteTags" not in actions
    tagging = document["Statement"][3]
    assert tagging["Condition"] == {"Null": {"sagemaker:TaggingAction": "false"}}
    # as published, with the two values an administrator fills in left as placeholders
    placeholders = {
        w.message.split("placeholder ")[1].split(":")[0]
        for w in load_policy(STUDIO_USER_POLICY).warnings
    }
    assert placeholders == {"{{Region}}"}  # reported once per resource, Region first
    assert studio_user_policy(REGION, ACCOUNT).warnings == ()


def test_the_policy_is_filled_in_for_the_callers_region_and_account():
    policy = studio_user_policy("eu-west-1", "111122223333")
    statement = policy.statements[1]
    assert statement.resources[0].source == (
        "arn:aws:sagemaker:eu-west-1:111122223333:user-profile/${sagemaker:DomainId}/"
        "${sagemaker:UserProfileName}"
    )
    here = Caller("111122223333", "eu-west-1", DOMAIN, "ben", "Role")
    own = f"arn:aws:sagemaker:eu-west-1:111122223333:user-profile/{DOMAIN}/ben"
    assert decide(here, "CreatePresignedDomainUrl", own).allowed
    assert not decide(here, "CreatePresignedDomainUrl", profile_arn("ben")).allowed


def test_the_older_keyword_arguments_mean_the_same_as_the_context_dict():
    for who in ("ana", "ben"):
        for sharing in ("Private", "Shared"):
            old = new = None
            try:
                authorize(
                    caller(who),
                    "DeleteSpace",
                    space("x"),
                    owner_user_profile_arn=profile_arn("ana"),
                    space_sharing_type=sharing,
                )
            except AccessDeniedException as err:
                old = str(err)
            try:
                authorize(caller(who), "DeleteSpace", space("x"), keys("ana", sharing))
            except AccessDeniedException as err:
                new = str(err)
            assert old == new
    assert decide(caller("ben"), "sagemaker:ListSpaces", "*").allowed  # prefix optional


def test_denials_use_iams_wording():
    with pytest.raises(AccessDeniedException) as excinfo:
        authorize(caller("ben"), "DeleteSpace", space("ana-lab"), PRIVATE_ANA)
    assert str(excinfo.value.message) == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/StudioExecutionRole/SageMaker is not "
        f"authorized to perform: sagemaker:DeleteSpace on resource: {space('ana-lab')} "
        "because no identity-based policy allows the sagemaker:DeleteSpace action"
    )
    no_deletes = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"},
            {"Sid": "NoDeletes", "Effect": "Deny", "Action": "sagemaker:Delete*", "Resource": "*"},
        ],
    }
    with pytest.raises(AccessDeniedException) as excinfo:
        authorize(caller("ben", policy=no_deletes), "DeleteSpace", space("ana-lab"), PRIVATE_ANA)
    assert str(excinfo.value.message).endswith(
        f"sagemaker:DeleteSpace on resource: {space('ana-lab')} with an explicit deny in an "
        "identity-based policy"
    )
    assert decide(caller("ben", policy=no_deletes), "DeleteSpace", space("x")).sid == "NoDeletes"


def test_the_administrator_is_not_evaluated():
    authorize(None, "DeleteDomain", f"{ARN}:domain/{DOMAIN}")
    authorize(None, "ListTags", space("ana-lab"))


def test_keys_an_action_cannot_carry_are_left_out_of_its_request():
    # CreatePresignedDomainUrl carries no condition keys (Service Authorization
    # Reference); a call site passing one must not change the decision.
    strict = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "sagemaker:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"sagemaker:SpaceSharingType": "Private"}},
            },
        ],
    }
    ben = caller("ben", policy=strict)
    assert decide(ben, "CreatePresignedDomainUrl", profile_arn("ben"), PRIVATE_ANA).allowed
    assert not decide(ben, "DeleteSpace", space("ana-lab"), PRIVATE_ANA).allowed
    # resource tags exist only for actions on a resource; ListSpaces has none
    tagged = {"aws:ResourceTag/team": "blue"}
    only_blue = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sagemaker:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}},
            }
        ],
    }
    assert decide(caller("ben", policy=only_blue), "DescribeSpace", space("x"), tagged).allowed
    assert not decide(caller("ben", policy=only_blue), "ListSpaces", "*", tagged).allowed


def test_every_request_names_the_calling_profile_and_the_simulated_time():
    deadline = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sagemaker:ListSpaces",
                "Resource": "*",
                "Condition": {
                    "DateLessThan": {"aws:CurrentTime": "2000-01-01T00:00:00Z"},
                },
            },
            {
                "Effect": "Allow",
                "Action": "sagemaker:DescribeSpace",
                "Resource": f"{ARN}:space/${{sagemaker:DomainId}}/${{sagemaker:UserProfileName}}-*",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
            },
        ],
    }
    ben = caller("ben", policy=deadline)
    assert not decide(ben, "ListSpaces", "*").allowed  # the simulated clock is past 2000
    assert decide(ben, "DescribeSpace", space("ben-notes")).allowed
    assert not decide(ben, "DescribeSpace", space("ana-notes")).allowed
    later = {
        **deadline,
        "Statement": [
            {
                **deadline["Statement"][0],
                "Condition": {"DateGreaterThan": {"aws:CurrentTime": clock.now().isoformat()}},
            }
        ],
    }
    try:
        assert not decide(caller("ben", policy=later), "ListSpaces", "*").allowed
        clock.advance(minutes=1)
        assert decide(caller("ben", policy=later), "ListSpaces", "*").allowed
    finally:
        clock.reset()


def test_an_explanation_shows_the_variables_filled_in():
    text = decide(caller("ben"), "DeleteSpace", space("ana-lab"), PRIVATE_ANA).explain()
    assert text.startswith(f"sagemaker:DeleteSpace on {space('ana-lab')}: implicitly denied")
    owner_line = next(line for line in text.splitlines() if OWNER in line)
    assert f"the request has sagemaker:OwnerUserProfileArn = '{profile_arn('ana')}'" in owner_line
    assert f"the policy's values here are ['{profile_arn('ben')}']" in owner_line
