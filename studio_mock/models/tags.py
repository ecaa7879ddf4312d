"""AddTags, ListTags and DeleteTags on Studio resources, with the access checks AWS makes.

moto's own tag operations serve SageMaker's other resources; ``extension.install`` sends a
Studio ARN here instead, so that a user's call is authorized (AWS's recommended user
policy allows AddTags only while creating, and neither ListTags nor DeleteTags) and so
that AddTags overwrites a key's value, as AWS says it does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..access import Caller
from ..exceptions import ResourceNotFound
from .common import merged_tags

if TYPE_CHECKING:
    from .backend import StudioBackend

STUDIO_ARN_KINDS = (
    "domain",
    "user-profile",
    "space",
    "app",
    "image",
    "image-version",
    "app-image-config",
    "studio-lifecycle-config",
)


def is_studio_arn(resource_arn: str) -> bool:
    return resource_arn.split(":")[-1].split("/")[0] in STUDIO_ARN_KINDS


class TagsMixin:
    def resource_by_arn(self: StudioBackend, resource_arn: str) -> Any:
        stores = [
            self.domains,
            self.user_profiles,
            self.spaces,
            self.apps,
            self.images,
            self.app_image_configs,
            self.lifecycle_configs,
        ]
        for store in stores:
            for item in list(store.values()):
                if item.arn == resource_arn:
                    return item
        for image in self.images.values():
            for version in image.versions.values():
                if version.arn == resource_arn:
                    return version
        raise ResourceNotFound(f"Resource '{resource_arn}' does not exist.")

    def resource_keys(self: StudioBackend, resource: Any) -> dict[str, Any]:
        from .apps import App
        from .spaces import Space

        if isinstance(resource, Space):
            return self.space_keys(resource)
        if isinstance(resource, App):
            return self.app_keys(resource)
        return {}

    def add_tags(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> list[dict[str, str]]:
        resource = self.resource_by_arn(params["ResourceArn"])
        self.check_access(
            caller,
            "AddTags",
            resource.arn,
            resource,
            keys=self.resource_keys(resource),
            request_tags=params["Tags"],
        )
        resource.tags = merged_tags(resource.tags, params["Tags"])
        return resource.tags

    def list_tags(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> list[dict[str, str]]:
        resource = self.resource_by_arn(params["ResourceArn"])
        self.check_access(
            caller, "ListTags", resource.arn, resource, keys=self.resource_keys(resource)
        )
        return list(resource.tags)

    def delete_tags(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> None:
        resource = self.resource_by_arn(params["ResourceArn"])
        doomed = list(params["TagKeys"])
        self.check_access(
            caller,
            "DeleteTags",
            resource.arn,
            resource,
            keys={**self.resource_keys(resource), "aws:TagKeys": doomed},
        )
        resource.tags = [tag for tag in resource.tags if tag["Key"] not in doomed]
