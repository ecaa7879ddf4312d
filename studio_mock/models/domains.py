"""Domains and user profiles."""

from __future__ import annotations

import copy
from typing import Any

from .common import GONE, StatusModel, arn, new_hex

_LIFECYCLE = [
    ("Pending", "InService"),
    ("Updating", "InService"),
    ("Deleting", GONE),
]


class Domain(StatusModel):
    def __init__(
        self,
        account_id: str,
        region: str,
        domain_id: str,
        name: str,
        params: dict[str, Any],
        vpc_id: str | None,
        subnet_ids: list[str],
    ):
        super().__init__("domain", _LIFECYCLE)
        self.account_id = account_id
        self.region = region
        self.id = domain_id
        self.name = name
        self.arn = arn(account_id, region, f"domain/{domain_id}")
        self.auth_mode: str = params["AuthMode"]
        self.default_user_settings: dict[str, Any] = copy.deepcopy(params["DefaultUserSettings"])
        self.default_space_settings: dict[str, Any] | None = copy.deepcopy(
            params.get("DefaultSpaceSettings")
        )
        self.domain_settings: dict[str, Any] | None = copy.deepcopy(params.get("DomainSettings"))
        self.vpc_id = vpc_id
        self.subnet_ids = subnet_ids
        self.app_network_access_type = params.get("AppNetworkAccessType") or "PublicInternetOnly"
        self.app_security_group_management = params.get("AppSecurityGroupManagement")
        self.kms_key_id = params.get("KmsKeyId")
        self.tag_propagation = params.get("TagPropagation") or "DISABLED"
        self.home_efs_creation = params.get("HomeEfsFileSystemCreation") or "Enabled"
        self.home_efs_file_system_id: str | None = None
        self.security_group_id = "sg-" + new_hex(17)
        self.url = f"https://{domain_id}.studio.{region}.sagemaker.aws"
        self.tags: list[dict[str, str]] = list(params.get("Tags") or [])
        self.next_uid = 200001  # HomeEfsFileSystemUid of the next profile or space
        if self.auth_mode == "SSO":
            self.sso_instance_id = "ins-" + new_hex(16)
            self.sso_application_arn = (
                f"arn:aws:sso::{account_id}:application/ssoins-{new_hex(16)}/apl-{new_hex(16)}"
            )

    def take_uid(self) -> str:
        uid = str(self.next_uid)
        self.next_uid += 1
        return uid

    @property
    def rstudio_enabled(self) -> bool:
        settings = self.domain_settings or {}
        return bool(settings.get("RStudioServerProDomainSettings"))

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "DomainArn": self.arn,
            "DomainId": self.id,
            "DomainName": self.name,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "SecurityGroupIdForDomainBoundary": self.security_group_id,
            "AuthMode": self.auth_mode,
            "DefaultUserSettings": self.default_user_settings,
            "AppNetworkAccessType": self.app_network_access_type,
            "SubnetIds": self.subnet_ids,
            "Url": self.url,
            "VpcId": self.vpc_id,
            "HomeEfsFileSystemCreation": self.home_efs_creation,
            "TagPropagation": self.tag_propagation,
        }
        optional = {
            "HomeEfsFileSystemId": self.home_efs_file_system_id,
            "DomainSettings": self.domain_settings,
            "DefaultSpaceSettings": self.default_space_settings,
            "KmsKeyId": self.kms_key_id,
            "HomeEfsFileSystemKmsKeyId": self.kms_key_id,
            "AppSecurityGroupManagement": self.app_security_group_management,
        }
        if self.auth_mode == "SSO":
            optional["SingleSignOnManagedApplicationInstanceId"] = self.sso_instance_id
            optional["SingleSignOnApplicationArn"] = self.sso_application_arn
        out.update({k: v for k, v in optional.items() if v is not None})
        if not out["SubnetIds"]:
            del out["SubnetIds"]
        if not out["VpcId"]:
            del out["VpcId"]
        return out

    def summary(self) -> dict[str, Any]:
        return {
            "DomainArn": self.arn,
            "DomainId": self.id,
            "DomainName": self.name,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "Url": self.url,
        }


class UserProfile(StatusModel):
    def __init__(self, domain: Domain, name: str, params: dict[str, Any]):
        super().__init__("user-profile", _LIFECYCLE)
        self.domain_id = domain.id
        self.name = name
        self.arn = arn(domain.account_id, domain.region, f"user-profile/{domain.id}/{name}")
        self.user_settings: dict[str, Any] = copy.deepcopy(params.get("UserSettings") or {})
        self.sso_identifier = params.get("SingleSignOnUserIdentifier")
        self.sso_value = params.get("SingleSignOnUserValue")
        self.home_efs_uid = domain.take_uid()
        self.tags: list[dict[str, str]] = list(params.get("Tags") or [])

    def describe(self) -> dict[str, Any]:
        out = {
            "DomainId": self.domain_id,
            "UserProfileArn": self.arn,
            "UserProfileName": self.name,
            "HomeEfsFileSystemUid": self.home_efs_uid,
            "Status": self.status,
            "LastModifiedTime": self.last_modified_time,
            "CreationTime": self.creation_time,
            "UserSettings": self.user_settings,
        }
        if self.sso_identifier:
            out["SingleSignOnUserIdentifier"] = self.sso_identifier
            out["SingleSignOnUserValue"] = self.sso_value
        return out

    def summary(self) -> dict[str, Any]:
        return {
            "DomainId": self.domain_id,
            "UserProfileName": self.name,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
        }
