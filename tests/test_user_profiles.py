"""User profiles: create, describe, list (filters, sort, pages), update, delete."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import ROLE, error_of


def names(response: dict[str, Any]) -> list[str]:
    return [p["UserProfileName"] for p in response["UserProfiles"]]


def test_create_user_profile_returns_its_arn(sm, domain_id):
    created = sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert set(created) - {"ResponseMetadata"} == {"UserProfileArn"}
    assert created["UserProfileArn"].startswith("arn:aws:sagemaker:us-east-1:")
    assert created["UserProfileArn"].endswith(f":user-profile/{domain_id}/ana")


def test_describe_user_profile_shows_its_fields(sm, domain_id):
    arn = sm.create_user_profile(
        DomainId=domain_id,
        UserProfileName="ana",
        UserSettings={"ExecutionRole": ROLE},
    )["UserProfileArn"]
    described = sm.describe_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert described["UserProfileArn"] == arn
    assert described["DomainId"] == domain_id
    assert described["UserProfileName"] == "ana"
    assert described["Status"] == "InService"
    assert described["UserSettings"]["ExecutionRole"] == ROLE
    assert described["HomeEfsFileSystemUid"].isdigit()
    assert described["LastModifiedTime"] >= described["CreationTime"]


def test_profiles_get_distinct_home_efs_uids(sm, domain_id):
    for name in ("ana", "ben"):
        sm.create_user_profile(DomainId=domain_id, UserProfileName=name)
    uids = {
        sm.describe_user_profile(DomainId=domain_id, UserProfileName=n)["HomeEfsFileSystemUid"]
        for n in ("ana", "ben")
    }
    assert len(uids) == 2


def test_user_profile_names_are_case_insensitive(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_user_profile(DomainId=domain_id, UserProfileName="Ana")
    code, message = error_of(excinfo)
    assert code == "ResourceInUse"
    assert "Ana" in message or "ana" in message


def test_duplicate_user_profile_name_is_resource_in_use(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert error_of(excinfo)[0] == "ResourceInUse"


def test_same_profile_name_in_two_domains_is_allowed(sm, domain_id):
    other = sm.create_domain(
        DomainName="other", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    first = sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")["UserProfileArn"]
    second = sm.create_user_profile(DomainId=other, UserProfileName="ana")["UserProfileArn"]
    assert first != second


def test_create_user_profile_in_missing_domain_is_resource_not_found(sm):
    with pytest.raises(ClientError) as excinfo:
        sm.create_user_profile(DomainId="d-" + "0" * 12, UserProfileName="ana")
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_bad_user_profile_name_is_validation_exception(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.create_user_profile(DomainId=domain_id, UserProfileName="ana_smith")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "userProfileName" in message


def test_describe_missing_user_profile_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.describe_user_profile(DomainId=domain_id, UserProfileName="nobody")
    code, message = error_of(excinfo)
    assert code == "ResourceNotFound"
    assert "nobody" in message


def test_list_user_profiles_items_are_user_profile_details(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    (item,) = sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]
    assert item["DomainId"] == domain_id
    assert item["UserProfileName"] == "ana"
    assert item["Status"] == "InService"
    assert {"CreationTime", "LastModifiedTime"} <= set(item)
    assert "UserSettings" not in item


def test_list_user_profiles_filters_on_domain_id_equals(sm, domain_id):
    other = sm.create_domain(
        DomainName="other", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    sm.create_user_profile(DomainId=other, UserProfileName="ben")
    assert names(sm.list_user_profiles(DomainIdEquals=domain_id)) == ["ana"]
    assert names(sm.list_user_profiles(DomainIdEquals=other)) == ["ben"]
    assert sorted(names(sm.list_user_profiles())) == ["ana", "ben"]


def test_list_user_profiles_filters_on_name_contains(sm, domain_id):
    for name in ("ana", "anabel", "ben"):
        sm.create_user_profile(DomainId=domain_id, UserProfileName=name)
    found = names(sm.list_user_profiles(DomainIdEquals=domain_id, UserProfileNameContains="ana"))
    assert sorted(found) == ["ana", "anabel"]
    assert names(sm.list_user_profiles(UserProfileNameContains="zzz")) == []


def test_list_user_profiles_sort_by_creation_time(sm, domain_id):
    order = ["cy", "ana", "ben"]
    for name in order:
        sm.create_user_profile(DomainId=domain_id, UserProfileName=name)
    assert names(sm.list_user_profiles(DomainIdEquals=domain_id)) == order
    ascending = sm.list_user_profiles(SortBy="CreationTime", SortOrder="Ascending")
    descending = sm.list_user_profiles(SortBy="CreationTime", SortOrder="Descending")
    assert names(ascending) == order
    assert names(descending) == order[::-1]


def test_list_user_profiles_sort_by_last_modified_time(sm, domain_id):
    for name in ("ana", "ben", "cy"):
        sm.create_user_profile(DomainId=domain_id, UserProfileName=name)
    sm.update_user_profile(
        DomainId=domain_id, UserProfileName="ana", UserSettings={"ExecutionRole": ROLE}
    )
    newest_first = sm.list_user_profiles(SortBy="LastModifiedTime", SortOrder="Descending")
    assert names(newest_first) == ["ana", "cy", "ben"]
    oldest_first = sm.list_user_profiles(SortBy="LastModifiedTime", SortOrder="Ascending")
    assert names(oldest_first) == ["ben", "cy", "ana"]


def test_list_user_profiles_paginates(sm, domain_id):
    created = [f"user-{i}" for i in range(5)]
    for name in created:
        sm.create_user_profile(DomainId=domain_id, UserProfileName=name)
    first = sm.list_user_profiles(DomainIdEquals=domain_id, MaxResults=2)
    assert len(first["UserProfiles"]) == 2
    assert "NextToken" in first
    seen, token = names(first), first["NextToken"]
    while token:
        page = sm.list_user_profiles(DomainIdEquals=domain_id, MaxResults=2, NextToken=token)
        assert 1 <= len(page["UserProfiles"]) <= 2
        seen += names(page)
        token = page.get("NextToken")
    assert seen == created


def test_list_user_profiles_paginator(sm, domain_id):
    for i in range(3):
        sm.create_user_profile(DomainId=domain_id, UserProfileName=f"user-{i}")
    pages = list(
        sm.get_paginator("list_user_profiles").paginate(
            DomainIdEquals=domain_id, PaginationConfig={"PageSize": 1}
        )
    )
    assert [names(page) for page in pages] == [["user-0"], ["user-1"], ["user-2"]]


def test_update_user_profile_changes_settings_and_returns_arn(sm, domain_id):
    arn = sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")["UserProfileArn"]
    updated = sm.update_user_profile(
        DomainId=domain_id,
        UserProfileName="ana",
        UserSettings={
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}}
        },
    )
    assert updated["UserProfileArn"] == arn
    described = sm.describe_user_profile(DomainId=domain_id, UserProfileName="ana")
    spec = described["UserSettings"]["JupyterLabAppSettings"]["DefaultResourceSpec"]
    assert spec["InstanceType"] == "ml.m5.large"
    assert described["LastModifiedTime"] > described["CreationTime"]


def test_update_missing_user_profile_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.update_user_profile(
            DomainId=domain_id, UserProfileName="nobody", UserSettings={"ExecutionRole": ROLE}
        )
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_delete_user_profile_then_describe_is_resource_not_found(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    response = sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert set(response) == {"ResponseMetadata"}
    with pytest.raises(ClientError) as excinfo:
        sm.describe_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert error_of(excinfo)[0] == "ResourceNotFound"
    assert names(sm.list_user_profiles(DomainIdEquals=domain_id)) == []


def test_deleted_user_profile_name_can_be_reused(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert names(sm.list_user_profiles(DomainIdEquals=domain_id)) == ["ana"]


def test_delete_missing_user_profile_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.delete_user_profile(DomainId=domain_id, UserProfileName="nobody")
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_delete_user_profile_refused_while_it_owns_a_space(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
    code, message = error_of(excinfo)
    assert code == "ResourceInUse"
    assert "lab" in message
    sm.delete_space(DomainId=domain_id, SpaceName="lab")
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")


def test_delete_user_profile_refused_while_it_owns_a_shared_space(sm, domain_id, make_space):
    make_space("team", owner="ana", sharing="Shared")
    with pytest.raises(ClientError) as excinfo:
        sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
    assert error_of(excinfo)[0] == "ResourceInUse"


def test_delete_user_profile_refused_while_it_runs_an_app(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    sm.create_app(DomainId=domain_id, UserProfileName="ana", AppType="Canvas", AppName="default")
    with pytest.raises(ClientError) as excinfo:
        sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
    code, message = error_of(excinfo)
    assert code == "ResourceInUse"
    assert "DeleteApp" in message
    sm.delete_app(DomainId=domain_id, UserProfileName="ana", AppType="Canvas", AppName="default")
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
