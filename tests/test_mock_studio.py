"""mock_studio keeps labs away from real AWS, and its status stepping works."""

from __future__ import annotations

import os

import boto3
import pytest

from studio_mock import mock_studio, set_progression
from studio_mock.mock import FAKE_CREDENTIALS

ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"


def test_real_credentials_in_the_environment_are_replaced(monkeypatch, tmp_path):
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[default]\naws_access_key_id = AKIAREALREALREALREAL\naws_secret_access_key = real-secret\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY000000000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    monkeypatch.setenv("AWS_PROFILE", "production")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    with mock_studio():
        found = boto3.Session().get_credentials()
        assert found.access_key == FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]
        assert found.token is None
        assert "AWS_PROFILE" not in os.environ
        account = boto3.client("sts").get_caller_identity()["Account"]
        assert account == "123456789012"  # moto's fake account
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALKEY000000000"
    assert os.environ["AWS_PROFILE"] == "production"


def test_region_defaults_to_us_east_1_and_can_be_chosen():
    with mock_studio():
        assert boto3.client("sagemaker").meta.region_name == "us-east-1"
    with mock_studio(region="eu-west-1"):
        assert boto3.client("sagemaker").meta.region_name == "eu-west-1"


def test_works_as_a_decorator_and_starts_clean_each_time():
    @mock_studio()
    def count_domains_after_creating_one() -> int:
        sm = boto3.client("sagemaker")
        sm.create_domain(
            DomainName="x", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        )
        return len(sm.list_domains()["Domains"])

    assert count_domains_after_creating_one() == 1
    assert count_domains_after_creating_one() == 1  # nothing left over from the first run


def test_manual_progression_steps_one_status_per_describe():
    with mock_studio():
        set_progression("app", "manual")
        sm = boto3.client("sagemaker")
        domain = sm.create_domain(
            DomainName="x", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        )["DomainId"]
        sm.create_user_profile(DomainId=domain, UserProfileName="ana")
        sm.create_space(
            DomainId=domain,
            SpaceName="s",
            OwnershipSettings={"OwnerUserProfileName": "ana"},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "JupyterLab"},
        )
        key = dict(DomainId=domain, SpaceName="s", AppType="JupyterLab", AppName="default")
        sm.create_app(**key)
        seen = [sm.describe_app(**key)["Status"] for _ in range(2)]
        assert seen == ["Pending", "InService"]
        sm.delete_app(**key)
        seen = [sm.describe_app(**key)["Status"] for _ in range(2)]
        assert seen == ["Deleting", "Deleted"]
    with mock_studio():  # a new mock starts immediate again
        assert boto3.client("sagemaker").list_domains()["Domains"] == []


def test_set_progression_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="kind must be one of"):
        set_progression("notebook")
    with pytest.raises(ValueError, match="progression must be"):
        set_progression("space", "sometimes")
