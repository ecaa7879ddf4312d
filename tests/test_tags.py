"""Tags on Studio resources: who may add, list and delete them, how AddTags overwrites, and
the IAM request context every call hands to ``access.authorize``."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of

import studio_mock.models.backend as backend_module

TAG = [{"Key": "project", "Value": "churn"}]


def space_arn(domain_id: str, name: str) -> str:
    return f"arn:aws:sagemaker:us-east-1:123456789012:space/{domain_id}/{name}"


def new_space(client: Any, domain_id: str, name: str, owner: str, **extra: Any) -> str:
    return client.create_space(
        DomainId=domain_id,
        SpaceName=name,
        OwnershipSettings={"OwnerUserProfileName": owner},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={"AppType": "JupyterLab"},
        **extra,
    )["SpaceArn"]


def denied(call: Any, action: str) -> None:
    with pytest.raises(ClientError) as refused:
        call()
    code, message = error_of(refused)
    assert code == "AccessDeniedException", message
    assert f"sagemaker:{action}" in message


def test_a_user_tags_only_while_creating(studio, sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    ana = studio.as_user(domain_id, "ana")
    arn = new_space(ana, domain_id, "mine", "ana", Tags=TAG)
    assert sm.list_tags(ResourceArn=arn)["Tags"] == TAG
    denied(lambda: ana.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]), "AddTags")
    denied(lambda: ana.list_tags(ResourceArn=arn), "ListTags")
    denied(lambda: ana.delete_tags(ResourceArn=arn, TagKeys=["project"]), "DeleteTags")
    assert sm.list_tags(ResourceArn=arn)["Tags"] == TAG, "a refused call changes nothing"


def test_add_tags_adds_or_overwrites_and_delete_tags_removes(studio, sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    arn = new_space(sm, domain_id, "mine", "ana", Tags=TAG)
    answer = sm.add_tags(
        ResourceArn=arn, Tags=[{"Key": "project", "Value": "fraud"}, {"Key": "k", "Value": "v"}]
    )
    expected = [{"Key": "project", "Value": "fraud"}, {"Key": "k", "Value": "v"}]
    assert answer["Tags"] == expected
    assert sm.list_tags(ResourceArn=arn)["Tags"] == expected
    sm.delete_tags(ResourceArn=arn, TagKeys=["project"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    with pytest.raises(ClientError) as missing:
        sm.list_tags(ResourceArn=space_arn(domain_id, "nowhere"))
    assert error_of(missing)[0] == "ResourceNotFound"


def test_tags_of_other_sagemaker_resources_still_go_to_moto(studio, sm):
    arn = sm.create_model(
        ModelName="m",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/R",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"},
    )["ModelArn"]
    sm.add_tags(ResourceArn=arn, Tags=TAG)
    assert sm.list_tags(ResourceArn=arn)["Tags"] == TAG


@pytest.mark.parametrize("kind", ["model/nowhere", "no-such-kind/x"])
def test_tags_of_an_unknown_resource_are_a_validation_error_not_a_crash(sm, kind):
    with pytest.raises(ClientError) as refused:
        sm.list_tags(ResourceArn=f"arn:aws:sagemaker:us-east-1:123456789012:{kind}")
    code, message = error_of(refused)
    assert code == "ValidationException" and kind in message


@pytest.fixture
def contexts(studio: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (action, resource, context) the backend asks ``authorize`` about."""
    seen: list[tuple[str, str, dict[str, Any]]] = []
    real = backend_module.authorize

    def spy(caller: Any, action: str, resource_arn: str, context: Any = None, **old: Any) -> None:
        seen.append((action, resource_arn, dict(context or {})))
        real(caller, action, resource_arn, context, **old)

    monkeypatch.setattr(backend_module, "authorize", spy)  # the server runs in this process
    return seen


def test_a_create_with_tags_is_also_an_add_tags_with_the_tagging_action(
    studio, sm, domain_id, contexts
):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    contexts.clear()
    new_space(studio.as_user(domain_id, "ana"), domain_id, "mine", "ana", Tags=TAG)
    (create, *_), (add, add_arn, add_context) = contexts
    assert create == "CreateSpace" and add == "AddTags"
    assert add_arn == space_arn(domain_id, "mine")
    assert add_context["sagemaker:TaggingAction"] == "CreateSpace"
    assert add_context["aws:RequestTag/project"] == "churn"
    assert add_context["aws:TagKeys"] == ["project"]
    assert add_context["sagemaker:DomainId"] == domain_id
    assert add_context["sagemaker:UserProfileName"] == "ana"
    assert "sagemaker:TaggingAction" not in contexts[0][2]


def test_space_and_app_calls_carry_the_studio_condition_keys(studio, sm, domain_id, contexts):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    new_space(sm, domain_id, "mine", "ana", Tags=TAG)
    contexts.clear()
    sm.describe_space(DomainId=domain_id, SpaceName="mine")
    sm.create_app(
        DomainId=domain_id,
        SpaceName="mine",
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={"InstanceType": "ml.m5.large"},
    )
    by_action = {action: context for action, _, context in contexts}
    owner = f"arn:aws:sagemaker:us-east-1:123456789012:user-profile/{domain_id}/ana"
    for action in ("DescribeSpace", "CreateApp"):
        assert by_action[action]["sagemaker:OwnerUserProfileArn"] == owner
        assert by_action[action]["sagemaker:SpaceSharingType"] == "Private"
    assert by_action["DescribeSpace"]["aws:ResourceTag/project"] == "churn"
    assert by_action["CreateApp"]["sagemaker:InstanceTypes"] == ["ml.m5.large"]
    assert "sagemaker:ImageArns" not in by_action["CreateApp"], "only what the request names"


def test_every_studio_operation_asks_authorize(studio, sm, domain_id, contexts):
    sm.list_spaces(DomainIdEquals=domain_id)
    sm.list_images()
    sm.list_studio_lifecycle_configs()
    sm.describe_domain(DomainId=domain_id)
    asked = [(action, arn) for action, arn, _ in contexts]
    assert ("ListSpaces", "*") in asked and ("ListImages", "*") in asked
    assert ("ListStudioLifecycleConfigs", "*") in asked
    assert (
        "DescribeDomain",
        f"arn:aws:sagemaker:us-east-1:123456789012:domain/{domain_id}",
    ) in asked
