"""Who is calling, and what AWS's recommended Studio user policy lets them do.

A learner's session "acting as" a user profile carries an access key derived from the
domain and profile. Calls made with it are checked like the policy in the SageMaker
Developer Guide (studio-updated-jl-admin-guide-permissions): anyone may list and
describe; spaces and their apps are restricted through the IAM condition keys
``sagemaker:OwnerUserProfileArn`` and ``sagemaker:SpaceSharingType``. Any other
credentials act as an administrator and are not restricted.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from .exceptions import AccessDeniedException

ALWAYS_ALLOWED = {
    "ListApps",
    "ListDomains",
    "ListUserProfiles",
    "ListSpaces",
    "DescribeApp",
    "DescribeDomain",
    "DescribeUserProfile",
    "DescribeSpace",
}
SPACE_ACTIONS = {"CreateSpace", "UpdateSpace", "DeleteSpace"}
APP_ACTIONS = {"CreateApp", "DeleteApp"}


def access_key_for(domain_id: str, user_profile_name: str) -> str:
    """A 20-character access key id (like an STS session's ASIA… key) for one profile."""
    digest = hashlib.sha256(f"{domain_id}/{user_profile_name.lower()}".encode()).digest()
    return "ASIA" + base64.b32encode(digest).decode()[:16]


@dataclass(frozen=True)
class Caller:
    """A user profile calling from inside Studio, through its execution role."""

    account_id: str
    region: str
    domain_id: str
    user_profile_name: str
    role_name: str

    @property
    def arn(self) -> str:
        return f"arn:aws:sts::{self.account_id}:assumed-role/{self.role_name}/SageMaker"

    @property
    def user_profile_arn(self) -> str:
        return (
            f"arn:aws:sagemaker:{self.region}:{self.account_id}:"
            f"user-profile/{self.domain_id}/{self.user_profile_name}"
        )


def deny(caller: Caller, action: str, resource_arn: str) -> AccessDeniedException:
    return AccessDeniedException(
        f"User: {caller.arn} is not authorized to perform: sagemaker:{action} on resource: "
        f"{resource_arn} because no identity-based policy allows the sagemaker:{action} action"
    )


def authorize(
    caller: Caller | None,
    action: str,
    resource_arn: str,
    context: dict[str, Any] | None = None,
    *,
    owner_user_profile_arn: str | None = None,
    space_sharing_type: str | None = None,
) -> None:
    """Raise AccessDeniedException where the recommended user policy has no Allow.

    ``context`` is the IAM request context, keyed by condition-key names as AWS spells
    them (``sagemaker:OwnerUserProfileArn``, ``aws:ResourceTag/Team``...). The two keyword
    arguments are the older way to pass the first two keys.
    """
    context = dict(context or {})
    if owner_user_profile_arn is not None:
        context.setdefault("sagemaker:OwnerUserProfileArn", owner_user_profile_arn)
    if space_sharing_type is not None:
        context.setdefault("sagemaker:SpaceSharingType", space_sharing_type)
    if caller is None or action in ALWAYS_ALLOWED:
        return
    owner = context.get("sagemaker:OwnerUserProfileArn")
    sharing = context.get("sagemaker:SpaceSharingType")
    in_own_domain = f"/{caller.domain_id}/" in resource_arn
    is_owner = owner == caller.user_profile_arn
    if action == "CreatePresignedDomainUrl":
        allowed = resource_arn == caller.user_profile_arn
    elif action == "AddTags":
        # SMStudioAppPermissionsTagOnCreate: Null sagemaker:TaggingAction = false
        allowed = "sagemaker:TaggingAction" in context
    elif action in SPACE_ACTIONS:
        # SMStudioRestrictSharedSpacesWithoutOwners / SMStudioRestrictSpacesToOwnerUserProfile
        allowed = in_own_domain and (
            owner is None or (is_owner and sharing in ("Private", "Shared"))
        )
    elif action in APP_ACTIONS:
        # apps without an owner; the owner's private space apps; any shared space's app
        allowed = in_own_domain and (
            owner is None or (is_owner and sharing == "Private") or sharing == "Shared"
        )
    else:
        allowed = False  # domain, profile and image administration are for administrators
    if not allowed:
        raise deny(caller, action, resource_arn)
