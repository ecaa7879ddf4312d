"""Calls made as a user profile, decided by its IAM policy: AWS's recommended Studio user
policy (studio_mock/iam/policies/studio-user.json) unless the session was given another."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from conftest import ROLE, error_of

from studio_mock import user_session
from studio_mock.iam import PolicyError, PolicyWarning


@pytest.fixture
def people(sm, domain_id, make_space) -> dict[str, Any]:
    """ana owns a private space 'ana-lab' and a shared space 'team'; ben owns nothing."""
    make_space("ana-lab", owner="ana")
    make_space("team", owner="ana", sharing="Shared")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ben")
    return {
        "private_arn": sm.describe_space(DomainId=domain_id, SpaceName="ana-lab")["SpaceArn"],
        "shared_arn": sm.describe_space(DomainId=domain_id, SpaceName="team")["SpaceArn"],
    }


@pytest.fixture
def ana(studio, domain_id, people) -> Any:
    return studio.as_user(domain_id, "ana")


@pytest.fixture
def ben(studio, domain_id, people) -> Any:
    return studio.as_user(domain_id, "ben")


def lab(domain_id: str, space: str = "ana-lab") -> dict[str, str]:
    return {
        "DomainId": domain_id,
        "SpaceName": space,
        "AppType": "JupyterLab",
        "AppName": "default",
    }


def assert_denied(excinfo: pytest.ExceptionInfo[Any], action: str, resource_arn: str) -> None:
    code, message = error_of(excinfo)
    assert code == "AccessDeniedException"
    assert f"is not authorized to perform: sagemaker:{action}" in message
    assert resource_arn in message
    status = excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]
    assert 400 <= status < 500


def app_arn_in(space_arn: str, app_type: str = "jupyterlab", name: str = "default") -> str:
    return f"{space_arn.replace(':space/', ':app/')}/{app_type}/{name}"


# ------------------------------------------------------------------ reading is open
def test_any_member_can_list_and_describe(ben, domain_id, people):
    assert ben.describe_domain(DomainId=domain_id)["DomainId"] == domain_id
    assert any(d["DomainId"] == domain_id for d in ben.list_domains()["Domains"])
    profiles = ben.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]
    assert sorted(p["UserProfileName"] for p in profiles) == ["ana", "ben"]
    described = ben.describe_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert described["UserProfileName"] == "ana"
    space = ben.describe_space(DomainId=domain_id, SpaceName="ana-lab")
    assert space["SpaceArn"] == people["private_arn"]
    assert ben.list_apps(DomainIdEquals=domain_id)["Apps"] == []


def test_list_spaces_shows_other_profiles_private_spaces(ben, domain_id):
    spaces = ben.list_spaces(DomainIdEquals=domain_id)["Spaces"]
    by_name = {s["SpaceName"]: s for s in spaces}
    assert set(by_name) == {"ana-lab", "team"}
    assert by_name["ana-lab"]["SpaceSharingSettingsSummary"]["SharingType"] == "Private"
    assert by_name["ana-lab"]["OwnershipSettingsSummary"]["OwnerUserProfileName"] == "ana"


def test_ben_can_describe_anas_running_app(sm, ben, domain_id):
    sm.create_app(**lab(domain_id))
    assert ben.describe_app(**lab(domain_id))["Status"] == "InService"


# ------------------------------------------------------------------ another's private space
def test_ben_cannot_update_anas_private_space(ben, domain_id, people):
    with pytest.raises(ClientError) as excinfo:
        ben.update_space(DomainId=domain_id, SpaceName="ana-lab", SpaceDisplayName="mine now")
    assert_denied(excinfo, "UpdateSpace", people["private_arn"])


def test_ben_cannot_delete_anas_private_space(sm, ben, domain_id, people):
    with pytest.raises(ClientError) as excinfo:
        ben.delete_space(DomainId=domain_id, SpaceName="ana-lab")
    assert_denied(excinfo, "DeleteSpace", people["private_arn"])
    assert sm.describe_space(DomainId=domain_id, SpaceName="ana-lab")["Status"] == "InService"


def test_ben_cannot_create_an_app_in_anas_private_space(sm, ben, domain_id, people):
    with pytest.raises(ClientError) as excinfo:
        ben.create_app(**lab(domain_id))
    assert_denied(excinfo, "CreateApp", app_arn_in(people["private_arn"]))
    assert sm.list_apps(DomainIdEquals=domain_id)["Apps"] == []


def test_ben_cannot_delete_the_app_in_anas_private_space(sm, ben, domain_id):
    app_arn = sm.create_app(**lab(domain_id))["AppArn"]
    with pytest.raises(ClientError) as excinfo:
        ben.delete_app(**lab(domain_id))
    assert_denied(excinfo, "DeleteApp", app_arn)
    assert sm.describe_app(**lab(domain_id))["Status"] == "InService"


def test_ana_can_manage_her_private_space_and_its_app(ana, domain_id):
    ana.update_space(DomainId=domain_id, SpaceName="ana-lab", SpaceDisplayName="Ana's lab")
    ana.create_app(**lab(domain_id))
    assert ana.describe_app(**lab(domain_id))["Status"] == "InService"
    ana.delete_app(**lab(domain_id))
    ana.delete_space(DomainId=domain_id, SpaceName="ana-lab")
    names = [s["SpaceName"] for s in ana.list_spaces(DomainIdEquals=domain_id)["Spaces"]]
    assert names == ["team"]


# ------------------------------------------------------------------ shared spaces
def test_any_member_can_start_and_stop_the_app_of_a_shared_space(sm, ben, domain_id):
    ben.create_app(**lab(domain_id, "team"))
    assert sm.describe_app(**lab(domain_id, "team"))["Status"] == "InService"
    ben.delete_app(**lab(domain_id, "team"))
    assert sm.describe_app(**lab(domain_id, "team"))["Status"] == "Deleted"


def test_ben_can_stop_the_app_ana_started_in_a_shared_space(ana, ben, domain_id):
    ana.create_app(**lab(domain_id, "team"))
    ben.delete_app(**lab(domain_id, "team"))
    assert ana.describe_app(**lab(domain_id, "team"))["Status"] == "Deleted"


def test_only_the_owner_can_delete_a_shared_space(ana, ben, domain_id, people):
    with pytest.raises(ClientError) as excinfo:
        ben.delete_space(DomainId=domain_id, SpaceName="team")
    assert_denied(excinfo, "DeleteSpace", people["shared_arn"])
    ana.delete_space(DomainId=domain_id, SpaceName="team")
    with pytest.raises(ClientError) as excinfo:
        ana.describe_space(DomainId=domain_id, SpaceName="team")
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_only_the_owner_can_update_a_shared_space(ana, ben, domain_id, people):
    with pytest.raises(ClientError) as excinfo:
        ben.update_space(DomainId=domain_id, SpaceName="team", SpaceDisplayName="ben's")
    assert_denied(excinfo, "UpdateSpace", people["shared_arn"])
    ana.update_space(DomainId=domain_id, SpaceName="team", SpaceDisplayName="Team")


# ------------------------------------------------------------------ apps of no space
def test_apps_of_no_space_are_allowed_by_the_policys_first_statement(sm, ben, domain_id):
    # their requests carry no sagemaker:OwnerUserProfileArn, which the first statement
    # (SMStudioUserProfileAppPermissionsCreateAndDelete) tests for with Null
    canvas = dict(DomainId=domain_id, UserProfileName="ben", AppType="Canvas", AppName="default")
    ben.create_app(**canvas)
    ben.delete_app(**canvas)
    assert sm.describe_app(**canvas)["Status"] == "Deleted"


# ------------------------------------------------------------------ creating spaces
def test_ben_cannot_create_a_space_owned_by_ana(ben, domain_id, people):
    with pytest.raises(ClientError) as excinfo:
        ben.create_space(
            DomainId=domain_id,
            SpaceName="for-ana",
            OwnershipSettings={"OwnerUserProfileName": "ana"},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "JupyterLab"},
        )
    code, message = error_of(excinfo)
    assert code == "AccessDeniedException"
    assert "is not authorized to perform: sagemaker:CreateSpace" in message
    assert people["private_arn"].replace("/ana-lab", "/for-ana") in message


def test_ben_can_create_his_own_private_space(ben, domain_id):
    arn = ben.create_space(
        DomainId=domain_id,
        SpaceName="ben-lab",
        OwnershipSettings={"OwnerUserProfileName": "ben"},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={"AppType": "JupyterLab"},
    )["SpaceArn"]
    assert arn.endswith(f":space/{domain_id}/ben-lab")
    ben.create_app(**lab(domain_id, "ben-lab"))


# ------------------------------------------------------------------ administration
def test_ben_cannot_create_a_domain(ben):
    with pytest.raises(ClientError) as excinfo:
        ben.create_domain(
            DomainName="rogue", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        )
    code, message = error_of(excinfo)
    assert code == "AccessDeniedException"
    assert "is not authorized to perform: sagemaker:CreateDomain" in message


def test_ben_cannot_create_a_user_profile(sm, ben, domain_id):
    with pytest.raises(ClientError) as excinfo:
        ben.create_user_profile(DomainId=domain_id, UserProfileName="cy")
    code, message = error_of(excinfo)
    assert code == "AccessDeniedException"
    assert "is not authorized to perform: sagemaker:CreateUserProfile" in message
    profiles = sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]
    assert "cy" not in {p["UserProfileName"] for p in profiles}


def test_ben_cannot_create_an_image(sm, ben):
    with pytest.raises(ClientError) as excinfo:
        ben.create_image(ImageName="rogue-image", RoleArn=ROLE)
    code, message = error_of(excinfo)
    assert code == "AccessDeniedException"
    assert "is not authorized to perform: sagemaker:CreateImage" in message
    assert sm.list_images()["Images"] == []


def test_ben_cannot_update_or_delete_the_domain(ben, domain_id):
    domain_arn = ben.describe_domain(DomainId=domain_id)["DomainArn"]
    with pytest.raises(ClientError) as excinfo:
        ben.update_domain(DomainId=domain_id, DefaultUserSettings={"ExecutionRole": ROLE})
    assert_denied(excinfo, "UpdateDomain", domain_arn)
    with pytest.raises(ClientError) as excinfo:
        ben.delete_domain(DomainId=domain_id)
    assert_denied(excinfo, "DeleteDomain", domain_arn)


def test_presigned_url_for_another_profile_is_access_denied(ben, domain_id):
    ana_arn = ben.describe_user_profile(DomainId=domain_id, UserProfileName="ana")["UserProfileArn"]
    with pytest.raises(ClientError) as excinfo:
        ben.create_presigned_domain_url(DomainId=domain_id, UserProfileName="ana")
    assert_denied(excinfo, "CreatePresignedDomainUrl", ana_arn)


def test_presigned_url_for_oneself_works(ben, domain_id):
    url = ben.create_presigned_domain_url(DomainId=domain_id, UserProfileName="ben")
    assert url["AuthorizedUrl"].startswith("https://")


def test_user_of_one_domain_cannot_manage_spaces_in_another(studio, sm, ben, domain_id):
    other = sm.create_domain(
        DomainName="other", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    arn = sm.create_space(DomainId=other, SpaceName="open")["SpaceArn"]
    with pytest.raises(ClientError) as excinfo:
        ben.delete_space(DomainId=other, SpaceName="open")
    assert_denied(excinfo, "DeleteSpace", arn)


# ------------------------------------------------------------------ the administrator
def test_admin_is_never_denied(sm, domain_id, people):
    sm.update_space(DomainId=domain_id, SpaceName="ana-lab", SpaceDisplayName="by admin")
    sm.create_app(**lab(domain_id))
    sm.delete_app(**lab(domain_id))
    url = sm.create_presigned_domain_url(
        DomainId=domain_id, UserProfileName="ana", SpaceName="ana-lab"
    )
    assert url["AuthorizedUrl"]
    sm.delete_space(DomainId=domain_id, SpaceName="ana-lab")
    sm.delete_space(DomainId=domain_id, SpaceName="team")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="cy")
    sm.create_image(ImageName="admin-image", RoleArn=ROLE)
    for name in ("ana", "ben", "cy"):
        sm.delete_user_profile(DomainId=domain_id, UserProfileName=name)
    sm.delete_domain(DomainId=domain_id)
    assert sm.list_domains()["Domains"] == []


def test_users_open_their_own_private_space_and_shared_spaces(ana, ben, domain_id):
    own = ana.create_presigned_domain_url(
        DomainId=domain_id, UserProfileName="ana", SpaceName="ana-lab"
    )
    assert own["AuthorizedUrl"].startswith("https://")
    shared = ben.create_presigned_domain_url(
        DomainId=domain_id, UserProfileName="ben", SpaceName="team"
    )
    assert shared["AuthorizedUrl"].startswith("https://")
    with pytest.raises(ClientError) as excinfo:
        ben.create_presigned_domain_url(
            DomainId=domain_id, UserProfileName="ben", SpaceName="ana-lab"
        )
    assert error_of(excinfo)[0] == "AccessDeniedException"


def test_a_deleted_profiles_session_is_not_promoted_to_administrator(sm, ben, domain_id):
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="ben")
    with pytest.raises(ClientError) as excinfo:
        ben.create_domain(
            DomainName="rogue", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        )
    assert error_of(excinfo)[0] == "AccessDeniedException"
    assert [d["DomainId"] for d in sm.list_domains()["Domains"]] == [domain_id]


# ------------------------------------------------------------------ another policy
def session_under(studio: Any, domain_id: str, profile: str, policy: Any) -> Any:
    return user_session(domain_id, profile, "us-east-1", policy=policy).client(
        "sagemaker", endpoint_url=studio.endpoint_url
    )


EVERYTHING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
}


def test_a_custom_policy_decides_instead_of_the_recommended_one(studio, sm, domain_id, people):
    # under sagemaker:* on *, nothing but the policy protects ana's private space
    ben = session_under(studio, domain_id, "ben", EVERYTHING)
    ben.update_space(DomainId=domain_id, SpaceName="ana-lab", SpaceDisplayName="ben was here")
    ben.create_app(**lab(domain_id))
    assert sm.describe_app(**lab(domain_id))["Status"] == "InService"
    ben.create_user_profile(DomainId=domain_id, UserProfileName="cy")


def test_a_policy_as_json_text_or_a_file(studio, domain_id, people, tmp_path: Path):
    read_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadSpaces",
                "Effect": "Allow",
                "Action": ["sagemaker:ListSpaces", "sagemaker:DescribeSpace"],
                "Resource": "*",
            }
        ],
    }
    path = tmp_path / "read-only.json"
    path.write_text(json.dumps(read_only))
    for source in (json.dumps(read_only), str(path), path):
        ben = session_under(studio, domain_id, "ben", source)
        assert len(ben.list_spaces(DomainIdEquals=domain_id)["Spaces"]) == 2
        with pytest.raises(ClientError) as excinfo:
            ben.list_apps(DomainIdEquals=domain_id)  # reads are evaluated too
        assert_denied(excinfo, "ListApps", "on resource: *")
        code, message = error_of(excinfo)
        assert message.endswith(
            "because no identity-based policy allows the sagemaker:ListApps action"
        )


def test_an_explicit_deny_is_worded_as_iam_words_it(studio, sm, domain_id, people):
    recommended = json.loads(
        (Path(__file__).parents[1] / "studio_mock/iam/policies/studio-user.json").read_text()
    )
    recommended["Statement"].append(
        {
            "Sid": "NobodyStopsSharedSpaces",
            "Effect": "Deny",
            "Action": "sagemaker:DeleteApp",
            "Resource": "*",
            "Condition": {"StringEquals": {"sagemaker:SpaceSharingType": "Shared"}},
        }
    )
    recommended = json.loads(
        json.dumps(recommended).replace("{{Region}}", "*").replace("{{AccountId}}", "*")
    )
    sm.create_app(**lab(domain_id, "team"))
    ben = session_under(studio, domain_id, "ben", recommended)
    with pytest.raises(ClientError) as excinfo:
        ben.delete_app(**lab(domain_id, "team"))
    app_arn = app_arn_in(people["shared_arn"])
    assert_denied(excinfo, "DeleteApp", app_arn)
    code, message = error_of(excinfo)
    assert message.endswith(
        f"sagemaker:DeleteApp on resource: {app_arn} "
        "with an explicit deny in an identity-based policy"
    )
    assert sm.describe_app(**lab(domain_id, "team"))["Status"] == "InService"


def test_describe_needs_a_statement_that_allows_it(studio, domain_id, people):
    only_list = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sagemaker:List*", "Resource": "*"}],
    }
    ben = session_under(studio, domain_id, "ben", only_list)
    ben.list_spaces(DomainIdEquals=domain_id)
    with pytest.raises(ClientError) as excinfo:
        ben.describe_space(DomainId=domain_id, SpaceName="ana-lab")
    assert_denied(excinfo, "DescribeSpace", people["private_arn"])
    # denied before the lookup, as AWS does: a missing space is not revealed either
    with pytest.raises(ClientError) as excinfo:
        ben.describe_space(DomainId=domain_id, SpaceName="no-such-space")
    assert error_of(excinfo)[0] == "AccessDeniedException"


def test_an_invalid_policy_is_refused_before_any_call(domain_id):
    with pytest.raises(PolicyError, match="Effect.*case-sensitive"):
        user_session(
            domain_id,
            "ben",
            policy={
                "Version": "2012-10-17",
                "Statement": [{"Effect": "allow", "Action": "sagemaker:*", "Resource": "*"}],
            },
        )
    with pytest.raises(PolicyError, match="not valid JSON"):
        user_session(domain_id, "ben", policy='{"Version": "2012-10-17",}')


def test_a_doubtful_policy_works_with_a_warning(studio, domain_id, people):
    old = {
        "Statement": [{"Effect": "Allow", "Action": "sagemaker:List*", "Resource": "*"}],
    }
    with pytest.warns(PolicyWarning, match="Version"):
        ben = session_under(studio, domain_id, "ben", old)
    assert ben.list_spaces(DomainIdEquals=domain_id)["Spaces"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", PolicyWarning)
        session_under(studio, domain_id, "ben", EVERYTHING)  # a sound policy: no warning


def test_reads_are_authorized_on_the_resources_own_arn(studio, sm, domain_id, people):
    app_arn = sm.create_app(**lab(domain_id))["AppArn"]
    domain_arn = sm.describe_domain(DomainId=domain_id)["DomainArn"]
    ana_arn = sm.describe_user_profile(DomainId=domain_id, UserProfileName="ana")["UserProfileArn"]
    exactly_these = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sagemaker:Describe*",
                "Resource": [domain_arn, ana_arn, people["private_arn"], app_arn],
            }
        ],
    }
    ben = session_under(studio, domain_id, "ben", exactly_these)
    assert ben.describe_domain(DomainId=domain_id)["DomainArn"] == domain_arn
    ben.describe_user_profile(DomainId=domain_id, UserProfileName="ana")
    ben.describe_space(DomainId=domain_id, SpaceName="ana-lab")
    assert ben.describe_app(**lab(domain_id))["AppArn"] == app_arn
    with pytest.raises(ClientError) as excinfo:
        ben.describe_space(DomainId=domain_id, SpaceName="team")
    assert_denied(excinfo, "DescribeSpace", people["shared_arn"])


def test_a_server_in_another_process_decides_with_the_sessions_policy():
    # the policy travels in the session token, so a server that never saw the
    # user_session call applies it all the same
    process = subprocess.Popen(
        [sys.executable, "-m", "studio_mock", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        endpoint = re.search(r"listening on (http://\S+)", process.stdout.readline())[1]
        admin = boto3.client(
            "sagemaker", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="AKIASTUDIOMOCKADMIN1", aws_secret_access_key="x",
        )  # fmt: skip
        domain_id = admin.create_domain(
            DomainName="far", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        )["DomainId"]
        admin.create_user_profile(DomainId=domain_id, UserProfileName="ben")
        no_lists = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"},
                {"Sid": "NoLists", "Effect": "Deny", "Action": "sagemaker:List*", "Resource": "*"},
            ],
        }
        ben = user_session(domain_id, "ben", "us-east-1", policy=no_lists)
        client = ben.client("sagemaker", endpoint_url=endpoint)
        client.describe_domain(DomainId=domain_id)
        with pytest.raises(ClientError) as excinfo:
            client.list_spaces(DomainIdEquals=domain_id)
        assert error_of(excinfo)[1].endswith("with an explicit deny in an identity-based policy")
        default = user_session(domain_id, "ben", "us-east-1").client(
            "sagemaker", endpoint_url=endpoint
        )
        assert default.list_spaces(DomainIdEquals=domain_id)["Spaces"] == []
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)


def test_user_sessions_share_the_models_but_not_the_identity(studio, domain_id, people):
    """user_session reuses one loader of botocore's models (creating a client is then
    cheap), while each session keeps its own credentials and policy."""
    from studio_mock.mock import _loader

    clients = [studio.as_user(domain_id, name) for name in ("ana", "ben", "ana")]
    paths = list(_loader().search_paths)
    user_session(domain_id, "ben")
    assert _loader().search_paths == paths, "each session adds boto3's folder again"
    ana, ben, ana_again = clients
    update = {"DomainId": domain_id, "SpaceName": "ana-lab", "SpaceDisplayName": "mine"}
    ana.update_space(**update)
    ana_again.update_space(**update)
    with pytest.raises(ClientError) as denied:
        ben.update_space(**update)
    assert error_of(denied)[0] == "AccessDeniedException"
