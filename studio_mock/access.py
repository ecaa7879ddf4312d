"""Who is calling, and whether their IAM policy lets them (the engine is ``studio_mock.iam``).

A session acting as a user profile (``user_session``) signs with an access key derived
from the domain and profile, and a session token that names its policy: AWS's
recommended Studio user policy (``iam/policies/studio-user.json``) unless the learner
passed another. Every SageMaker call made with it is decided by evaluating that policy
on the action, the resource's ARN and the request context, with IAM's logic. The token
carries the whole policy, so a server in another process decides exactly as in-process.

Any other credentials are the administrator's, and are not evaluated: they stand for
the account's administrator (AdministratorAccess, ``"Action": "*", "Resource": "*"``),
and skipping evaluation keeps moto's own SageMaker operations, which call no
``authorize``, consistent with the Studio ones.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import zlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

from .clock import clock
from .exceptions import AccessDeniedException
from .iam import (
    Decision,
    Evaluation,
    Policy,
    PolicyError,
    RequestContext,
    evaluate,
    load_policy,
    studio_user_policy,
)
from .iam import sagemaker as sagemaker_iam

DEFAULT_SESSION_TOKEN = "studio-mock-user-session"
_POLICY_TOKEN = "studio-mock-policy."


def access_key_for(domain_id: str, user_profile_name: str) -> str:
    """A 20-character access key id (like an STS session's ASIA… key) for one profile."""
    digest = hashlib.sha256(f"{domain_id}/{user_profile_name.lower()}".encode()).digest()
    return "ASIA" + base64.b32encode(digest).decode()[:16]


def session_token_for(policy: Policy | None) -> str:
    """The session token that makes a user session act under ``policy``."""
    if policy is None:
        return DEFAULT_SESSION_TOKEN
    packed = zlib.compress(json.dumps(policy.source, separators=(",", ":")).encode())
    return _POLICY_TOKEN + base64.urlsafe_b64encode(packed).decode()


@lru_cache(maxsize=128)
def policy_from_token(token: str | None) -> Policy | None:
    """The policy a session token names; None for the recommended one."""
    if not token or not token.startswith(_POLICY_TOKEN):
        return None
    try:
        text = zlib.decompress(base64.urlsafe_b64decode(token[len(_POLICY_TOKEN) :])).decode()
        return load_policy(text, "session's policy")
    except (binascii.Error, zlib.error, UnicodeDecodeError, PolicyError) as err:
        raise AccessDeniedException(
            f"The session token does not hold a readable policy ({err}). Create the session "
            "again with studio_mock.user_session(..., policy=...)."
        ) from err


@dataclass(frozen=True)
class Caller:
    """A user profile calling from inside Studio, through its execution role."""

    account_id: str
    region: str
    domain_id: str
    user_profile_name: str
    role_name: str
    policy: Policy | None = None  # None: AWS's recommended Studio user policy

    @property
    def arn(self) -> str:
        return f"arn:aws:sts::{self.account_id}:assumed-role/{self.role_name}/SageMaker"

    @property
    def user_profile_arn(self) -> str:
        return (
            f"arn:aws:sagemaker:{self.region}:{self.account_id}:"
            f"user-profile/{self.domain_id}/{self.user_profile_name}"
        )

    @property
    def effective_policy(self) -> Policy:
        return self.policy or studio_user_policy(self.region, self.account_id)

    @cached_property
    def context(self) -> RequestContext:
        """Keys every request of this session carries: who calls, from which profile."""
        return RequestContext(
            {
                "aws:PrincipalArn": f"arn:aws:iam::{self.account_id}:role/{self.role_name}",
                "aws:PrincipalAccount": self.account_id,
                "aws:PrincipalType": "AssumedRole",
                "aws:RequestedRegion": self.region,
                "aws:SecureTransport": "true",
                "sagemaker:DomainId": self.domain_id,
                "sagemaker:UserProfileName": self.user_profile_name,
            }
        )

    def with_session_token(self, token: str | None) -> Caller:
        policy = policy_from_token(token)
        return self if policy is self.policy else replace(self, policy=policy)


def caller_with_session(caller: Caller | None, headers: Mapping[str, Any]) -> Caller | None:
    """The caller found by access key, under the policy its session token names."""
    if caller is None:
        return None
    token = headers.get("X-Amz-Security-Token") or headers.get("x-amz-security-token")
    return caller.with_session_token(token)


def deny(
    caller: Caller, action: str, resource_arn: str, explicit: bool = False
) -> AccessDeniedException:
    """IAM's wording (IAM User Guide, "Troubleshoot access denied error messages")."""
    because = (
        "with an explicit deny in an identity-based policy"
        if explicit
        else f"because no identity-based policy allows the sagemaker:{action} action"
    )
    return AccessDeniedException(
        f"User: {caller.arn} is not authorized to perform: sagemaker:{action} on resource: "
        f"{resource_arn} {because}"
    )


def decide(
    caller: Caller, action: str, resource_arn: str, context: Mapping[str, Any] | None = None
) -> Evaluation:
    """Evaluate the caller's policy on one request, keeping only the context keys that a
    request for this action can carry (Service Authorization Reference)."""
    action = action.removeprefix("sagemaker:")
    request: dict[str, Any] = dict(_time_keys(clock.now()))
    for key, value in (context or {}).items():
        if sagemaker_iam.supports_key(action, key) is not False:
            request[key] = value
    full = caller.context.extended(request)
    return evaluate(caller.effective_policy, f"sagemaker:{action}", resource_arn, full)


@lru_cache(maxsize=8)
def _time_keys(now: dt.datetime) -> tuple[tuple[str, str], ...]:
    """aws:CurrentTime and aws:EpochTime, from the simulated clock."""
    return (
        ("aws:CurrentTime", now.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("aws:EpochTime", str(int(now.timestamp()))),
    )


def authorize(
    caller: Caller | None,
    action: str,
    resource_arn: str,
    context: Mapping[str, Any] | None = None,
    *,
    owner_user_profile_arn: str | None = None,
    space_sharing_type: str | None = None,
) -> None:
    """Raise AccessDeniedException unless the caller's policy allows the request.

    ``context`` holds condition keys as AWS spells them (``sagemaker:SpaceSharingType``,
    ``aws:ResourceTag/<key>``, ``aws:TagKeys``...). The two keyword arguments are the
    older way of passing the space keys and are translated into it.
    """
    if caller is None:
        return
    merged = dict(context or {})
    if owner_user_profile_arn is not None:
        merged.setdefault("sagemaker:OwnerUserProfileArn", owner_user_profile_arn)
    if space_sharing_type is not None:
        merged.setdefault("sagemaker:SpaceSharingType", space_sharing_type)
    result = decide(caller, action, resource_arn, merged)
    if not result.allowed:
        explicit = result.decision is Decision.EXPLICIT_DENY
        raise deny(caller, action.removeprefix("sagemaker:"), resource_arn, explicit)


# resource type -> its ARN's resource part, from a Describe/List request's parameters
_READ_ARNS = {
    "domain": "domain/{DomainId}",
    "user-profile": "user-profile/{DomainId}/{UserProfileName}",
    "space": "space/{DomainId}/{SpaceName}",
    "app": "app/{DomainId}/{owner}/{app_type}/{AppName}",
    "image": "image/{ImageName}",
    # by Alias, the version number is only known after the lookup; the alias stands in
    "image-version": "image-version/{ImageName}/{version}",
    "app-image-config": "app-image-config/{AppImageConfigName}",
    "studio-lifecycle-config": "studio-lifecycle-config/{StudioLifecycleConfigName}",
}


def read_resource_arn(caller: Caller, operation: str, params: Mapping[str, Any]) -> str | None:
    """The resource a Describe/List request is authorized on; None if not a read the
    mock knows (its call site, if any, is in the backend)."""
    if operation not in sagemaker_iam.ACTIONS or not operation.startswith(("Describe", "List")):
        return None
    resource_type = sagemaker_iam.ACTIONS[operation][0]
    if resource_type is None:
        return "*"
    values = defaultdict(str, params)
    values["owner"] = params.get("SpaceName") or params.get("UserProfileName") or ""
    values["app_type"] = str(params.get("AppType", "")).lower()
    values["version"] = str(params.get("Version") or params.get("Alias") or "")
    resource = _READ_ARNS[resource_type].format_map(values)
    return f"arn:aws:sagemaker:{caller.region}:{caller.account_id}:{resource}"


def authorize_read(caller: Caller | None, operation: str, params: Mapping[str, Any]) -> None:
    """Describe* and List* calls, which have no call site of their own in the backend."""
    if caller is None:
        return
    resource = read_resource_arn(caller, operation, params)
    if resource is not None:
        authorize(caller, operation, resource)
