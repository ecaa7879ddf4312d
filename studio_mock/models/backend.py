"""The Studio control plane: one StudioBackend per account and Region.

It hangs off moto's own SageMaker backend (``sagemaker_backends[account][region]``), so
moto's reset clears it with everything else. Like moto's EC2 backend, it is composed of
one mixin per resource, each beside its model; this class holds the stores, the lookups
they share, and the access check every operation makes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..access import Caller, access_key_for, authorize
from . import settings
from .apps import App, AppsMixin
from .common import GONE
from .domains import Domain, DomainsMixin
from .images import AppImageConfig, Image, ImagesMixin
from .lifecycle_configs import LifecycleConfigsMixin, StudioLifecycleConfig
from .presigned_urls import OpenedSession, PresignedUrlsMixin
from .spaces import Space, SpacesMixin
from .tags import TagsMixin
from .user_profiles import UserProfile, UserProfilesMixin


class StudioBackend(
    DomainsMixin,
    UserProfilesMixin,
    SpacesMixin,
    AppsMixin,
    ImagesMixin,
    LifecycleConfigsMixin,
    PresignedUrlsMixin,
    TagsMixin,
):
    def __init__(self, account_id: str, region: str):
        self.account_id = account_id
        self.region = region
        self.domains: dict[str, Domain] = {}
        self.user_profiles: dict[tuple[str, str], UserProfile] = {}
        self.spaces: dict[tuple[str, str], Space] = {}
        self.apps: dict[Any, App] = {}
        self.images: dict[str, Image] = {}
        self.app_image_configs: dict[str, AppImageConfig] = {}
        self.lifecycle_configs: dict[str, StudioLifecycleConfig] = {}
        self.sessions: list[OpenedSession] = []
        self.identities: dict[str, tuple[str, str]] = {}  # access key -> (domain, profile)
        self.quotas: dict[tuple[str, str], int] = {}  # (app type, instance type) -> limit
        # files on home EFS file systems: file system id -> POSIX uid -> path -> bytes
        self.home_efs_files: dict[str, dict[int, dict[str, bytes]]] = {}

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

    def next_change(self, after: dt.datetime) -> dt.datetime | None:
        """The next moment any status here changes on its own (for the clock)."""
        moments = [
            moment
            for store in (self.domains, self.user_profiles, self.spaces, self.apps, self.images)
            for item in store.values()
            if (moment := item.next_change(after)) is not None
        ]
        moments += [
            moment
            for image in self.images.values()
            for version in image.versions.values()
            if (moment := version.next_change(after)) is not None
        ]
        return min(moments, default=None)

    # ------------------------------------------------------------------ access
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

    def check_access(
        self,
        caller: Caller | None,
        action: str,
        resource_arn: str,
        resource: Any = None,
        *,
        keys: dict[str, Any] | None = None,
        request_tags: list[dict[str, str]] | None = None,
        tagging_action: str | None = None,
    ) -> None:
        """Authorize ``action`` with the IAM request context AWS would build: the caller's
        Studio identity, the resource's condition keys and tags, the request's tags. A
        create that carries Tags is also an AddTags, evaluated with
        ``sagemaker:TaggingAction`` set to the create's name."""
        context: dict[str, Any] = {}
        if caller is not None:
            context["sagemaker:DomainId"] = caller.domain_id
            context["sagemaker:UserProfileName"] = caller.user_profile_name
        for tag in getattr(resource, "tags", None) or []:
            context[f"aws:ResourceTag/{tag['Key']}"] = tag.get("Value", "")
        context.update(keys or {})
        if request_tags:
            for tag in request_tags:
                context[f"aws:RequestTag/{tag['Key']}"] = tag.get("Value", "")
            context["aws:TagKeys"] = [tag["Key"] for tag in request_tags]
        authorize(caller, action, resource_arn, context=context)
        if request_tags and tagging_action:
            authorize(
                caller,
                "AddTags",
                resource_arn,
                context={**context, "sagemaker:TaggingAction": tagging_action},
            )


__all__ = ["StudioBackend"]
