"""mock_studio keeps labs away from real AWS and starts clean each time."""

from __future__ import annotations

import os

import boto3

from studio_mock import mock_studio
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
