"""User profiles: the model and its operations. Names are case-insensitive
("This value is not case sensitive"), so profiles are kept under the lower-cased name."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .. import rules
from ..access import Caller, access_key_for
from ..exceptions import ResourceInUse, ResourceNotFound
from .common import GONE, StatusModel, arn, first_set
from .domains import Domain
from .listing import list_page
from .settings import merged

if TYPE_CHECKING:
    from .backend import StudioBackend


class UserProfile(StatusModel):
    kind = "user-profile"
    SETTLES = {"Pending": "InService", "Updating": "InService", "Deleting": GONE}

    def __init__(self, domain: Domain, name: str, params: dict[str, Any]):
        super().__init__("Pending")
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


class UserProfilesMixin:
    user_profiles: dict[tuple[str, str], UserProfile]  # (domain id, lower-cased name)

    def get_user_profile(self: StudioBackend, domain_id: str, name: str) -> UserProfile:
        self.get_domain(domain_id)
        profile = self._live(self.user_profiles, (domain_id, name.lower()))
        if profile is None:
            raise ResourceNotFound(
                f"User profile '{name}' does not exist in domain '{domain_id}'. "
                "ListUserProfiles shows the profiles of a domain."
            )
        return profile

    def create_user_profile(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> UserProfile:
        domain = self.get_domain(params["DomainId"])
        name = params["UserProfileName"]
        self.check_access(
            caller,
            "CreateUserProfile",
            arn(self.account_id, self.region, f"user-profile/{domain.id}/{name}"),
            request_tags=params.get("Tags"),
            tagging_action="CreateUserProfile",
        )
        if self._live(self.user_profiles, (domain.id, name.lower())):
            raise ResourceInUse(
                f"User profile '{name}' already exists in domain '{domain.id}' "
                "(user profile names are case-insensitive)."
            )
        sso = params.get("SingleSignOnUserValue") or params.get("SingleSignOnUserIdentifier")
        if domain.auth_mode == "SSO" and not params.get("SingleSignOnUserValue"):
            raise rules.breach("sso-fields-required", domain=domain.id)
        if domain.auth_mode != "SSO" and sso:
            raise rules.breach("sso-fields-only-for-sso", domain=domain.id)
        identifier = params.get("SingleSignOnUserIdentifier")
        if identifier is not None and identifier != "UserName":
            raise rules.breach("sso-identifier-is-username", value=identifier)
        user_settings = params.get("UserSettings")
        if domain.app_network_access_type == "VpcOnly" and not first_set(
            [user_settings, domain.default_user_settings], "SecurityGroups"
        ):
            raise rules.breach("vpc-only-needs-security-groups", where="UserSettings")
        self.check_user_settings(user_settings, "UserSettings", user_level=True)
        profile = UserProfile(domain, name, params)
        self.user_profiles[(domain.id, name.lower())] = profile
        self.identities[access_key_for(domain.id, name)] = (domain.id, name)
        return profile

    def describe_user_profile(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> UserProfile:
        profile = self.get_user_profile(params["DomainId"], params["UserProfileName"])
        self.check_access(caller, "DescribeUserProfile", profile.arn, profile)
        return profile

    def list_user_profiles(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> tuple[list[UserProfile], str | None]:
        self.check_access(caller, "ListUserProfiles", "*")
        items = self._purge(self.user_profiles)
        if params.get("DomainIdEquals"):
            items = [p for p in items if p.domain_id == params["DomainIdEquals"]]
        if params.get("UserProfileNameContains"):
            needle = params["UserProfileNameContains"].lower()
            items = [p for p in items if needle in p.name.lower()]
        keys = {"CreationTime": "creation_time", "LastModifiedTime": "last_modified_time"}
        return list_page("ListUserProfiles", items, params, keys)

    def update_user_profile(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> UserProfile:
        profile = self.get_user_profile(params["DomainId"], params["UserProfileName"])
        self.check_access(caller, "UpdateUserProfile", profile.arn, profile)
        self.check_user_settings(params.get("UserSettings"), "UserSettings", user_level=True)
        if params.get("UserSettings") is not None:
            profile.user_settings = merged(profile.user_settings, params["UserSettings"])
        profile.begin("Updating")
        profile.touch()
        return profile

    def delete_user_profile(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> None:
        profile = self.get_user_profile(params["DomainId"], params["UserProfileName"])
        self.check_access(caller, "DeleteUserProfile", profile.arn, profile)
        mine = profile.name.lower()
        owned = [
            s.name
            for s in self._purge(self.spaces)
            if s.domain_id == profile.domain_id and (s.owner or "").lower() == mine
        ]
        apps = [
            f"{a.app_type}/{a.name}"
            for a in self.apps.values()
            if a.domain_id == profile.domain_id
            and (a.user_profile_name or "").lower() == mine
            and a.running
        ]
        if owned or apps:
            raise ResourceInUse(
                f"User profile '{profile.name}' still owns spaces {owned} and runs apps {apps}. "
                "Delete its apps (DeleteApp) and spaces (DeleteSpace) first."
            )
        profile.begin("Deleting")
