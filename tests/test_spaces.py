"""Spaces: private and shared, storage limits, settings rules, listing and deletion."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from conftest import ROLE, error_of


def ebs_size(space: dict[str, Any]) -> int:
    return space["SpaceSettings"]["SpaceStorageSettings"]["EbsStorageSettings"]["EbsVolumeSizeInGb"]


def storage(size: int) -> dict[str, Any]:
    return {"SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": size}}}


def ebs_limits(default: int, maximum: int) -> dict[str, Any]:
    return {
        "SpaceStorageSettings": {
            "DefaultEbsStorageSettings": {
                "DefaultEbsVolumeSizeInGb": default,
                "MaximumEbsVolumeSizeInGb": maximum,
            }
        }
    }


def create_space(sm: Any, domain_id: str, name: str, owner: str, sharing: str, **settings: Any):
    return sm.create_space(
        DomainId=domain_id,
        SpaceName=name,
        OwnershipSettings={"OwnerUserProfileName": owner},
        SpaceSharingSettings={"SharingType": sharing},
        SpaceSettings={"AppType": "JupyterLab", **settings},
    )


def space_names(response: dict[str, Any]) -> list[str]:
    return [s["SpaceName"] for s in response["Spaces"]]


# ------------------------------------------------------------------ create / describe
def test_create_private_space_returns_only_its_arn(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    created = create_space(sm, domain_id, "lab", "ana", "Private")
    assert set(created) - {"ResponseMetadata"} == {"SpaceArn"}
    assert created["SpaceArn"].endswith(f":space/{domain_id}/lab")


def test_describe_private_space_shows_owner_sharing_and_app_type(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    arn = create_space(sm, domain_id, "lab", "ana", "Private")["SpaceArn"]
    space = sm.describe_space(DomainId=domain_id, SpaceName="lab")
    assert space["SpaceArn"] == arn
    assert space["DomainId"] == domain_id
    assert space["SpaceName"] == "lab"
    assert space["Status"] == "InService"
    assert space["OwnershipSettings"] == {"OwnerUserProfileName": "ana"}
    assert space["SpaceSharingSettings"] == {"SharingType": "Private"}
    assert space["SpaceSettings"]["AppType"] == "JupyterLab"
    assert space["HomeEfsFileSystemUid"].isdigit()
    assert space["Url"].startswith("https://")
    assert space["LastModifiedTime"] >= space["CreationTime"]


def test_create_shared_code_editor_space(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    sm.create_space(
        DomainId=domain_id,
        SpaceName="team",
        SpaceDisplayName="Team space",
        OwnershipSettings={"OwnerUserProfileName": "ana"},
        SpaceSharingSettings={"SharingType": "Shared"},
        SpaceSettings={"AppType": "CodeEditor"},
    )
    space = sm.describe_space(DomainId=domain_id, SpaceName="team")
    assert space["SpaceSharingSettings"]["SharingType"] == "Shared"
    assert space["SpaceSettings"]["AppType"] == "CodeEditor"
    assert space["SpaceDisplayName"] == "Team space"


def test_duplicate_space_name_is_resource_in_use(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        make_space("lab", owner="ana")
    assert error_of(excinfo)[0] == "ResourceInUse"


def test_space_owned_by_missing_profile_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        create_space(sm, domain_id, "lab", "nobody", "Private")
    code, message = error_of(excinfo)
    assert code == "ResourceNotFound"
    assert "nobody" in message


def test_describe_missing_space_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.describe_space(DomainId=domain_id, SpaceName="nowhere")
    code, message = error_of(excinfo)
    assert code == "ResourceNotFound"
    assert "nowhere" in message


# ------------------------------------------------------------------ app types and settings
def test_space_app_type_canvas_is_refused(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_space(
            DomainId=domain_id,
            SpaceName="canvas",
            OwnershipSettings={"OwnerUserProfileName": "ana"},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "Canvas"},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Canvas" in message


def test_space_app_type_kernel_gateway_is_refused_as_deprecated(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_space(
            DomainId=domain_id,
            SpaceName="classic",
            OwnershipSettings={"OwnerUserProfileName": "ana"},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "KernelGateway"},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "deprecated" in message.lower()


def test_code_editor_settings_on_a_jupyterlab_space_are_refused(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        create_space(
            sm,
            domain_id,
            "lab",
            "ana",
            "Private",
            CodeEditorAppSettings={"DefaultResourceSpec": {"InstanceType": "ml.t3.medium"}},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "CodeEditorAppSettings" in message


def test_jupyterlab_settings_on_a_jupyterlab_space_are_accepted(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    create_space(
        sm,
        domain_id,
        "lab",
        "ana",
        "Private",
        JupyterLabAppSettings={"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
    )
    space = sm.describe_space(DomainId=domain_id, SpaceName="lab")
    lab = space["SpaceSettings"]["JupyterLabAppSettings"]
    assert lab["DefaultResourceSpec"]["InstanceType"] == "ml.m5.large"


def test_owned_space_without_app_type_is_refused(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_space(
            DomainId=domain_id,
            SpaceName="lab",
            OwnershipSettings={"OwnerUserProfileName": "ana"},
            SpaceSharingSettings={"SharingType": "Private"},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "AppType" in message


# ------------------------------------------------------------------ EBS storage
def test_ebs_defaults_to_5_gb_when_the_domain_sets_nothing(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="lab")) == 5


def test_ebs_maximum_is_100_gb_when_the_domain_sets_nothing(sm, domain_id, make_space):
    make_space("big", owner="ana", **storage(100))
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="big")) == 100
    with pytest.raises(ClientError) as excinfo:
        make_space("bigger", owner="ana", **storage(101))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "100" in message


def test_domain_default_user_settings_set_private_space_default_and_maximum(sm, domain_id):
    sm.update_domain(
        DomainId=domain_id, DefaultUserSettings={"ExecutionRole": ROLE, **ebs_limits(20, 200)}
    )
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    create_space(sm, domain_id, "default", "ana", "Private")
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="default")) == 20
    create_space(sm, domain_id, "max", "ana", "Private", **storage(200))
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="max")) == 200
    with pytest.raises(ClientError) as excinfo:
        create_space(sm, domain_id, "over", "ana", "Private", **storage(201))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "200" in message


def test_domain_default_space_settings_set_shared_space_default_and_maximum(sm, domain_id):
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={"ExecutionRole": ROLE, **ebs_limits(20, 200)},
        DefaultSpaceSettings={"ExecutionRole": ROLE, **ebs_limits(10, 50)},
    )
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    create_space(sm, domain_id, "team", "ana", "Shared")
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="team")) == 10
    with pytest.raises(ClientError) as excinfo:
        create_space(sm, domain_id, "team-big", "ana", "Shared", **storage(60))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "50" in message
    # the private space of the same owner still follows DefaultUserSettings
    create_space(sm, domain_id, "mine", "ana", "Private", **storage(60))
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="mine")) == 60


def test_create_space_ebs_below_five_is_rejected_by_botocore(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ParamValidationError):
        create_space(sm, domain_id, "tiny", "ana", "Private", **storage(4))


def test_update_space_grows_the_ebs_volume(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    updated = sm.update_space(DomainId=domain_id, SpaceName="lab", SpaceSettings=storage(30))
    arn = sm.describe_space(DomainId=domain_id, SpaceName="lab")["SpaceArn"]
    assert updated["SpaceArn"] == arn
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="lab")) == 30


def test_update_space_cannot_shrink_the_ebs_volume(sm, domain_id, make_space):
    make_space("lab", owner="ana", **storage(30))
    with pytest.raises(ClientError) as excinfo:
        sm.update_space(DomainId=domain_id, SpaceName="lab", SpaceSettings=storage(10))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "30" in message
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="lab")) == 30


def test_update_space_cannot_grow_past_the_maximum(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.update_space(DomainId=domain_id, SpaceName="lab", SpaceSettings=storage(150))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "100" in message


def test_update_space_cannot_change_the_app_type(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.update_space(
            DomainId=domain_id, SpaceName="lab", SpaceSettings={"AppType": "CodeEditor"}
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "AppType" in message
    space = sm.describe_space(DomainId=domain_id, SpaceName="lab")
    assert space["SpaceSettings"]["AppType"] == "JupyterLab"


def test_update_space_does_not_accept_ownership_settings(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ParamValidationError) as excinfo:
        sm.update_space(
            DomainId=domain_id,
            SpaceName="lab",
            OwnershipSettings={"OwnerUserProfileName": "ben"},
        )
    assert "OwnershipSettings" in str(excinfo.value)


def test_update_space_changes_display_name(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.update_space(DomainId=domain_id, SpaceName="lab", SpaceDisplayName="Ana's lab")
    assert sm.describe_space(DomainId=domain_id, SpaceName="lab")["SpaceDisplayName"] == "Ana's lab"


def test_update_space_code_editor_settings_on_jupyterlab_space_refused(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.update_space(
            DomainId=domain_id,
            SpaceName="lab",
            SpaceSettings={"CodeEditorAppSettings": {}},
        )
    assert error_of(excinfo)[0] == "ValidationException"


def test_update_missing_space_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.update_space(DomainId=domain_id, SpaceName="nowhere", SpaceSettings=storage(10))
    assert error_of(excinfo)[0] == "ResourceNotFound"


# ------------------------------------------------------------------ custom file systems
def test_custom_efs_with_the_domains_home_efs_is_accepted(sm, domain_id, make_space):
    fs_id = sm.describe_domain(DomainId=domain_id)["HomeEfsFileSystemId"]
    make_space("lab", owner="ana", CustomFileSystems=[{"EFSFileSystem": {"FileSystemId": fs_id}}])
    space = sm.describe_space(DomainId=domain_id, SpaceName="lab")
    assert space["SpaceSettings"]["CustomFileSystems"] == [
        {"EFSFileSystem": {"FileSystemId": fs_id}}
    ]


def test_custom_efs_with_an_unknown_file_system_is_refused(sm, domain_id, make_space):
    with pytest.raises(ClientError) as excinfo:
        make_space(
            "lab",
            owner="ana",
            CustomFileSystems=[{"EFSFileSystem": {"FileSystemId": "fs-0123456789abcdef0"}}],
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "fs-0123456789abcdef0" in message


# ------------------------------------------------------------------ list
def test_list_spaces_uses_summary_shapes(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    (item,) = sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]
    assert item["SpaceName"] == "lab"
    assert item["DomainId"] == domain_id
    assert item["Status"] == "InService"
    assert item["SpaceSettingsSummary"]["AppType"] == "JupyterLab"
    summary_storage = item["SpaceSettingsSummary"]["SpaceStorageSettings"]
    assert summary_storage["EbsStorageSettings"]["EbsVolumeSizeInGb"] == 5
    assert item["SpaceSharingSettingsSummary"] == {"SharingType": "Private"}
    assert item["OwnershipSettingsSummary"] == {"OwnerUserProfileName": "ana"}
    for describe_only in ("SpaceSettings", "SpaceSharingSettings", "OwnershipSettings"):
        assert describe_only not in item


def test_list_spaces_filters_on_domain_and_name(sm, domain_id, make_space):
    other = sm.create_domain(
        DomainName="other", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    make_space("lab-ana", owner="ana")
    make_space("lab-ben", owner="ben")
    make_space("team", owner="ana", sharing="Shared")
    sm.create_space(DomainId=other, SpaceName="lab-other")
    assert sorted(space_names(sm.list_spaces(DomainIdEquals=domain_id))) == [
        "lab-ana",
        "lab-ben",
        "team",
    ]
    assert space_names(sm.list_spaces(DomainIdEquals=other)) == ["lab-other"]
    found = sm.list_spaces(DomainIdEquals=domain_id, SpaceNameContains="lab")
    assert sorted(space_names(found)) == ["lab-ana", "lab-ben"]


def test_list_spaces_sort_by_creation_and_last_modified_time(sm, domain_id, make_space):
    for name in ("b", "c", "a"):
        make_space(name, owner="ana")
    assert space_names(sm.list_spaces(DomainIdEquals=domain_id)) == ["b", "c", "a"]
    descending = sm.list_spaces(SortBy="CreationTime", SortOrder="Descending")
    assert space_names(descending) == ["a", "c", "b"]
    sm.update_space(DomainId=domain_id, SpaceName="b", SpaceDisplayName="touched")
    by_modified = sm.list_spaces(SortBy="LastModifiedTime", SortOrder="Descending")
    assert space_names(by_modified) == ["b", "a", "c"]


def test_list_spaces_paginates(sm, domain_id, make_space):
    created = [make_space(f"space-{i}", owner="ana") for i in range(5)]
    seen, token = [], None
    for _ in range(10):
        page = sm.list_spaces(MaxResults=2, **({"NextToken": token} if token else {}))
        assert len(page["Spaces"]) <= 2
        seen += space_names(page)
        token = page.get("NextToken")
        if not token:
            break
    assert seen == created


# ------------------------------------------------------------------ delete
def test_delete_space_refused_while_an_app_runs(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(DomainId=domain_id, SpaceName="lab", AppType="JupyterLab", AppName="default")
    with pytest.raises(ClientError) as excinfo:
        sm.delete_space(DomainId=domain_id, SpaceName="lab")
    code, message = error_of(excinfo)
    assert code == "ResourceInUse"
    assert "DeleteApp" in message
    assert sm.describe_space(DomainId=domain_id, SpaceName="lab")["Status"] == "InService"


def test_delete_space_works_after_delete_app(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(DomainId=domain_id, SpaceName="lab", AppType="JupyterLab", AppName="default")
    sm.delete_app(DomainId=domain_id, SpaceName="lab", AppType="JupyterLab", AppName="default")
    response = sm.delete_space(DomainId=domain_id, SpaceName="lab")
    assert set(response) == {"ResponseMetadata"}
    with pytest.raises(ClientError) as excinfo:
        sm.describe_space(DomainId=domain_id, SpaceName="lab")
    assert error_of(excinfo)[0] == "ResourceNotFound"
    assert space_names(sm.list_spaces(DomainIdEquals=domain_id)) == []


def test_delete_missing_space_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.delete_space(DomainId=domain_id, SpaceName="nowhere")
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_space_name_can_be_reused_after_deletion(sm, domain_id, make_space):
    make_space("lab", owner="ana", **storage(40))
    sm.delete_space(DomainId=domain_id, SpaceName="lab")
    make_space("lab", owner="ana")
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="lab")) == 5


def test_user_profile_storage_settings_beat_the_domain_for_private_spaces(sm, domain_id):
    sm.update_domain(
        DomainId=domain_id, DefaultUserSettings={"ExecutionRole": ROLE, **ebs_limits(20, 200)}
    )
    sm.create_user_profile(
        DomainId=domain_id, UserProfileName="ana", UserSettings=ebs_limits(8, 40)
    )
    create_space(sm, domain_id, "lab", "ana", "Private")
    assert ebs_size(sm.describe_space(DomainId=domain_id, SpaceName="lab")) == 8
    with pytest.raises(ClientError) as excinfo:
        create_space(sm, domain_id, "big", "ana", "Private", **storage(41))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "40" in message


def test_private_sharing_without_an_owner_is_refused(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.create_space(
            DomainId=domain_id,
            SpaceName="orphan",
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "JupyterLab"},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "OwnershipSettings" in message


def test_domain_default_ebs_above_its_maximum_is_refused(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.update_domain(DomainId=domain_id, DefaultUserSettings=ebs_limits(50, 20))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "DefaultEbsStorageSettings" in message


def test_auto_mount_default_as_domain_is_refused_on_a_domain(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.update_domain(
            DomainId=domain_id, DefaultUserSettings={"AutoMountHomeEFS": "DefaultAsDomain"}
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "AutoMountHomeEFS" in message
    sm.create_user_profile(
        DomainId=domain_id,
        UserProfileName="ana",
        UserSettings={"AutoMountHomeEFS": "DefaultAsDomain"},
    )
