"""Domains: the model and its operations (CreateDomain, Describe, List, Update, Delete)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .. import rules
from ..access import Caller
from ..exceptions import ResourceInUse, ResourceNotFound, ValidationException
from . import aws_services
from .common import GONE, StatusModel, arn, new_domain_id, new_hex, settings_get
from .listing import list_page
from .settings import apply_domain_settings_update, merged

if TYPE_CHECKING:
    from .backend import StudioBackend


class Domain(StatusModel):
    kind = "domain"
    SETTLES = {"Pending": "InService", "Updating": "InService", "Deleting": GONE}

    def __init__(
        self,
        account_id: str,
        region: str,
        domain_id: str,
        params: dict[str, Any],
        vpc_id: str | None,
        subnet_ids: list[str],
    ):
        super().__init__("Pending")
        self.account_id = account_id
        self.region = region
        self.id = domain_id
        self.name: str = params["DomainName"]
        self.arn = arn(account_id, region, f"domain/{domain_id}")
        self.auth_mode: str = params["AuthMode"]
        self.default_user_settings: dict[str, Any] = copy.deepcopy(params["DefaultUserSettings"])
        self.default_space_settings: dict[str, Any] | None = copy.deepcopy(
            params.get("DefaultSpaceSettings")
        )
        self.domain_settings: dict[str, Any] | None = copy.deepcopy(params.get("DomainSettings"))
        self.vpc_id = vpc_id
        self.subnet_ids = subnet_ids
        self.app_network_access_type = params.get("AppNetworkAccessType") or rules.default(
            "CreateDomain", "AppNetworkAccessType"
        )
        self.app_security_group_management = params.get("AppSecurityGroupManagement")
        self.kms_key_id = params.get("KmsKeyId")
        self.tag_propagation = params.get("TagPropagation") or rules.default(
            "CreateDomain", "TagPropagation"
        )
        self.home_efs_creation = params.get("HomeEfsFileSystemCreation") or rules.default(
            "CreateDomain", "HomeEfsFileSystemCreation"
        )
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
    def rstudio_role(self) -> str | None:
        return settings_get(
            self.domain_settings, "RStudioServerProDomainSettings", "DomainExecutionRoleArn"
        )

    @property
    def rstudio_enabled(self) -> bool:
        return bool((self.domain_settings or {}).get("RStudioServerProDomainSettings"))

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
            "Url": self.url,
            "HomeEfsFileSystemCreation": self.home_efs_creation,
            "TagPropagation": self.tag_propagation,
        }
        optional = {
            "SubnetIds": self.subnet_ids or None,
            "VpcId": self.vpc_id or None,
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


class DomainsMixin:
    domains: dict[str, Domain]

    def get_domain(self: StudioBackend, domain_id: str) -> Domain:
        domain = self._live(self.domains, domain_id)
        if domain is None:
            raise ResourceNotFound(
                f"Domain '{domain_id}' does not exist in {self.region}. "
                "Check the DomainId (it looks like d-xxxxxxxxxxxx) with ListDomains."
            )
        return domain

    def create_domain(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> Domain:
        domain_id = new_domain_id()
        self.check_access(
            caller,
            "CreateDomain",
            arn(self.account_id, self.region, f"domain/{domain_id}"),
            request_tags=params.get("Tags"),
            tagging_action="CreateDomain",
        )
        name = params["DomainName"]
        if any(d.name == name for d in self._purge(self.domains)):
            raise ResourceInUse(
                f"Resource Already Exists: Domain with name {name} already exists. "
                "Choose a different name."
            )
        self.check_user_settings(params.get("DefaultUserSettings"), "DefaultUserSettings")
        self.check_user_settings(params.get("DefaultSpaceSettings"), "DefaultSpaceSettings")
        network = params.get("AppNetworkAccessType") or rules.default(
            "CreateDomain", "AppNetworkAccessType"
        )
        if network == "VpcOnly":
            if not settings_get(params, "DefaultUserSettings", "SecurityGroups"):
                raise rules.breach("vpc-only-needs-security-groups", where="DefaultUserSettings")
            rstudio_role = settings_get(
                params, "DomainSettings", "RStudioServerProDomainSettings", "DomainExecutionRoleArn"
            )
            if rstudio_role and not params.get("AppSecurityGroupManagement"):
                raise rules.breach("rstudio-vpc-only-needs-sg-management")
        # AWS requires VpcId and SubnetIds outside Unified Studio; the mock falls back to
        # the default VPC as the console does (rules table row "domain-vpc-fallback").
        vpc_id, subnet_ids = params.get("VpcId"), list(params.get("SubnetIds") or [])
        if not vpc_id or not subnet_ids:
            vpc_id, subnet_ids = aws_services.default_network(self.account_id, self.region, vpc_id)
        domain = Domain(self.account_id, self.region, domain_id, params, vpc_id, subnet_ids)
        if domain.home_efs_creation == "Enabled":
            domain.home_efs_file_system_id = aws_services.create_home_efs(domain)
        self.domains[domain.id] = domain
        return domain

    def describe_domain(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> Domain:
        domain = self.get_domain(params["DomainId"])
        self.check_access(caller, "DescribeDomain", domain.arn, domain)
        return domain

    def list_domains(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> tuple[list[Domain], str | None]:
        self.check_access(caller, "ListDomains", "*")
        items = sorted(self._purge(self.domains), key=lambda d: d.creation_time)
        return list_page("ListDomains", items, params)

    def domain_apps(self: StudioBackend, domain: Domain, statuses: tuple[str, ...]) -> list[str]:
        return [
            a.arn for a in self.apps.values() if a.domain_id == domain.id and a.status in statuses
        ]

    def update_domain(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> Domain:
        domain = self.get_domain(params["DomainId"])
        self.check_access(caller, "UpdateDomain", domain.arn, domain)
        self._check_domain_update(domain, params)
        self.check_user_settings(params.get("DefaultUserSettings"), "DefaultUserSettings")
        self.check_user_settings(params.get("DefaultSpaceSettings"), "DefaultSpaceSettings")
        if params.get("DefaultUserSettings") is not None:
            domain.default_user_settings = merged(
                domain.default_user_settings, params["DefaultUserSettings"]
            )
        if params.get("DefaultSpaceSettings") is not None:
            domain.default_space_settings = merged(
                domain.default_space_settings, params["DefaultSpaceSettings"]
            )
        for_update = params.get("DomainSettingsForUpdate")
        if for_update:
            domain.domain_settings = apply_domain_settings_update(
                domain.domain_settings, for_update
            )
        for key, attr in (
            ("SubnetIds", "subnet_ids"),
            ("AppNetworkAccessType", "app_network_access_type"),
            ("TagPropagation", "tag_propagation"),
            ("VpcId", "vpc_id"),
            ("AppSecurityGroupManagement", "app_security_group_management"),
        ):
            if params.get(key) is not None:
                setattr(domain, attr, params[key])
        if params.get("HomeEfsFileSystemCreation") == "Enabled" and (
            domain.home_efs_file_system_id is None
        ):
            domain.home_efs_creation = "Enabled"
            domain.home_efs_file_system_id = aws_services.create_home_efs(domain)
        domain.begin("Updating")
        domain.touch()
        return domain

    def _check_domain_update(self: StudioBackend, domain: Domain, params: dict[str, Any]) -> None:
        busy = ("InService", "Pending", "Deleting")
        if params.get("HomeEfsFileSystemCreation") == "Disabled" and (
            domain.home_efs_creation == "Enabled"
        ):
            raise rules.breach("home-efs-cannot-be-disabled", domain=domain.id)
        network = params.get("AppNetworkAccessType")
        if network is not None and network != domain.app_network_access_type:
            new_role = settings_get(
                params,
                "DomainSettingsForUpdate",
                "RStudioServerProDomainSettingsForUpdate",
                "DomainExecutionRoleArn",
            )
            if domain.rstudio_role or new_role:
                raise rules.breach("network-change-not-with-rstudio", domain=domain.id)
            if apps := self.domain_apps(domain, busy):
                raise rules.breach("network-change-needs-no-apps", domain=domain.id, apps=apps)
        if params.get("SubnetIds") is not None:
            removed = sorted(set(domain.subnet_ids) - set(params["SubnetIds"]))
            if removed and (apps := self.domain_apps(domain, busy)):
                raise rules.breach(
                    "subnet-removal-needs-no-apps", domain=domain.id, removed=removed, apps=apps
                )
        identity = settings_get(params, "DomainSettingsForUpdate", "ExecutionRoleIdentityConfig")
        current = settings_get(domain.domain_settings, "ExecutionRoleIdentityConfig")
        running = ("InService", "Pending")
        if identity not in (None, current) and (apps := self.domain_apps(domain, running)):
            raise rules.breach("role-identity-change-needs-no-apps", domain=domain.id, apps=apps)

    def delete_domain(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> None:
        domain = self.get_domain(params["DomainId"])
        self.check_access(caller, "DeleteDomain", domain.arn, domain)
        profiles = [p.name for p in self._purge(self.user_profiles) if p.domain_id == domain.id]
        spaces = [s.name for s in self._purge(self.spaces) if s.domain_id == domain.id]
        if profiles or spaces:
            raise ResourceInUse(
                f"Domain '{domain.id}' still has user profiles {profiles} and spaces {spaces}. "
                "Delete the apps, then the spaces, then the user profiles, then the domain."
            )
        policy = settings_get(params, "RetentionPolicy", "HomeEfsFileSystem") or rules.default(
            "DeleteDomain", "RetentionPolicy.HomeEfsFileSystem"
        )
        if policy == "Delete" and domain.home_efs_file_system_id:
            aws_services.delete_efs(self.account_id, self.region, domain.home_efs_file_system_id)
        domain.begin("Deleting")

    def check_user_settings(
        self: StudioBackend,
        settings: dict[str, Any] | None,
        where: str,
        user_level: bool = False,
    ) -> None:
        """What the service checks in DefaultUserSettings, UserSettings and
        DefaultSpaceSettings: custom images and their configs, EBS default and maximum,
        AutoMountHomeEFS, idle-shutdown bounds, attached lifecycle configurations."""
        from . import idle

        if not settings:
            return
        self.check_custom_images(settings, where)
        storage = settings_get(settings, "SpaceStorageSettings", "DefaultEbsStorageSettings")
        if storage and storage["DefaultEbsVolumeSizeInGb"] > storage["MaximumEbsVolumeSizeInGb"]:
            raise rules.breach(
                "default-ebs-not-above-maximum",
                where=where,
                default=storage["DefaultEbsVolumeSizeInGb"],
                maximum=storage["MaximumEbsVolumeSizeInGb"],
            )
        if not user_level and settings.get("AutoMountHomeEFS") == "DefaultAsDomain":
            raise rules.breach("automount-default-as-domain", where=where)
        idle.check_settings(settings, where)
        self.check_lifecycle_attachments(settings, where)

    def check_custom_images(self: StudioBackend, settings: dict[str, Any], where: str) -> None:
        expected = {
            "JupyterLabAppSettings": "JupyterLabAppImageConfig",
            "CodeEditorAppSettings": "CodeEditorAppImageConfig",
            "KernelGatewayAppSettings": "KernelGatewayImageConfig",
        }
        for app_settings, kind in expected.items():
            for image in settings_get(settings, app_settings, "CustomImages") or []:
                self.get_image(image["ImageName"])
                config = self.get_app_image_config(image["AppImageConfigName"])
                if config.kind != kind:
                    raise ValidationException(
                        f"{where}.{app_settings}.CustomImages: AppImageConfig '{config.name}' "
                        f"holds a {config.kind}, but {app_settings} needs a {kind}."
                    )
