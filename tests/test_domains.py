"""Domains: CreateDomain, DescribeDomain, UpdateDomain, DeleteDomain, ListDomains."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import ROLE, error_of

HOME_EFS_TAG = "ManagedByAmazonSageMakerResource"


def create(sm: Any, name: str = "course", **extra: Any) -> dict[str, Any]:
    return sm.create_domain(
        DomainName=name, AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}, **extra
    )


def efs_ids(studio: Any) -> set[str]:
    return {
        fs["FileSystemId"] for fs in studio.client("efs").describe_file_systems()["FileSystems"]
    }


def test_create_domain_returns_arn_id_and_url(sm):
    created = create(sm)
    assert set(created) - {"ResponseMetadata"} == {"DomainArn", "DomainId", "Url"}
    assert created["DomainArn"].endswith(f":domain/{created['DomainId']}")
    assert created["DomainArn"].startswith("arn:aws:sagemaker:us-east-1:")
    assert created["Url"].startswith("https://")
    assert created["DomainId"] in created["Url"]


def test_domain_id_looks_like_d_and_twelve_lowercase_alphanumerics(sm):
    domain_ids = {create(sm, f"course-{i}")["DomainId"] for i in range(3)}
    assert len(domain_ids) == 3
    for domain_id in domain_ids:
        assert re.fullmatch(r"d-[a-z0-9]{12}", domain_id), domain_id


def test_describe_domain_echoes_the_create_fields(sm):
    created = create(sm, "described")
    described = sm.describe_domain(DomainId=created["DomainId"])
    assert described["DomainId"] == created["DomainId"]
    assert described["DomainArn"] == created["DomainArn"]
    assert described["DomainName"] == "described"
    assert described["AuthMode"] == "IAM"
    assert described["DefaultUserSettings"]["ExecutionRole"] == ROLE
    assert described["Status"] == "InService"
    assert described["Url"] == created["Url"]
    assert described["HomeEfsFileSystemCreation"] == "Enabled"
    assert described["AppNetworkAccessType"] == "PublicInternetOnly"


def test_duplicate_domain_name_is_resource_in_use(sm):
    create(sm, "twice")
    with pytest.raises(ClientError) as excinfo:
        create(sm, "twice")
    code, message = error_of(excinfo)
    assert code == "ResourceInUse"
    assert "twice" in message


@pytest.mark.parametrize("bad_name", ["my_domain", "-leading-dash", "has space", "x" * 64])
def test_bad_domain_name_is_validation_exception_naming_domain_name(sm, bad_name):
    with pytest.raises(ClientError) as excinfo:
        create(sm, bad_name)
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "domainName" in message


def test_describe_missing_domain_is_resource_not_found(sm):
    missing = "d-" + "0" * 12
    with pytest.raises(ClientError) as excinfo:
        sm.describe_domain(DomainId=missing)
    code, message = error_of(excinfo)
    assert code == "ResourceNotFound"
    assert missing in message


def test_describe_deleted_domain_is_resource_not_found(sm):
    domain_id = create(sm)["DomainId"]
    sm.delete_domain(DomainId=domain_id)
    with pytest.raises(ClientError) as excinfo:
        sm.describe_domain(DomainId=domain_id)
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_home_efs_is_a_real_efs_file_system_tagged_with_the_domain_arn(studio, sm):
    created = create(sm)
    fs_id = sm.describe_domain(DomainId=created["DomainId"])["HomeEfsFileSystemId"]
    found = studio.client("efs").describe_file_systems(FileSystemId=fs_id)["FileSystems"]
    assert [fs["FileSystemId"] for fs in found] == [fs_id]
    tags = {t["Key"]: t["Value"] for t in found[0]["Tags"]}
    assert tags[HOME_EFS_TAG] == created["DomainArn"]


def test_each_domain_gets_its_own_home_efs(sm):
    first = sm.describe_domain(DomainId=create(sm, "one")["DomainId"])
    second = sm.describe_domain(DomainId=create(sm, "two")["DomainId"])
    assert first["HomeEfsFileSystemId"] != second["HomeEfsFileSystemId"]


def test_home_efs_creation_disabled_means_no_home_efs(studio, sm):
    domain_id = create(sm, HomeEfsFileSystemCreation="Disabled")["DomainId"]
    described = sm.describe_domain(DomainId=domain_id)
    assert described["HomeEfsFileSystemCreation"] == "Disabled"
    assert "HomeEfsFileSystemId" not in described
    assert efs_ids(studio) == set()


def test_update_domain_changes_default_user_settings_and_returns_arn(sm):
    created = create(sm)
    other_role = ROLE.replace("StudioExecutionRole", "OtherRole")
    updated = sm.update_domain(
        DomainId=created["DomainId"],
        DefaultUserSettings={
            "ExecutionRole": other_role,
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
        },
    )
    assert updated["DomainArn"] == created["DomainArn"]
    described = sm.describe_domain(DomainId=created["DomainId"])
    settings = described["DefaultUserSettings"]
    assert settings["ExecutionRole"] == other_role
    assert settings["JupyterLabAppSettings"]["DefaultResourceSpec"]["InstanceType"] == "ml.m5.large"
    assert described["LastModifiedTime"] >= described["CreationTime"]


def test_update_domain_home_efs_enabled_to_disabled_is_refused(sm):
    domain_id = create(sm)["DomainId"]
    with pytest.raises(ClientError) as excinfo:
        sm.update_domain(DomainId=domain_id, HomeEfsFileSystemCreation="Disabled")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "HomeEfsFileSystemCreation" in message


def test_update_domain_home_efs_disabled_to_enabled_creates_it(studio, sm):
    domain_id = create(sm, HomeEfsFileSystemCreation="Disabled")["DomainId"]
    sm.update_domain(DomainId=domain_id, HomeEfsFileSystemCreation="Enabled")
    described = sm.describe_domain(DomainId=domain_id)
    assert described["HomeEfsFileSystemCreation"] == "Enabled"
    assert described["HomeEfsFileSystemId"] in efs_ids(studio)


def test_update_missing_domain_is_resource_not_found(sm):
    with pytest.raises(ClientError) as excinfo:
        sm.update_domain(DomainId="d-" + "1" * 12, DefaultUserSettings={"ExecutionRole": ROLE})
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_delete_domain_refused_while_a_user_profile_exists(sm):
    domain_id = create(sm)["DomainId"]
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.delete_domain(DomainId=domain_id)
    code, message = error_of(excinfo)
    assert code == "ResourceInUse"
    assert "ana" in message
    assert sm.describe_domain(DomainId=domain_id)["Status"] == "InService"


def test_delete_domain_refused_while_a_space_exists(sm):
    domain_id = create(sm)["DomainId"]
    sm.create_space(DomainId=domain_id, SpaceName="team")
    with pytest.raises(ClientError) as excinfo:
        sm.delete_domain(DomainId=domain_id)
    code, message = error_of(excinfo)
    assert code == "ResourceInUse"
    assert "team" in message


def test_delete_domain_works_once_profiles_and_spaces_are_gone(sm):
    domain_id = create(sm)["DomainId"]
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    sm.create_space(
        DomainId=domain_id,
        SpaceName="lab",
        OwnershipSettings={"OwnerUserProfileName": "ana"},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={"AppType": "JupyterLab"},
    )
    sm.delete_space(DomainId=domain_id, SpaceName="lab")
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
    response = sm.delete_domain(DomainId=domain_id)
    assert set(response) == {"ResponseMetadata"}
    assert sm.list_domains()["Domains"] == []


def test_delete_domain_retention_delete_removes_the_home_efs(studio, sm):
    domain_id = create(sm)["DomainId"]
    fs_id = sm.describe_domain(DomainId=domain_id)["HomeEfsFileSystemId"]
    sm.delete_domain(DomainId=domain_id, RetentionPolicy={"HomeEfsFileSystem": "Delete"})
    assert fs_id not in efs_ids(studio)


def test_delete_domain_retain_is_the_default_and_keeps_the_home_efs(studio, sm):
    kept = create(sm, "kept")["DomainId"]
    retained = create(sm, "retained")["DomainId"]
    kept_fs = sm.describe_domain(DomainId=kept)["HomeEfsFileSystemId"]
    retained_fs = sm.describe_domain(DomainId=retained)["HomeEfsFileSystemId"]
    sm.delete_domain(DomainId=kept)
    sm.delete_domain(DomainId=retained, RetentionPolicy={"HomeEfsFileSystem": "Retain"})
    assert {kept_fs, retained_fs} <= efs_ids(studio)


def test_list_domains_pagination_with_max_results_one_walks_all(sm):
    created = [create(sm, f"page-{i}")["DomainId"] for i in range(3)]
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"MaxResults": 1} | ({"NextToken": token} if token else {})
        page = sm.list_domains(**kwargs)
        pages += 1
        assert len(page["Domains"]) <= 1
        seen += [d["DomainId"] for d in page["Domains"]]
        token = page.get("NextToken")
        if not token:
            break
        assert pages < 10, "ListDomains never stops paginating"
    assert sorted(seen) == sorted(created)
    assert pages == 3


def test_list_domains_items_are_summaries(sm):
    created = create(sm)
    (item,) = sm.list_domains()["Domains"]
    assert item["DomainId"] == created["DomainId"]
    assert item["DomainArn"] == created["DomainArn"]
    assert item["DomainName"] == "course"
    assert item["Status"] == "InService"
    assert "DefaultUserSettings" not in item


@pytest.mark.parametrize("token", ["not-a-token", "bm90IGpzb24=", "e30="])
def test_list_domains_invalid_next_token_is_validation_exception(sm, token):
    create(sm)
    with pytest.raises(ClientError) as excinfo:
        sm.list_domains(NextToken=token)
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "NextToken" in message


def test_sso_domain_requires_sso_fields_on_create_user_profile(sm):
    domain_id = sm.create_domain(
        DomainName="sso", AuthMode="SSO", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    with pytest.raises(ClientError) as excinfo:
        sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "SingleSignOnUserValue" in message
    sm.create_user_profile(
        DomainId=domain_id,
        UserProfileName="ana",
        SingleSignOnUserIdentifier="UserName",
        SingleSignOnUserValue="ana@example.com",
    )
    described = sm.describe_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert described["SingleSignOnUserValue"] == "ana@example.com"
    assert described["SingleSignOnUserIdentifier"] == "UserName"


def test_iam_domain_does_not_require_sso_fields(sm):
    domain_id = create(sm)["DomainId"]
    arn = sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")["UserProfileArn"]
    assert arn.endswith(f":user-profile/{domain_id}/ana")
