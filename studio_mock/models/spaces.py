"""Spaces and their EBS volumes: the model and its operations."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import rules
from ..access import Caller
from ..exceptions import ResourceInUse, ResourceNotFound, ValidationException
from . import aws_services, idle, settings
from .common import GONE, StatusModel, arn, new_hex, settings_get
from .domains import Domain
from .listing import list_page

if TYPE_CHECKING:
    from .apps import App
    from .backend import StudioBackend
    from .user_profiles import UserProfile

SPACE_APP_TYPES = ("JupyterLab", "CodeEditor")
DEPRECATED_APP_TYPES = ("JupyterServer", "KernelGateway")
_SIZE = ("SpaceStorageSettings", "EbsStorageSettings", "EbsVolumeSizeInGb")


@dataclass
class Volume:
    """The EBS volume of one space: its files outlive the app, not the space."""

    volume_id: str
    size_gb: int
    files: dict[str, bytes] = field(default_factory=dict)


class Space(StatusModel):
    kind = "space"
    SETTLES = {"Pending": "InService", "Updating": "InService", "Deleting": GONE}

    def __init__(self, domain: Domain, name: str, params: dict[str, Any], size_gb: int):
        super().__init__("Pending")
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
        summary = {
            k: self.settings[k]
            for k in ("AppType", "RemoteAccess", "SpaceStorageSettings")
            if k in self.settings
        }
        out: dict[str, Any] = {
            "DomainId": self.domain_id,
            "SpaceName": self.name,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "SpaceSettingsSummary": summary,
            "SpaceSharingSettingsSummary": {"SharingType": self.sharing_type},
        }
        if self.owner:
            out["OwnershipSettingsSummary"] = {"OwnerUserProfileName": self.owner}
        if self.display_name:
            out["SpaceDisplayName"] = self.display_name
        return out


class SpacesMixin:
    spaces: dict[tuple[str, str], Space]

    def get_space(self: StudioBackend, domain_id: str, name: str) -> Space:
        self.get_domain(domain_id)
        space = self._live(self.spaces, (domain_id, name))
        if space is None:
            raise ResourceNotFound(
                f"Space '{name}' does not exist in domain '{domain_id}'. "
                "ListSpaces shows the spaces of a domain."
            )
        return space

    def owner_of(self: StudioBackend, space: Space) -> UserProfile | None:
        return self._live(self.user_profiles, (space.domain_id, (space.owner or "").lower()))

    def owner_arn(self: StudioBackend, space: Space) -> str | None:
        if not space.owner:
            return None
        return space.arn.replace(":space/", ":user-profile/").rsplit("/", 1)[0] + f"/{space.owner}"

    def space_keys(self: StudioBackend, space: Space) -> dict[str, Any]:
        """The IAM condition keys a space carries."""
        keys: dict[str, Any] = {"sagemaker:SpaceSharingType": space.sharing_type}
        if owner := self.owner_arn(space):
            keys["sagemaker:OwnerUserProfileArn"] = owner
        return keys

    def create_space(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> Space:
        domain = self.get_domain(params["DomainId"])
        name = params["SpaceName"]
        ownership = params.get("OwnershipSettings")
        sharing = params.get("SpaceSharingSettings")
        sharing_type = (sharing or {}).get("SharingType", "Shared")
        if bool(ownership) != bool(sharing):
            raise ValidationException(
                "OwnershipSettings and SpaceSharingSettings go together: a Studio space needs "
                "an owner (OwnershipSettings.OwnerUserProfileName) and a SharingType "
                "(Private or Shared)."
            )
        owner = None
        keys: dict[str, Any] = {"sagemaker:SpaceSharingType": sharing_type}
        if ownership:
            owner = self.get_user_profile(domain.id, ownership["OwnerUserProfileName"])
            keys["sagemaker:OwnerUserProfileArn"] = owner.arn
        self.check_access(
            caller,
            "CreateSpace",
            arn(self.account_id, self.region, f"space/{domain.id}/{name}"),
            keys=keys,
            request_tags=params.get("Tags"),
            tagging_action="CreateSpace",
        )
        if self._live(self.spaces, (domain.id, name)):
            raise ResourceInUse(f"Space '{name}' already exists in domain '{domain.id}'.")
        space_settings = params.get("SpaceSettings") or {}
        app_type = space_settings.get("AppType")
        if owner is not None and app_type is None:
            raise ValidationException(
                "SpaceSettings.AppType is required for a space with an owner: choose JupyterLab "
                "or CodeEditor. A space runs exactly one app type."
            )
        self._check_space_settings(domain, owner, sharing_type, name, app_type, space_settings)
        chain = settings.space_chain(domain, owner, sharing_type)
        default_gb, maximum_gb = settings.ebs_limits(chain)
        wanted = settings_get(space_settings, *_SIZE)
        size = default_gb if wanted is None else wanted
        settings.check_ebs_size(size, maximum_gb, domain.id)
        space = Space(domain, name, params, size)
        if owner is not None:
            space.owner = owner.name
        self.spaces[(domain.id, name)] = space
        return space

    def describe_space(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> Space:
        space = self.get_space(params["DomainId"], params["SpaceName"])
        self.check_access(caller, "DescribeSpace", space.arn, space, keys=self.space_keys(space))
        return space

    def list_spaces(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> tuple[list[Space], str | None]:
        self.check_access(caller, "ListSpaces", "*")
        items = self._purge(self.spaces)
        if params.get("DomainIdEquals"):
            items = [s for s in items if s.domain_id == params["DomainIdEquals"]]
        if params.get("SpaceNameContains"):
            items = [s for s in items if params["SpaceNameContains"] in s.name]
        keys = {"CreationTime": "creation_time", "LastModifiedTime": "last_modified_time"}
        return list_page("ListSpaces", items, params, keys)

    def update_space(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> Space:
        space = self.get_space(params["DomainId"], params["SpaceName"])
        domain = self.get_domain(space.domain_id)
        self.check_access(caller, "UpdateSpace", space.arn, space, keys=self.space_keys(space))
        new_settings = params.get("SpaceSettings") or {}
        if "AppType" in new_settings and new_settings["AppType"] != space.app_type:
            raise rules.breach("space-app-type-fixed", space=space.name, app_type=space.app_type)
        owner = self.owner_of(space)
        self._check_space_settings(
            domain,
            owner,
            space.sharing_type,
            space.name,
            space.app_type,
            {**new_settings, "AppType": space.app_type},
        )
        wanted = settings_get(new_settings, *_SIZE)
        _, maximum_gb = settings.ebs_limits(settings.space_chain(domain, owner, space.sharing_type))
        if wanted is not None:
            if wanted < space.volume.size_gb:
                raise ValidationException(
                    f"EbsVolumeSizeInGb {wanted} is smaller than the current size of space "
                    f"'{space.name}' ({space.volume.size_gb} GB). An EBS volume can grow but "
                    "never shrink; copy the data to a new, smaller space instead."
                )
            settings.check_ebs_size(wanted, maximum_gb, domain.id)
        size = space.volume.size_gb if wanted is None else wanted
        for key, value in new_settings.items():
            if key != "SpaceStorageSettings":
                space.settings[key] = value
        space.resize(size)
        if params.get("SpaceDisplayName") is not None:
            space.display_name = params["SpaceDisplayName"]
        space.begin("Updating")
        space.touch()
        return space

    def delete_space(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> None:
        space = self.get_space(params["DomainId"], params["SpaceName"])
        self.check_access(caller, "DeleteSpace", space.arn, space, keys=self.space_keys(space))
        running = self.busy_app(space)
        if running is not None:
            advice = (
                "Wait until DescribeApp shows Deleted."
                if running.status == "Deleting"
                else "Stop it with DeleteApp before deleting the space."
            )
            raise ResourceInUse(
                f"Space '{space.name}' has app '{running.name}' ({running.app_type}, "
                f"{running.status}). {advice}"
            )
        space.volume.files.clear()  # the EBS volume goes with the space
        space.begin("Deleting")

    def busy_app(self: StudioBackend, space: Space) -> App | None:
        """The space's app unless it is fully stopped (Deleting still holds the space)."""
        return next(
            (a for a in self.space_apps(space) if a.status in ("Pending", "InService", "Deleting")),
            None,
        )

    def running_app(self: StudioBackend, space: Space) -> App | None:
        return next((a for a in self.space_apps(space) if a.running), None)

    def app_in_service(self: StudioBackend, space: Space) -> App | None:
        """The space's app if it is up (InService): where work, and files, happen."""
        app = self.running_app(space)
        return app if app is not None and app.status == "InService" else None

    def space_apps(self: StudioBackend, space: Space) -> list[App]:
        return [
            a
            for a in self.apps.values()
            if a.domain_id == space.domain_id and a.space_name == space.name
        ]

    def _check_space_settings(
        self: StudioBackend,
        domain: Domain,
        owner: UserProfile | None,
        sharing_type: str,
        name: str,
        app_type: str | None,
        space_settings: dict[str, Any],
    ) -> None:
        if app_type is None:
            return
        if app_type in DEPRECATED_APP_TYPES:
            raise ValidationException(
                f"Invalid AppType [{app_type}]. This AppType has been deprecated. "
                "Create a JupyterLab space instead."
            )
        if app_type not in SPACE_APP_TYPES:
            raise ValidationException(
                f"A space cannot run AppType {app_type}: spaces run JupyterLab or CodeEditor. "
                f"{app_type} apps are created for a user profile with CreateApp."
            )
        wrong = "CodeEditorAppSettings" if app_type == "JupyterLab" else "JupyterLabAppSettings"
        if space_settings.get(wrong) is not None:
            raise ValidationException(
                f"SpaceSettings.{wrong} does not apply to a {app_type} space; use "
                f"{app_type}AppSettings."
            )
        for fs in space_settings.get("CustomFileSystems") or []:
            efs_id = (fs.get("EFSFileSystem") or {}).get("FileSystemId")
            if efs_id and not aws_services.efs_exists(self.account_id, self.region, efs_id):
                raise ValidationException(
                    f"EFS file system '{efs_id}' does not exist in {self.region}. Pass the id of "
                    "an existing file system; the domain's own is DescribeDomain's "
                    "HomeEfsFileSystemId."
                )
        chain = settings.space_chain(domain, owner, sharing_type)
        names = settings.space_chain_names(owner, sharing_type)
        policy = idle.policy(chain, app_type, names)
        idle.check_space_timeout(space_settings, app_type, policy, name)
        default_lcc = settings_get(
            space_settings, f"{app_type}AppSettings", "DefaultResourceSpec", "LifecycleConfigArn"
        )
        if default_lcc and default_lcc != "None":
            self._attachable(default_lcc, app_type, f"SpaceSettings.{app_type}AppSettings")
