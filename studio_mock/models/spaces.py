"""Spaces, the apps that run in them, their EBS volumes and who opened them."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .common import GONE, StatusModel, arn, new_hex
from .domains import Domain

_SPACE_LIFECYCLE = [("Pending", "InService"), ("Updating", "InService"), ("Deleting", GONE)]
_APP_LIFECYCLE = [("Pending", "InService"), ("Deleting", "Deleted")]
SPACE_APP_TYPES = ("JupyterLab", "CodeEditor")


@dataclass
class Volume:
    """The EBS volume of one space: its files outlive the app, not the space."""

    volume_id: str
    size_gb: int
    files: dict[str, bytes] = field(default_factory=dict)


class Space(StatusModel):
    def __init__(self, domain: Domain, name: str, params: dict[str, Any], size_gb: int):
        super().__init__("space", _SPACE_LIFECYCLE)
        self.domain_id = domain.id
        self.name = name
        self.arn = arn(domain.account_id, domain.region, f"space/{domain.id}/{name}")
        self.settings: dict[str, Any] = copy.deepcopy(params.get("SpaceSettings") or {})
        self.owner: str | None = (params.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
        self.sharing_type: str = (params.get("SpaceSharingSettings") or {}).get(
            "SharingType", "Shared"
        )
        self.display_name: str | None = params.get("SpaceDisplayName")
        self.home_efs_uid = domain.take_uid()
        self.tags: list[dict[str, str]] = list(params.get("Tags") or [])
        self.volume = Volume("vol-" + new_hex(17), size_gb)
        self.settings.setdefault("SpaceStorageSettings", {})["EbsStorageSettings"] = {
            "EbsVolumeSizeInGb": size_gb
        }
        kind = (self.app_type or "jupyterlab").lower()
        self.url = f"{domain.url}/{kind}/{name}"

    @property
    def app_type(self) -> str | None:
        return self.settings.get("AppType")

    @property
    def private(self) -> bool:
        return self.sharing_type == "Private"

    def resize(self, size_gb: int) -> None:
        self.volume.size_gb = size_gb
        self.settings["SpaceStorageSettings"]["EbsStorageSettings"]["EbsVolumeSizeInGb"] = size_gb

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "DomainId": self.domain_id,
            "SpaceArn": self.arn,
            "SpaceName": self.name,
            "HomeEfsFileSystemUid": self.home_efs_uid,
            "Status": self.status,
            "LastModifiedTime": self.last_modified_time,
            "CreationTime": self.creation_time,
            "SpaceSettings": self.settings,
            "SpaceSharingSettings": {"SharingType": self.sharing_type},
            "Url": self.url,
        }
        if self.owner:
            out["OwnershipSettings"] = {"OwnerUserProfileName": self.owner}
        if self.display_name:
            out["SpaceDisplayName"] = self.display_name
        return out

    def summary(self) -> dict[str, Any]:
        settings: dict[str, Any] = {}
        for key in ("AppType", "RemoteAccess", "SpaceStorageSettings"):
            if key in self.settings:
                settings[key] = self.settings[key]
        out: dict[str, Any] = {
            "DomainId": self.domain_id,
            "SpaceName": self.name,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "SpaceSettingsSummary": settings,
            "SpaceSharingSettingsSummary": {"SharingType": self.sharing_type},
        }
        if self.owner:
            out["OwnershipSettingsSummary"] = {"OwnerUserProfileName": self.owner}
        if self.display_name:
            out["SpaceDisplayName"] = self.display_name
        return out


class App(StatusModel):
    def __init__(
        self,
        domain: Domain,
        app_type: str,
        app_name: str,
        resource_spec: dict[str, Any],
        user_profile_name: str | None = None,
        space_name: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ):
        super().__init__("app", _APP_LIFECYCLE)
        self.domain_id = domain.id
        self.app_type = app_type
        self.name = app_name
        self.user_profile_name = user_profile_name
        self.space_name = space_name
        owner = space_name or user_profile_name
        self.arn = arn(
            domain.account_id,
            domain.region,
            f"app/{domain.id}/{owner}/{app_type.lower()}/{app_name}",
        )
        self.resource_spec = resource_spec
        self.tags = list(tags or [])
        self.deleted_at: dt.datetime | None = None
        self.last_health_check = self.creation_time
        self.last_user_activity = self.creation_time

    @property
    def key(self) -> tuple[str, str | None, str | None, str, str]:
        return (self.domain_id, self.user_profile_name, self.space_name, self.app_type, self.name)

    @property
    def running(self) -> bool:
        return self.status in ("Pending", "InService")

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "AppArn": self.arn,
            "AppType": self.app_type,
            "AppName": self.name,
            "DomainId": self.domain_id,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "LastHealthCheckTimestamp": self.last_health_check,
            "LastUserActivityTimestamp": self.last_user_activity,
            "ResourceSpec": self.resource_spec,
        }
        if self.user_profile_name:
            out["UserProfileName"] = self.user_profile_name
        if self.space_name:
            out["SpaceName"] = self.space_name
        return out

    def summary(self) -> dict[str, Any]:
        out = {
            "DomainId": self.domain_id,
            "AppType": self.app_type,
            "AppName": self.name,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "ResourceSpec": self.resource_spec,
        }
        if self.user_profile_name:
            out["UserProfileName"] = self.user_profile_name
        if self.space_name:
            out["SpaceName"] = self.space_name
        return out


@dataclass
class OpenedSession:
    """A presigned URL that was handed out: who opened which space, and until when."""

    domain_id: str
    user_profile_name: str
    space_name: str | None
    landing_uri: str | None
    opened_at: dt.datetime
    expires_at: dt.datetime
    url: str
