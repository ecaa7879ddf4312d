"""Studio lifecycle configurations: the four operations AWS has, attachment at domain,
profile and space, the choice at app start, and scripts that fail."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import ROLE, error_of

from studio_mock import wait_for_status

LOG_GROUP = "/aws/sagemaker/studio"


def script(*lines: str) -> str:
    return base64.b64encode("\n".join(["#!/bin/bash", *lines]).encode()).decode()


def make_config(sm: Any, name: str, *lines: str, app_type: str = "JupyterLab") -> str:
    return sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName=name,
        StudioLifecycleConfigContent=script(*lines or ("echo ready",)),
        StudioLifecycleConfigAppType=app_type,
    )["StudioLifecycleConfigArn"]


def attach(
    sm: Any, domain_id: str, arns: list[str], default: str | None = None, **more: Any
) -> None:
    settings: dict[str, Any] = {"LifecycleConfigArns": arns, **more}
    if default:
        settings["DefaultResourceSpec"] = {"LifecycleConfigArn": default}
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={"ExecutionRole": ROLE, "JupyterLabAppSettings": settings},
    )


def lab(domain_id: str, space: str = "lab") -> dict[str, Any]:
    return {
        "DomainId": domain_id,
        "SpaceName": space,
        "AppType": "JupyterLab",
        "AppName": "default",
    }


def refused(call: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_of(excinfo)


def test_create_describe_list_delete(studio, sm):
    arn = make_config(sm, "setup", "pip install polars")
    assert arn == "arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/setup"
    make_config(sm, "editor", app_type="CodeEditor")
    described = sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="setup")
    assert base64.b64decode(described["StudioLifecycleConfigContent"]).decode().endswith("polars")
    assert described["StudioLifecycleConfigAppType"] == "JupyterLab"
    listed = sm.list_studio_lifecycle_configs(AppTypeEquals="CodeEditor")["StudioLifecycleConfigs"]
    assert [c["StudioLifecycleConfigName"] for c in listed] == ["editor"]
    assert "StudioLifecycleConfigContent" not in listed[0]
    assert refused(lambda: make_config(sm, "setup"))[0] == "ResourceInUse"
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="setup")
    code, message = refused(
        lambda: sm.describe_studio_lifecycle_config(StudioLifecycleConfigName="setup")
    )
    assert code == "ResourceNotFound" and "setup" in message


def test_attaching_unknown_or_mismatched_configs_is_refused(sm, domain_id):
    editor = make_config(sm, "editor", app_type="CodeEditor")
    unknown = editor.replace("/editor", "/nowhere")
    code, message = refused(lambda: attach(sm, domain_id, [unknown]))
    assert code == "ValidationException" and "does not exist" in message
    code, message = refused(lambda: attach(sm, domain_id, [editor]))
    assert code == "ValidationException" and "is for CodeEditor apps, not JupyterLab" in message
    settings = {"CodeEditorAppSettings": {"LifecycleConfigArns": [editor]}}
    sm.create_user_profile(DomainId=domain_id, UserProfileName="cy", UserSettings=settings)


def test_the_default_runs_unless_the_app_asks_for_another_attached_one(sm, domain_id, make_space):
    first, second = make_config(sm, "first"), make_config(sm, "second")
    stray = make_config(sm, "stray")
    attach(sm, domain_id, [first, second], default=first)
    make_space("lab", owner="ana")
    make_space("other", owner="ana")
    sm.create_app(**lab(domain_id))
    assert sm.describe_app(**lab(domain_id))["ResourceSpec"]["LifecycleConfigArn"] == first
    sm.create_app(**lab(domain_id, "other"), ResourceSpec={"LifecycleConfigArn": second})
    assert (
        sm.describe_app(**lab(domain_id, "other"))["ResourceSpec"]["LifecycleConfigArn"] == second
    )
    sm.delete_app(**lab(domain_id))
    code, message = refused(
        lambda: sm.create_app(**lab(domain_id), ResourceSpec={"LifecycleConfigArn": stray})
    )
    assert code == "ValidationException" and "not attached" in message


def test_a_space_default_and_the_built_in_config(sm, domain_id, make_space):
    space_default, built_in = make_config(sm, "space-default"), make_config(sm, "built-in")
    attach(sm, domain_id, [space_default], BuiltInLifecycleConfigArn=built_in)
    spec = {"DefaultResourceSpec": {"LifecycleConfigArn": space_default}}
    make_space("lab", owner="ana", JupyterLabAppSettings=spec)
    sm.create_app(**lab(domain_id))
    app = sm.describe_app(**lab(domain_id))
    assert app["ResourceSpec"]["LifecycleConfigArn"] == space_default
    assert app["BuiltInLifecycleConfigArn"] == built_in


def test_shared_spaces_use_the_configs_of_default_space_settings(sm, domain_id, make_space):
    users = make_config(sm, "users")
    attach(sm, domain_id, [users], default=users)
    make_space("team", owner="ana", sharing="Shared")
    sm.create_app(**lab(domain_id, "team"))
    assert "LifecycleConfigArn" not in sm.describe_app(**lab(domain_id, "team"))["ResourceSpec"]


def test_a_failing_script_leaves_the_app_failed_with_its_reason_and_log(
    realistic, sm, domain_id, make_space
):
    broken = make_config(sm, "broken", "echo installing", "pip install nothing-such", "exit 1")
    attach(sm, domain_id, [broken], default=broken)
    make_space("lab", owner="ana")
    sm.create_app(**lab(domain_id))
    assert sm.describe_app(**lab(domain_id))["Status"] == "Pending"
    realistic.advance(minutes=2)
    app = sm.describe_app(**lab(domain_id))
    assert app["Status"] == "Failed"
    stream = f"{domain_id}/lab/JupyterLab/default/LifecycleConfigOnStart"
    assert "'broken' failed with exit code 1" in app["FailureReason"]
    assert stream in app["FailureReason"]
    events = realistic.client("logs").get_log_events(logGroupName=LOG_GROUP, logStreamName=stream)
    assert [e["message"] for e in events["events"]][0] == "installing"
    # a Failed app is deleted like any other, and the space starts again without the script
    sm.delete_app(**lab(domain_id))
    wait_for_status(sm.describe_app, "Deleted", sleep=realistic.sleep, **lab(domain_id))
    attach(sm, domain_id, [broken])
    sm.create_app(**lab(domain_id))
    assert wait_for_status(sm.describe_app, "InService", sleep=realistic.sleep, **lab(domain_id))


def test_a_script_over_five_minutes_times_out(realistic, sm, domain_id, make_space):
    slow = make_config(sm, "slow", "sleep 200", "sleep 200", "echo never reached")
    attach(sm, domain_id, [slow], default=slow)
    make_space("lab", owner="ana")
    sm.create_app(**lab(domain_id))
    realistic.advance(minutes=6)
    assert sm.describe_app(**lab(domain_id))["Status"] == "Pending"  # start + 5 min limit
    realistic.advance(minutes=1)
    app = sm.describe_app(**lab(domain_id))
    assert app["Status"] == "Failed" and "within 5 minutes" in app["FailureReason"]


def test_a_slow_script_delays_in_service(realistic, sm, domain_id, make_space):
    setup = make_config(sm, "setup", "sleep 90", "exit 0")
    attach(sm, domain_id, [setup], default=setup)
    make_space("lab", owner="ana")
    sm.create_app(**lab(domain_id))
    realistic.advance(minutes=3)
    assert sm.describe_app(**lab(domain_id))["Status"] == "Pending"
    realistic.advance(seconds=30)
    assert sm.describe_app(**lab(domain_id))["Status"] == "InService"


def test_a_config_in_use_cannot_be_deleted(sm, domain_id, make_space):
    setup = make_config(sm, "setup")
    attach(sm, domain_id, [setup], default=setup)
    make_space("lab", owner="ana")
    sm.create_app(**lab(domain_id))
    attach(sm, domain_id, [])
    code, message = refused(
        lambda: sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="setup")
    )
    assert code == "ResourceInUse" and "running app" in message
    sm.delete_app(**lab(domain_id))
    sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="setup")
