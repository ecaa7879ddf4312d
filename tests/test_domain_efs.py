"""The domain's legacy EFS home volume is a real moto EFS file system."""

from __future__ import annotations

import pytest


def test_mount_target_in_the_domains_subnet_then_delete_with_the_domain(studio, sm, domain_id):
    efs = studio.client("efs")
    described = sm.describe_domain(DomainId=domain_id)
    fs_id = described["HomeEfsFileSystemId"]
    target = efs.create_mount_target(FileSystemId=fs_id, SubnetId=described["SubnetIds"][0])
    assert target["LifeCycleState"] == "available"
    assert target["VpcId"] == described["VpcId"]
    sm.delete_domain(DomainId=domain_id, RetentionPolicy={"HomeEfsFileSystem": "Delete"})
    assert [fs["FileSystemId"] for fs in efs.describe_file_systems()["FileSystems"]] == []


def test_a_bug_in_the_mock_is_an_aws_error_not_a_python_crash(monkeypatch):
    import boto3

    from studio_mock import mock_studio
    from studio_mock.models.backend import StudioBackend

    def broken(self, params, caller):
        raise KeyError("oops")

    with mock_studio():
        monkeypatch.setattr(StudioBackend, "list_domains", broken)
        sm = boto3.client("sagemaker")
        with pytest.raises(sm.exceptions.ClientError) as excinfo:
            sm.list_domains()
    code, message = (excinfo.value.response["Error"][k] for k in ("Code", "Message"))
    assert code == "InternalFailure"
    assert "bug in the mock" in message and "KeyError" in message
