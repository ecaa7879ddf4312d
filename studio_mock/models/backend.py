"""The Studio control plane: one StudioBackend per account and Region.

It hangs off moto's own SageMaker backend (``sagemaker_backends[account][region]``),
so moto's reset clears it with everything else.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from moto.moto_api._internal import mock_random

from ..access import Caller, access_key_for, authorize
from ..clock import clock
from ..exceptions import (
    AccessDeniedException,
    ResourceInUse,
    ResourceLimitExceeded,
    ResourceNotFound,
    ValidationException,
)
from . import settings
from .common import GONE, new_domain_id, paginate, sort_items, time_filtered
from .domains import Domain, UserProfile
from .images import APP_IMAGE_CONFIG_KINDS, AppImageConfig, Image, ImageVersion
from .spaces import SPACE_APP_TYPES, App, OpenedSession, Space

DEPRECATED_APP_TYPES = ("JupyterServer", "KernelGateway")
PROFILE_APP_TYPES = (
    "Canvas",
    "RStudioServerPro",
    "RSessionGateway",
    "TensorBoard",
    "DetailedProfiler",
)
APP_PURGE_AFTER = dt.timedelta(hours=24)
_ECR_URI = re.compile(
    r"(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/"
    r"(?P<repo>[^:@]+)(?::(?P<tag>[^@]+)|@(?P<digest>sha256:[0-9a-f]{64}))?$"
)


class StudioBackend:
    def __init__(self, account_id: str, region: str):
        self.account_id = account_id
        self.region = region
        self.domains: dict[str, Domain] = {}
        self.user_profiles: dict[tuple[str, str], UserProfile] = {}  # (domain, lower name)
        self.spaces: dict[tuple[str, str], Space] = {}
        self.apps: dict[tuple[str, str | None, str | None, str, str], App] = {}
        self.images: dict[str, Image] = {}
        self.app_image_configs: dict[str, AppImageConfig] = {}
        self.sessions: list[OpenedSession] = []
        self.identities: dict[str, tuple[str, str]] = {}  # access key -> (domain, profile)

    # ------------------------------------------------------------------ lookups
    def _live(self, store: dict[Any, Any], key: Any) -> Any:
        item = store.get(key)
        if item is not None and item.status == GONE:
            del store[key]
            self._forget(item)
            return None
        return item

    def _forget(self, item: Any) -> None:
        if isinstance(item, UserProfile):
            self.identities.pop(access_key_for(item.domain_id, item.name), None)

    def _purge(self, store: dict[Any, Any]) -> list[Any]:
        return [item for key in list(store) if (item := self._live(store, key)) is not None]

    def get_domain(self, domain_id: str) -> Domain:
        domain = self._live(self.domains, domain_id)
        if domain is None:
            raise ResourceNotFound(
                f"Domain '{domain_id}' does not exist in {self.region}. "
                "Check the DomainId (it looks like d-xxxxxxxxxxxx) with ListDomains."
            )
        return domain

    def get_user_profile(self, domain_id: str, name: str) -> UserProfile:
        self.get_domain(domain_id)
        profile = self._live(self.user_profiles, (domain_id, name.lower()))
        if profile is None:
            raise ResourceNotFound(
                f"User profile '{name}' does not exist in domain '{domain_id}'. "
                "ListUserProfiles shows the profiles of a domain."
            )
        return profile

    def get_space(self, domain_id: str, name: str) -> Space:
        self.get_domain(domain_id)
        space = self._live(self.spaces, (domain_id, name))
        if space is None:
            raise ResourceNotFound(
                f"Space '{name}' does not exist in domain '{domain_id}'. "
                "ListSpaces shows the spaces of a domain."
            )
        return space

    def get_image(self, name: str) -> Image:
        image = self._live(self.images, name)
        if image is None:
            raise ResourceNotFound(f"Image '{name}' does not exist. CreateImage registers one.")
        return image

    def get_app_image_config(self, name: str) -> AppImageConfig:
        config = self.app_image_configs.get(name)
        if config is None:
            raise ResourceNotFound(
                f"AppImageConfig '{name}' does not exist. CreateAppImageConfig makes one."
            )
        return config

    def caller_for(self, access_key: str) -> Caller | None:
        found = self.identities.get(access_key)
        if found is None:
            return None
        domain_id, name = found
        domain = self.domains.get(domain_id)
        profile = self.user_profiles.get((domain_id, name.lower()))
        if domain is None or profile is None:
            return None
        role = settings.execution_role(domain, profile) or "SageMakerExecutionRole"
        return Caller(self.account_id, self.region, domain_id, profile.name, role.split("/")[-1])

    # ------------------------------------------------------------------ domains
    def create_domain(self, params: dict[str, Any], caller: Caller | None) -> Domain:
        authorize(caller, "CreateDomain", "*")
        name = params["DomainName"]
        if any(d.name == name for d in self._purge(self.domains)):
            raise ResourceInUse(
                f"Resource Already Exists: Domain with name {name} already exists. "
                "Choose a different name."
            )
        self._check_settings(params.get("DefaultUserSettings"), "DefaultUserSettings")
        self._check_settings(params.get("DefaultSpaceSettings"), "DefaultSpaceSettings")
        vpc_id, subnet_ids = params.get("VpcId"), list(params.get("SubnetIds") or [])
        if not vpc_id or not subnet_ids:
            vpc_id, subnet_ids = settings.default_network(self.account_id, self.region, vpc_id)
        domain = Domain(
            self.account_id, self.region, new_domain_id(), name, params, vpc_id, subnet_ids
        )
        if domain.home_efs_creation == "Enabled":
            domain.home_efs_file_system_id = settings.create_home_efs(domain)
        self.domains[domain.id] = domain
        return domain

    def list_domains(self, params: dict[str, Any]) -> tuple[list[Domain], str | None]:
        items = sorted(self._purge(self.domains), key=lambda d: d.creation_time)
        return paginate(items, params.get("MaxResults"), params.get("NextToken"), 100)

    def update_domain(self, params: dict[str, Any], caller: Caller | None) -> Domain:
        domain = self.get_domain(params["DomainId"])
        authorize(caller, "UpdateDomain", domain.arn)
        if params.get("HomeEfsFileSystemCreation") == "Disabled" and (
            domain.home_efs_creation == "Enabled"
        ):
            raise ValidationException(
                "HomeEfsFileSystemCreation can change from Disabled to Enabled, not back: "
                f"domain '{domain.id}' already has its home EFS file system."
            )
        self._check_settings(params.get("DefaultUserSettings"), "DefaultUserSettings")
        self._check_settings(params.get("DefaultSpaceSettings"), "DefaultSpaceSettings")
        if params.get("DefaultUserSettings") is not None:
            domain.default_user_settings = settings.merged(
                domain.default_user_settings, params["DefaultUserSettings"]
            )
        if params.get("DefaultSpaceSettings") is not None:
            domain.default_space_settings = settings.merged(
                domain.default_space_settings, params["DefaultSpaceSettings"]
            )
        for_update = params.get("DomainSettingsForUpdate")
        if for_update:
            domain.domain_settings = settings.apply_domain_settings_update(
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
            domain.home_efs_file_system_id = settings.create_home_efs(domain)
        domain.set_status("Updating")
        domain.touch()
        return domain

    def delete_domain(self, params: dict[str, Any], caller: Caller | None) -> None:
        domain = self.get_domain(params["DomainId"])
        authorize(caller, "DeleteDomain", domain.arn)
        profiles = [p.name for p in self._purge(self.user_profiles) if p.domain_id == domain.id]
        spaces = [s.name for s in self._purge(self.spaces) if s.domain_id == domain.id]
        if profiles or spaces:
            raise ResourceInUse(
                f"Domain '{domain.id}' still has user profiles {profiles} and spaces {spaces}. "
                "Delete the apps, then the spaces, then the user profiles, then the domain."
            )
        policy = (params.get("RetentionPolicy") or {}).get("HomeEfsFileSystem", "Retain")
        if policy == "Delete" and domain.home_efs_file_system_id:
            settings.delete_efs(self.account_id, self.region, domain.home_efs_file_system_id)
        domain.set_status("Deleting")

    # ------------------------------------------------------------------ user profiles
    def create_user_profile(self, params: dict[str, Any], caller: Caller | None) -> UserProfile:
        domain = self.get_domain(params["DomainId"])
        name = params["UserProfileName"]
        authorize(caller, "CreateUserProfile", f"{domain.arn}/{name}")
        if self._live(self.user_profiles, (domain.id, name.lower())):
            raise ResourceInUse(
                f"User profile '{name}' already exists in domain '{domain.id}' "
                "(user profile names are case-insensitive)."
            )
        if domain.auth_mode == "SSO" and not params.get("SingleSignOnUserValue"):
            raise ValidationException(
                f"Domain '{domain.id}' uses SSO: pass SingleSignOnUserIdentifier='UserName' and "
                "SingleSignOnUserValue (the user's IAM Identity Center user name)."
            )
        self._check_settings(params.get("UserSettings"), "UserSettings", user_level=True)
        profile = UserProfile(domain, name, params)
        self.user_profiles[(domain.id, name.lower())] = profile
        self.identities[access_key_for(domain.id, name)] = (domain.id, name)
        return profile

    def list_user_profiles(self, params: dict[str, Any]) -> tuple[list[UserProfile], str | None]:
        items = self._purge(self.user_profiles)
        if params.get("DomainIdEquals"):
            items = [p for p in items if p.domain_id == params["DomainIdEquals"]]
        if params.get("UserProfileNameContains"):
            needle = params["UserProfileNameContains"].lower()
            items = [p for p in items if needle in p.name.lower()]
        items = sort_items(
            items,
            params.get("SortBy"),
            params.get("SortOrder"),
            {"CreationTime": "creation_time", "LastModifiedTime": "last_modified_time"},
            "CreationTime",
            "Ascending",
        )
        return paginate(items, params.get("MaxResults"), params.get("NextToken"), 100)

    def update_user_profile(self, params: dict[str, Any], caller: Caller | None) -> UserProfile:
        profile = self.get_user_profile(params["DomainId"], params["UserProfileName"])
        authorize(caller, "UpdateUserProfile", profile.arn)
        self._check_settings(params.get("UserSettings"), "UserSettings", user_level=True)
        if params.get("UserSettings") is not None:
            profile.user_settings = settings.merged(profile.user_settings, params["UserSettings"])
        profile.set_status("Updating")
        profile.touch()
        return profile

    def delete_user_profile(self, params: dict[str, Any], caller: Caller | None) -> None:
        profile = self.get_user_profile(params["DomainId"], params["UserProfileName"])
        authorize(caller, "DeleteUserProfile", profile.arn)
        owned = [
            s.name
            for s in self._purge(self.spaces)
            if s.domain_id == profile.domain_id and (s.owner or "").lower() == profile.name.lower()
        ]
        apps = [
            f"{a.app_type}/{a.name}"
            for a in self.apps.values()
            if a.domain_id == profile.domain_id
            and a.user_profile_name == profile.name
            and a.running
        ]
        if owned or apps:
            raise ResourceInUse(
                f"User profile '{profile.name}' still owns spaces {owned} and runs apps {apps}. "
                "Delete its apps (DeleteApp) and spaces (DeleteSpace) first."
            )
        profile.set_status("Deleting")

    # ------------------------------------------------------------------ spaces
    def create_space(self, params: dict[str, Any], caller: Caller | None) -> Space:
        domain = self.get_domain(params["DomainId"])
        name = params["SpaceName"]
        ownership = params.get("OwnershipSettings")
        sharing = params.get("SpaceSharingSettings")
        owner_arn, sharing_type = None, (sharing or {}).get("SharingType", "Shared")
        if bool(ownership) != bool(sharing):
            raise ValidationException(
                "OwnershipSettings and SpaceSharingSettings go together: a Studio space needs "
                "an owner (OwnershipSettings.OwnerUserProfileName) and a SharingType "
                "(Private or Shared)."
            )
        owner = None
        if ownership:
            owner = self.get_user_profile(domain.id, ownership["OwnerUserProfileName"])
            owner_arn = owner.arn
        authorize(
            caller,
            "CreateSpace",
            f"{domain.arn.replace(':domain/', ':space/')}/{name}",
            owner_user_profile_arn=owner_arn,
            space_sharing_type=sharing_type,
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
        self._check_space_app_type(app_type, space_settings)
        self._check_custom_file_systems(space_settings.get("CustomFileSystems"))
        chain = settings.space_chain(domain, owner, sharing_type)
        default_gb, maximum_gb = settings.ebs_limits(chain)
        wanted = settings.settings_get(
            space_settings, "SpaceStorageSettings", "EbsStorageSettings", "EbsVolumeSizeInGb"
        )
        size = default_gb if wanted is None else wanted
        settings.check_ebs_size(size, maximum_gb, domain.id)
        space = Space(domain, name, params, size)
        if owner is not None:
            space.owner = owner.name
        self.spaces[(domain.id, name)] = space
        return space

    def list_spaces(self, params: dict[str, Any]) -> tuple[list[Space], str | None]:
        items = self._purge(self.spaces)
        if params.get("DomainIdEquals"):
            items = [s for s in items if s.domain_id == params["DomainIdEquals"]]
        if params.get("SpaceNameContains"):
            items = [s for s in items if params["SpaceNameContains"] in s.name]
        items = sort_items(
            items,
            params.get("SortBy"),
            params.get("SortOrder"),
            {"CreationTime": "creation_time", "LastModifiedTime": "last_modified_time"},
            "CreationTime",
            "Ascending",
        )
        return paginate(items, params.get("MaxResults"), params.get("NextToken"), 100)

    def update_space(self, params: dict[str, Any], caller: Caller | None) -> Space:
        space = self.get_space(params["DomainId"], params["SpaceName"])
        domain = self.get_domain(space.domain_id)
        authorize(
            caller,
            "UpdateSpace",
            space.arn,
            owner_user_profile_arn=self._owner_arn(space),
            space_sharing_type=space.sharing_type,
        )
        new_settings = params.get("SpaceSettings") or {}
        if "AppType" in new_settings and new_settings["AppType"] != space.app_type:
            raise ValidationException(
                f"The AppType of space '{space.name}' is {space.app_type} and cannot change. "
                "Create a new space for another app type."
            )
        self._check_space_app_type(space.app_type, {**new_settings, "AppType": space.app_type})
        self._check_custom_file_systems(new_settings.get("CustomFileSystems"))
        wanted = settings.settings_get(
            new_settings, "SpaceStorageSettings", "EbsStorageSettings", "EbsVolumeSizeInGb"
        )
        owner = self._live(self.user_profiles, (domain.id, (space.owner or "").lower()))
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
        space.set_status("Updating")
        space.touch()
        return space

    def delete_space(self, params: dict[str, Any], caller: Caller | None) -> None:
        space = self.get_space(params["DomainId"], params["SpaceName"])
        authorize(
            caller,
            "DeleteSpace",
            space.arn,
            owner_user_profile_arn=self._owner_arn(space),
            space_sharing_type=space.sharing_type,
        )
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
        space.set_status("Deleting")

    def _owner_arn(self, space: Space) -> str | None:
        if not space.owner:
            return None
        return space.arn.replace(":space/", ":user-profile/").rsplit("/", 1)[0] + f"/{space.owner}"

    def busy_app(self, space: Space) -> App | None:
        """The space's app unless it is fully stopped (Deleting still holds the space)."""
        return next(
            (
                a
                for a in self.apps.values()
                if a.domain_id == space.domain_id
                and a.space_name == space.name
                and a.status in ("Pending", "InService", "Deleting")
            ),
            None,
        )

    def running_app(self, space: Space) -> App | None:
        return next(
            (
                a
                for a in self.apps.values()
                if a.domain_id == space.domain_id and a.space_name == space.name and a.running
            ),
            None,
        )

    # ------------------------------------------------------------------ apps
    def create_app(self, params: dict[str, Any], caller: Caller | None) -> App:
        domain = self.get_domain(params["DomainId"])
        app_type, app_name = params["AppType"], params["AppName"]
        profile_name, space_name = params.get("UserProfileName"), params.get("SpaceName")
        if bool(profile_name) == bool(space_name):
            raise ValidationException(
                "Pass exactly one of UserProfileName or SpaceName: JupyterLab and Code Editor "
                "apps run in a space (SpaceName); Canvas and RStudio run for a user profile."
            )
        if app_type in DEPRECATED_APP_TYPES:
            raise ValidationException(
                f"Invalid AppType [{app_type}]. This AppType has been deprecated. Studio Classic "
                "apps can no longer be created: use a JupyterLab space instead."
            )
        space = profile = None
        if space_name:
            space = self.get_space(domain.id, space_name)
            if app_type != space.app_type:
                raise ValidationException(
                    f"Space '{space.name}' is a {space.app_type} space, so it can only run a "
                    f"{space.app_type} app, not {app_type}."
                )
            owner_arn, sharing = self._owner_arn(space), space.sharing_type
            resource = space.arn
        else:
            profile = self.get_user_profile(domain.id, profile_name)
            if app_type in SPACE_APP_TYPES:
                raise ValidationException(
                    f"A {app_type} app runs in a space: create a space with "
                    f"SpaceSettings.AppType={app_type} and pass SpaceName instead of "
                    "UserProfileName."
                )
            # an app of no space: its request has no space keys (Service Authorization
            # Reference: OwnerUserProfileArn is "associated with the space")
            owner_arn, sharing, resource = None, None, profile.arn
        app_arn = resource.replace(":space/", ":app/").replace(":user-profile/", ":app/")
        authorize(
            caller,
            "CreateApp",
            f"{app_arn}/{app_type.lower()}/{app_name}",
            owner_user_profile_arn=owner_arn,
            space_sharing_type=sharing,
        )
        if app_type in ("RStudioServerPro", "RSessionGateway") and not domain.rstudio_enabled:
            raise ValidationException(
                f"RStudio is not enabled on domain '{domain.id}'. It needs a Posit Workbench "
                "license registered in AWS License Manager and the domain's "
                "DomainSettings.RStudioServerProDomainSettings (with DomainExecutionRoleArn)."
            )
        key = (domain.id, profile_name, space_name, app_type, app_name)
        if space is not None and (running := self.busy_app(space)) is not None:
            raise ResourceInUse(
                f"Space '{space.name}' already has app '{running.name}' ({running.status}). "
                "A space runs one app at a time: stop it with DeleteApp and wait until it is "
                "Deleted."
            )
        existing = self.apps.get(key)
        if existing is not None and existing.running:
            raise ResourceInUse(f"App '{app_name}' of type {app_type} already exists.")
        spec = settings.resolve_resource_spec(self, domain, profile, space, app_type, params)
        app = App(
            domain,
            app_type,
            app_name,
            spec,
            user_profile_name=profile_name,
            space_name=space_name,
            tags=params.get("Tags"),
        )
        self.apps[key] = app
        return app

    def get_app(self, params: dict[str, Any]) -> App:
        domain = self.get_domain(params["DomainId"])
        profile_name, space_name = params.get("UserProfileName"), params.get("SpaceName")
        if bool(profile_name) == bool(space_name):
            raise ValidationException("Pass exactly one of UserProfileName or SpaceName.")
        key = (domain.id, profile_name, space_name, params["AppType"], params["AppName"])
        app = self.apps.get(key)
        if app is not None and app.deleted_at and clock.now() - app.deleted_at > APP_PURGE_AFTER:
            del self.apps[key]  # AWS purges an app's metadata 24 h after it is deleted
            app = None
        if app is None:
            where = f"space '{space_name}'" if space_name else f"user profile '{profile_name}'"
            raise ResourceNotFound(
                f"App '{params['AppName']}' of type {params['AppType']} does not exist for "
                f"{where} in domain '{domain.id}'. ListApps shows the apps."
            )
        return app

    def list_apps(self, params: dict[str, Any]) -> tuple[list[App], str | None]:
        if params.get("UserProfileNameEquals") and params.get("SpaceNameEquals"):
            raise ValidationException(
                "Filter on UserProfileNameEquals or on SpaceNameEquals, not both."
            )
        now = clock.now()
        items = [
            a
            for a in self.apps.values()
            if not (a.deleted_at and now - a.deleted_at > APP_PURGE_AFTER)
        ]
        if params.get("DomainIdEquals"):
            items = [a for a in items if a.domain_id == params["DomainIdEquals"]]
        if params.get("UserProfileNameEquals"):
            items = [a for a in items if a.user_profile_name == params["UserProfileNameEquals"]]
        if params.get("SpaceNameEquals"):
            items = [a for a in items if a.space_name == params["SpaceNameEquals"]]
        items = sort_items(
            items,
            params.get("SortBy"),
            params.get("SortOrder"),
            {"CreationTime": "creation_time"},
            "CreationTime",
            "Descending",
        )
        return paginate(items, params.get("MaxResults"), params.get("NextToken"), 100)

    def delete_app(self, params: dict[str, Any], caller: Caller | None) -> None:
        app = self.get_app(params)
        if app.space_name:
            space = self.get_space(app.domain_id, app.space_name)
            owner_arn, sharing = self._owner_arn(space), space.sharing_type
        else:
            self.get_user_profile(app.domain_id, app.user_profile_name or "")
            owner_arn, sharing = None, None  # an app of no space: no space keys
        authorize(
            caller,
            "DeleteApp",
            app.arn,
            owner_user_profile_arn=owner_arn,
            space_sharing_type=sharing,
        )
        if not app.running:
            raise ResourceInUse(
                f"App '{app.name}' is already {app.status}. Start it again with CreateApp."
            )
        app.set_status("Deleting")
        app.deleted_at = clock.stamp()

    # ------------------------------------------------------------------ presigned URLs
    def create_presigned_domain_url(
        self, params: dict[str, Any], caller: Caller | None
    ) -> OpenedSession:
        domain = self.get_domain(params["DomainId"])
        profile = self.get_user_profile(domain.id, params["UserProfileName"])
        authorize(caller, "CreatePresignedDomainUrl", profile.arn)
        if domain.auth_mode != "IAM":
            raise ValidationException(
                f"Domain '{domain.id}' uses SSO; presigned URLs work only for IAM domains. "
                "SSO users sign in through the IAM Identity Center portal."
            )
        space_name = params.get("SpaceName")
        if space_name:
            space = self.get_space(domain.id, space_name)
            if space.private and (space.owner or "").lower() != profile.name.lower():
                # The URL signs in as this profile, whose policy cannot open another's
                # private space (course rule; see FACTS.md "UNCONFIRMED").
                raise AccessDeniedException(
                    f"User profile '{profile.name}' is not authorized to open space "
                    f"'{space.name}': it is a private space owned by '{space.owner}'. Only its "
                    "owner can open a private space; share work through a shared space instead."
                )
        now = clock.stamp()
        token = mock_random.get_random_string(length=40)
        url = f"{domain.url}/auth?token={token}"
        session = OpenedSession(
            domain_id=domain.id,
            user_profile_name=profile.name,
            space_name=space_name,
            landing_uri=params.get("LandingUri"),
            opened_at=now,
            expires_at=now
            + dt.timedelta(seconds=params.get("SessionExpirationDurationInSeconds") or 43200),
            url=url,
        )
        self.sessions.append(session)
        return session

    # ------------------------------------------------------------------ images
    def create_image(self, params: dict[str, Any], caller: Caller | None) -> Image:
        authorize(caller, "CreateImage", "*")
        if self._live(self.images, params["ImageName"]):
            raise ResourceInUse(f"Image '{params['ImageName']}' already exists.")
        image = Image(self.account_id, self.region, params)
        self.images[image.name] = image
        return image

    def list_images(self, params: dict[str, Any]) -> tuple[list[Image], str | None]:
        items = self._purge(self.images)
        if params.get("NameContains"):
            items = [i for i in items if params["NameContains"] in i.name]
        items = time_filtered(
            items,
            "creation_time",
            params.get("CreationTimeAfter"),
            params.get("CreationTimeBefore"),
        )
        items = time_filtered(
            items,
            "last_modified_time",
            params.get("LastModifiedTimeAfter"),
            params.get("LastModifiedTimeBefore"),
        )
        items = sort_items(
            items,
            params.get("SortBy"),
            params.get("SortOrder"),
            {
                "CREATION_TIME": "creation_time",
                "LAST_MODIFIED_TIME": "last_modified_time",
                "IMAGE_NAME": "name",
            },
            "CREATION_TIME",
            "DESCENDING",
        )
        return paginate(items, params.get("MaxResults"), params.get("NextToken"), 10)

    def update_image(self, params: dict[str, Any], caller: Caller | None) -> Image:
        image = self.get_image(params["ImageName"])
        authorize(caller, "UpdateImage", image.arn)
        for prop in params.get("DeleteProperties") or []:
            setattr(
                image, {"Description": "description", "DisplayName": "display_name"}[prop], None
            )
        for key, attr in (
            ("Description", "description"),
            ("DisplayName", "display_name"),
            ("RoleArn", "role_arn"),
        ):
            if params.get(key) is not None:
                setattr(image, attr, params[key])
        image.set_status("UPDATING")
        image.touch()
        return image

    def delete_image(self, params: dict[str, Any], caller: Caller | None) -> None:
        image = self.get_image(params["ImageName"])
        authorize(caller, "DeleteImage", image.arn)
        users = [
            a.arn
            for a in self.apps.values()
            if a.running and a.resource_spec.get("SageMakerImageArn") == image.arn
        ]
        if users:
            raise ResourceInUse(f"Image '{image.name}' is used by running apps {users}.")
        image.set_status("DELETING")

    def create_image_version(self, params: dict[str, Any], caller: Caller | None) -> ImageVersion:
        image = self.get_image(params["ImageName"])
        authorize(caller, "CreateImageVersion", image.arn)
        for version in image.versions.values():
            if version.client_token == params["ClientToken"]:
                return version  # idempotent retry
        container = settings.resolve_ecr_image(params["BaseImage"], self.account_id, _ECR_URI)
        taken = {a for v in image.versions.values() for a in v.aliases}
        clash = taken & set(params.get("Aliases") or [])
        if clash:
            raise ResourceInUse(f"Alias {sorted(clash)} already names a version of '{image.name}'.")
        version = ImageVersion(image, image.next_version, params, container)
        image.versions[version.version] = version
        image.next_version += 1
        return version

    def get_image_version(self, params: dict[str, Any]) -> ImageVersion:
        image = self.get_image(params["ImageName"])
        live = {n: v for n, v in image.versions.items() if v.status != GONE}
        image.versions = live
        if params.get("Alias"):
            found = next((v for v in live.values() if params["Alias"] in v.aliases), None)
        elif params.get("Version") is not None:
            found = live.get(params["Version"])
        else:
            found = live[max(live)] if live else None
        if found is None:
            raise ResourceNotFound(
                f"Image '{image.name}' has no version matching "
                f"{params.get('Alias') or params.get('Version') or '(latest)'}. "
                "ListImageVersions shows its versions."
            )
        return found

    def list_image_versions(self, params: dict[str, Any]) -> tuple[list[ImageVersion], str | None]:
        image = self.get_image(params["ImageName"])
        items = [v for v in image.versions.values() if v.status != GONE]
        items = time_filtered(
            items,
            "creation_time",
            params.get("CreationTimeAfter"),
            params.get("CreationTimeBefore"),
        )
        items = sort_items(
            items,
            params.get("SortBy"),
            params.get("SortOrder"),
            {
                "CREATION_TIME": "creation_time",
                "LAST_MODIFIED_TIME": "last_modified_time",
                "VERSION": "version",
            },
            "CREATION_TIME",
            "DESCENDING",
        )
        return paginate(items, params.get("MaxResults"), params.get("NextToken"), 10)

    def delete_image_version(self, params: dict[str, Any], caller: Caller | None) -> None:
        version = self.get_image_version(params)
        authorize(caller, "DeleteImageVersion", version.arn)
        version.set_status("DELETING")

    def create_app_image_config(
        self, params: dict[str, Any], caller: Caller | None
    ) -> AppImageConfig:
        authorize(caller, "CreateAppImageConfig", "*")
        name = params["AppImageConfigName"]
        if name in self.app_image_configs:
            raise ResourceInUse(f"AppImageConfig '{name}' already exists.")
        given = [k for k in APP_IMAGE_CONFIG_KINDS if params.get(k) is not None]
        if len(given) > 1:
            raise ValidationException(
                f"Pass one kind of image config, not {given}: JupyterLabAppImageConfig for "
                "JupyterLab, CodeEditorAppImageConfig for Code Editor."
            )
        config = AppImageConfig(self.account_id, self.region, params)
        self.app_image_configs[name] = config
        return config

    def list_app_image_configs(
        self, params: dict[str, Any]
    ) -> tuple[list[AppImageConfig], str | None]:
        items = list(self.app_image_configs.values())
        if params.get("NameContains"):
            items = [c for c in items if params["NameContains"] in c.name]
        items = time_filtered(
            items,
            "creation_time",
            params.get("CreationTimeAfter"),
            params.get("CreationTimeBefore"),
        )
        items = time_filtered(
            items,
            "last_modified_time",
            params.get("ModifiedTimeAfter"),
            params.get("ModifiedTimeBefore"),
        )
        items = sort_items(
            items,
            params.get("SortBy"),
            params.get("SortOrder"),
            {
                "CreationTime": "creation_time",
                "LastModifiedTime": "last_modified_time",
                "Name": "name",
            },
            "CreationTime",
            "Descending",
        )
        return paginate(items, params.get("MaxResults"), params.get("NextToken"), 10)

    def update_app_image_config(
        self, params: dict[str, Any], caller: Caller | None
    ) -> AppImageConfig:
        config = self.get_app_image_config(params["AppImageConfigName"])
        authorize(caller, "UpdateAppImageConfig", config.arn)
        config.update(params)
        config.touch()
        return config

    def delete_app_image_config(self, params: dict[str, Any], caller: Caller | None) -> None:
        config = self.get_app_image_config(params["AppImageConfigName"])
        authorize(caller, "DeleteAppImageConfig", config.arn)
        del self.app_image_configs[config.name]

    # ------------------------------------------------------------------ checks
    def _check_space_app_type(self, app_type: str | None, space_settings: dict[str, Any]) -> None:
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

    def _check_custom_file_systems(self, file_systems: list[dict[str, Any]] | None) -> None:
        for fs in file_systems or []:
            efs_id = (fs.get("EFSFileSystem") or {}).get("FileSystemId")
            if efs_id and not settings.efs_exists(self.account_id, self.region, efs_id):
                raise ValidationException(
                    f"EFS file system '{efs_id}' does not exist in {self.region}. Pass the id of "
                    "an existing file system; the domain's own is DescribeDomain's "
                    "HomeEfsFileSystemId."
                )

    def _check_settings(
        self, user_settings: dict[str, Any] | None, where: str, user_level: bool = False
    ) -> None:
        if not user_settings:
            return
        for app_settings in (
            "JupyterLabAppSettings",
            "CodeEditorAppSettings",
            "KernelGatewayAppSettings",
        ):
            for image in settings.settings_get(user_settings, app_settings, "CustomImages") or []:
                self.get_image(image["ImageName"])
                config = self.get_app_image_config(image["AppImageConfigName"])
                expected = {
                    "JupyterLabAppSettings": "JupyterLabAppImageConfig",
                    "CodeEditorAppSettings": "CodeEditorAppImageConfig",
                    "KernelGatewayAppSettings": "KernelGatewayImageConfig",
                }[app_settings]
                if config.kind != expected:
                    raise ValidationException(
                        f"{where}.{app_settings}.CustomImages: AppImageConfig '{config.name}' "
                        f"holds a {config.kind}, but {app_settings} needs a {expected}."
                    )
        storage = settings.settings_get(
            user_settings, "SpaceStorageSettings", "DefaultEbsStorageSettings"
        )
        if storage and storage["DefaultEbsVolumeSizeInGb"] > storage["MaximumEbsVolumeSizeInGb"]:
            raise ValidationException(
                f"{where}.SpaceStorageSettings.DefaultEbsStorageSettings: the default size "
                f"({storage['DefaultEbsVolumeSizeInGb']} GB) is above the maximum "
                f"({storage['MaximumEbsVolumeSizeInGb']} GB)."
            )
        if not user_level and user_settings.get("AutoMountHomeEFS") == "DefaultAsDomain":
            raise ValidationException(
                f"{where}.AutoMountHomeEFS=DefaultAsDomain is valid on user profiles only; "
                "use Enabled or Disabled on a domain."
            )


__all__ = ["StudioBackend", "ResourceLimitExceeded"]
