"""Apps: one per space, ResourceSpec defaults and overrides, app types, delete and restart."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import ROLE, error_of

from studio_mock import advance_clock

DISTRIBUTION_CPU = ":image/sagemaker-distribution-cpu"


def lab_app(domain_id: str, space: str = "lab", **extra: Any) -> dict[str, Any]:
    return {
        "DomainId": domain_id,
        "SpaceName": space,
        "AppType": "JupyterLab",
        "AppName": "default",
        **extra,
    }


def key(domain_id: str, space: str = "lab") -> dict[str, Any]:
    return lab_app(domain_id, space)


def app_names(response: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (a.get("SpaceName") or a.get("UserProfileName"), a["AppType"]) for a in response["Apps"]
    ]


def test_create_app_in_a_space_returns_its_arn(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    created = sm.create_app(**lab_app(domain_id))
    assert set(created) - {"ResponseMetadata"} == {"AppArn"}
    assert created["AppArn"].endswith(f":app/{domain_id}/lab/jupyterlab/default")


def test_describe_app_shows_keys_status_and_timestamps(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    arn = sm.create_app(**lab_app(domain_id))["AppArn"]
    app = sm.describe_app(**key(domain_id))
    assert app["AppArn"] == arn
    assert app["DomainId"] == domain_id
    assert app["SpaceName"] == "lab"
    assert app["AppType"] == "JupyterLab"
    assert app["AppName"] == "default"
    assert app["Status"] == "InService"
    assert "UserProfileName" not in app
    assert {"CreationTime", "LastHealthCheckTimestamp", "LastUserActivityTimestamp"} <= set(app)


def test_resource_spec_defaults_to_t3_medium_and_sagemaker_distribution(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    spec = sm.describe_app(**key(domain_id))["ResourceSpec"]
    assert spec["InstanceType"] == "ml.t3.medium"
    assert spec["SageMakerImageArn"].startswith("arn:aws:sagemaker:us-east-1:")
    assert spec["SageMakerImageArn"].endswith(DISTRIBUTION_CPU)


def test_code_editor_app_gets_the_same_defaults(sm, domain_id, make_space):
    make_space("code", owner="ana", app_type="CodeEditor")
    sm.create_app(DomainId=domain_id, SpaceName="code", AppType="CodeEditor", AppName="default")
    spec = sm.describe_app(
        DomainId=domain_id, SpaceName="code", AppType="CodeEditor", AppName="default"
    )["ResourceSpec"]
    assert spec["InstanceType"] == "ml.t3.medium"
    assert spec["SageMakerImageArn"].endswith(DISTRIBUTION_CPU)


def test_instance_type_in_the_request_overrides_the_default(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id, ResourceSpec={"InstanceType": "ml.m5.large"}))
    spec = sm.describe_app(**key(domain_id))["ResourceSpec"]
    assert spec["InstanceType"] == "ml.m5.large"


def test_domain_default_resource_spec_flows_into_a_private_space_app(sm, domain_id, make_space):
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
        },
    )
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    assert sm.describe_app(**key(domain_id))["ResourceSpec"]["InstanceType"] == "ml.m5.large"


def test_request_instance_type_beats_the_domain_default(sm, domain_id, make_space):
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
        },
    )
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id, ResourceSpec={"InstanceType": "ml.t3.large"}))
    assert sm.describe_app(**key(domain_id))["ResourceSpec"]["InstanceType"] == "ml.t3.large"


def test_both_user_profile_and_space_name_is_refused(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(**lab_app(domain_id, UserProfileName="ana"))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "UserProfileName" in message and "SpaceName" in message


def test_neither_user_profile_nor_space_name_is_refused(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(DomainId=domain_id, AppType="JupyterLab", AppName="default")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "SpaceName" in message


def test_second_app_in_the_same_space_is_resource_in_use(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(**lab_app(domain_id, AppName="second"))
    code, message = error_of(excinfo)
    assert code == "ResourceInUse"
    assert "DeleteApp" in message


def test_same_app_twice_is_resource_in_use(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(**lab_app(domain_id))
    assert error_of(excinfo)[0] == "ResourceInUse"


def test_app_type_not_matching_the_space_is_refused(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(DomainId=domain_id, SpaceName="lab", AppType="CodeEditor", AppName="default")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "JupyterLab" in message


def test_create_app_in_missing_space_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(**lab_app(domain_id, space="nowhere"))
    code, message = error_of(excinfo)
    assert code == "ResourceNotFound"
    assert "nowhere" in message


@pytest.mark.parametrize("app_type", ["JupyterServer", "KernelGateway"])
def test_studio_classic_app_types_are_deprecated(sm, domain_id, app_type):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(
            DomainId=domain_id, UserProfileName="ana", AppType=app_type, AppName="default"
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "deprecated" in message.lower()
    assert app_type in message


def test_jupyterlab_app_for_a_user_profile_is_refused(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(
            DomainId=domain_id, UserProfileName="ana", AppType="JupyterLab", AppName="default"
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "SpaceName" in message


def test_rstudio_refused_without_rstudio_domain_settings(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(
            DomainId=domain_id,
            UserProfileName="ana",
            AppType="RStudioServerPro",
            AppName="default",
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "RStudioServerProDomainSettings" in message


def test_rstudio_accepted_when_the_domain_has_rstudio_settings(sm):
    domain_id = sm.create_domain(
        DomainName="rstudio",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE},
        DomainSettings={"RStudioServerProDomainSettings": {"DomainExecutionRoleArn": ROLE}},
    )["DomainId"]
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    arn = sm.create_app(
        DomainId=domain_id, UserProfileName="ana", AppType="RStudioServerPro", AppName="default"
    )["AppArn"]
    assert arn.endswith(f":app/{domain_id}/ana/rstudioserverpro/default")
    app = sm.describe_app(
        DomainId=domain_id, UserProfileName="ana", AppType="RStudioServerPro", AppName="default"
    )
    assert app["Status"] == "InService"
    assert app["UserProfileName"] == "ana"


def test_canvas_app_for_a_user_profile(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    arn = sm.create_app(
        DomainId=domain_id, UserProfileName="ana", AppType="Canvas", AppName="default"
    )["AppArn"]
    assert arn.endswith(f":app/{domain_id}/ana/canvas/default")
    app = sm.describe_app(
        DomainId=domain_id, UserProfileName="ana", AppType="Canvas", AppName="default"
    )
    assert app["UserProfileName"] == "ana"
    assert app["Status"] == "InService"
    assert "SpaceName" not in app


def test_delete_app_shows_deleted_in_describe_and_list(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    response = sm.delete_app(**key(domain_id))
    assert set(response) == {"ResponseMetadata"}
    assert sm.describe_app(**key(domain_id))["Status"] == "Deleted"
    (listed,) = sm.list_apps(DomainIdEquals=domain_id)["Apps"]
    assert listed["SpaceName"] == "lab"
    assert listed["Status"] == "Deleted"


def test_delete_app_twice_is_refused(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    sm.delete_app(**key(domain_id))
    with pytest.raises(ClientError) as excinfo:
        sm.delete_app(**key(domain_id))
    assert error_of(excinfo)[0] in ("ResourceInUse", "ResourceNotFound")


def test_delete_missing_app_is_resource_not_found(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.delete_app(**key(domain_id))
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_describe_missing_app_is_resource_not_found(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.describe_app(**key(domain_id))
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_restart_after_delete_creates_a_running_app_again(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    sm.delete_app(**key(domain_id))
    sm.create_app(**lab_app(domain_id, ResourceSpec={"InstanceType": "ml.m5.large"}))
    app = sm.describe_app(**key(domain_id))
    assert app["Status"] == "InService"
    assert app["ResourceSpec"]["InstanceType"] == "ml.m5.large"


def test_list_apps_filters(sm, domain_id, make_space):
    other = sm.create_domain(
        DomainName="other", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    make_space("lab-ana", owner="ana")
    make_space("lab-ben", owner="ben")
    sm.create_app(**lab_app(domain_id, space="lab-ana"))
    sm.create_app(**lab_app(domain_id, space="lab-ben"))
    sm.create_app(DomainId=domain_id, UserProfileName="ana", AppType="Canvas", AppName="default")
    sm.create_user_profile(DomainId=other, UserProfileName="cy")
    sm.create_app(DomainId=other, UserProfileName="cy", AppType="Canvas", AppName="default")

    in_domain = app_names(sm.list_apps(DomainIdEquals=domain_id))
    assert sorted(in_domain) == [
        ("ana", "Canvas"),
        ("lab-ana", "JupyterLab"),
        ("lab-ben", "JupyterLab"),
    ]
    assert app_names(sm.list_apps(DomainIdEquals=other)) == [("cy", "Canvas")]
    by_space = sm.list_apps(DomainIdEquals=domain_id, SpaceNameEquals="lab-ben")
    assert app_names(by_space) == [("lab-ben", "JupyterLab")]
    by_profile = sm.list_apps(DomainIdEquals=domain_id, UserProfileNameEquals="ana")
    assert app_names(by_profile) == [("ana", "Canvas")]


def test_list_apps_with_both_profile_and_space_filters_is_refused(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.list_apps(DomainIdEquals=domain_id, UserProfileNameEquals="ana", SpaceNameEquals="lab")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "SpaceNameEquals" in message and "UserProfileNameEquals" in message


def test_list_apps_items_carry_the_resource_spec(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    (item,) = sm.list_apps(DomainIdEquals=domain_id, SpaceNameEquals="lab")["Apps"]
    assert item["AppName"] == "default"
    assert item["Status"] == "InService"
    assert item["ResourceSpec"]["InstanceType"] == "ml.t3.medium"


def test_gpu_instance_gets_the_gpu_sagemaker_distribution(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id, ResourceSpec={"InstanceType": "ml.g4dn.xlarge"}))
    spec = sm.describe_app(**key(domain_id))["ResourceSpec"]
    assert spec["InstanceType"] == "ml.g4dn.xlarge"
    assert spec["SageMakerImageArn"].endswith(":image/sagemaker-distribution-gpu")


def test_system_instance_type_is_refused_for_jupyterlab(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_app(**lab_app(domain_id, ResourceSpec={"InstanceType": "system"}))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "system" in message


def test_user_settings_beat_the_domain_for_a_private_space(sm, domain_id, make_space):
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
        },
    )
    sm.create_user_profile(
        DomainId=domain_id,
        UserProfileName="ana",
        UserSettings={
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.xlarge"}}
        },
    )
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    assert sm.describe_app(**key(domain_id))["ResourceSpec"]["InstanceType"] == "ml.m5.xlarge"


def test_space_settings_beat_user_and_domain_settings(sm, domain_id, make_space):
    sm.create_user_profile(
        DomainId=domain_id,
        UserProfileName="ana",
        UserSettings={
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.xlarge"}}
        },
    )
    make_space(
        "lab",
        owner="ana",
        JupyterLabAppSettings={"DefaultResourceSpec": {"InstanceType": "ml.t3.large"}},
    )
    sm.create_app(**lab_app(domain_id))
    assert sm.describe_app(**key(domain_id))["ResourceSpec"]["InstanceType"] == "ml.t3.large"


def test_shared_space_apps_take_default_space_settings(sm, domain_id, make_space):
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
        },
        DefaultSpaceSettings={
            "ExecutionRole": ROLE,
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.t3.large"}},
        },
    )
    make_space("team", owner="ana", sharing="Shared")
    make_space("mine", owner="ana")
    sm.create_app(**lab_app(domain_id, space="team"))
    sm.create_app(**lab_app(domain_id, space="mine"))
    team = sm.describe_app(**key(domain_id, "team"))["ResourceSpec"]
    mine = sm.describe_app(**key(domain_id, "mine"))["ResourceSpec"]
    assert team["InstanceType"] == "ml.t3.large"
    assert mine["InstanceType"] == "ml.m5.large"


def test_deleted_app_metadata_is_purged_after_24_hours(studio, sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    sm.delete_app(**key(domain_id))
    advance_clock(hours=23, endpoint_url=studio.endpoint_url)
    assert sm.describe_app(**key(domain_id))["Status"] == "Deleted"
    advance_clock(hours=2, endpoint_url=studio.endpoint_url)
    with pytest.raises(ClientError) as excinfo:
        sm.describe_app(**key(domain_id))
    assert error_of(excinfo)[0] == "ResourceNotFound"
    assert sm.list_apps(DomainIdEquals=domain_id)["Apps"] == []


def test_a_running_app_is_not_purged(studio, sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_app(**lab_app(domain_id))
    advance_clock(hours=48, endpoint_url=studio.endpoint_url)
    assert sm.describe_app(**key(domain_id))["Status"] == "InService"
