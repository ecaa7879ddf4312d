"""Studio operations on moto's SageMaker response class: parse, check, call, serialize.

moto's serializer shapes each result with botocore's output model; these methods only
pick the members each operation returns.
"""

from __future__ import annotations

import re
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.responses import SageMakerResponse

from . import rules
from .access import Caller, authorize_read, caller_with_session
from .exceptions import ResourceNotFound, ValidationException
from .models import StudioBackend, studio_backend
from .models.tags import is_studio_arn
from .shapes import request_problems

# moto's own tag operations, which still serve SageMaker's non-Studio resources
_MOTO_TAGGING = {
    name: getattr(SageMakerResponse, name) for name in ("add_tags", "list_tags", "delete_tags")
}


class StudioResponse(SageMakerResponse):
    """Methods named after SageMaker operations; ``extension.install`` grafts them on."""

    def _studio_call(self, operation: str) -> tuple[StudioBackend, dict[str, Any], Caller | None]:
        params = dict(self.params or {})
        found = request_problems(operation, params)
        if found:
            noun = "error" if len(found) == 1 else "errors"
            raise ValidationException(
                f"{len(found)} validation {noun} detected: " + "; ".join(found)
            )
        for problem in rules.range_problems(operation, params):
            raise problem
        backend = studio_backend(self.current_account, self.region)
        # every operation, reads included, is authorized in the backend
        caller = caller_with_session(backend.caller_for(self.get_access_key()), self.headers)
        return backend, params, caller

    def _describe(self, operation: str) -> Any:
        """A Describe call. The backend authorizes it on the resource it found (its tags
        and keys in the request context); a resource that does not exist is not revealed
        to a caller who may not describe it: IAM decides on the requested ARN first."""
        backend, params, caller = self._studio_call(operation)
        method = re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()  # DescribeApp: describe_app
        try:
            return getattr(backend, method)(params, caller)
        except ResourceNotFound:
            authorize_read(caller, operation, params)
            raise

    # -------------------------------------------------------------- domains
    def create_domain(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateDomain")
        domain = backend.create_domain(params, caller)
        return ActionResult({"DomainArn": domain.arn, "DomainId": domain.id, "Url": domain.url})

    def describe_domain(self) -> ActionResult:
        return ActionResult(self._describe("DescribeDomain").describe())

    def list_domains(self) -> ActionResult:
        backend, params, caller = self._studio_call("ListDomains")
        items, token = backend.list_domains(params, caller)
        return _page("Domains", [d.summary() for d in items], token)

    def update_domain(self) -> ActionResult:
        backend, params, caller = self._studio_call("UpdateDomain")
        return ActionResult({"DomainArn": backend.update_domain(params, caller).arn})

    def delete_domain(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteDomain")
        backend.delete_domain(params, caller)
        return EmptyResult()

    # -------------------------------------------------------------- user profiles
    def create_user_profile(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateUserProfile")
        return ActionResult({"UserProfileArn": backend.create_user_profile(params, caller).arn})

    def describe_user_profile(self) -> ActionResult:
        return ActionResult(self._describe("DescribeUserProfile").describe())

    def list_user_profiles(self) -> ActionResult:
        backend, params, caller = self._studio_call("ListUserProfiles")
        items, token = backend.list_user_profiles(params, caller)
        return _page("UserProfiles", [p.summary() for p in items], token)

    def update_user_profile(self) -> ActionResult:
        backend, params, caller = self._studio_call("UpdateUserProfile")
        return ActionResult({"UserProfileArn": backend.update_user_profile(params, caller).arn})

    def delete_user_profile(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteUserProfile")
        backend.delete_user_profile(params, caller)
        return EmptyResult()

    # -------------------------------------------------------------- spaces
    def create_space(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateSpace")
        return ActionResult({"SpaceArn": backend.create_space(params, caller).arn})

    def describe_space(self) -> ActionResult:
        return ActionResult(self._describe("DescribeSpace").describe())

    def list_spaces(self) -> ActionResult:
        backend, params, caller = self._studio_call("ListSpaces")
        items, token = backend.list_spaces(params, caller)
        return _page("Spaces", [s.summary() for s in items], token)

    def update_space(self) -> ActionResult:
        backend, params, caller = self._studio_call("UpdateSpace")
        return ActionResult({"SpaceArn": backend.update_space(params, caller).arn})

    def delete_space(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteSpace")
        backend.delete_space(params, caller)
        return EmptyResult()

    # -------------------------------------------------------------- apps
    def create_app(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateApp")
        return ActionResult({"AppArn": backend.create_app(params, caller).arn})

    def describe_app(self) -> ActionResult:
        return ActionResult(self._describe("DescribeApp").describe())

    def list_apps(self) -> ActionResult:
        backend, params, caller = self._studio_call("ListApps")
        items, token = backend.list_apps(params, caller)
        return _page("Apps", [a.summary() for a in items], token)

    def delete_app(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteApp")
        backend.delete_app(params, caller)
        return EmptyResult()

    # -------------------------------------------------------------- presigned URLs
    def create_presigned_domain_url(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreatePresignedDomainUrl")
        return ActionResult(
            {"AuthorizedUrl": backend.create_presigned_domain_url(params, caller).url}
        )

    # -------------------------------------------------------------- images
    def create_image(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateImage")
        return ActionResult({"ImageArn": backend.create_image(params, caller).arn})

    def describe_image(self) -> ActionResult:
        return ActionResult(self._describe("DescribeImage").describe())

    def list_images(self) -> ActionResult:
        backend, params, caller = self._studio_call("ListImages")
        items, token = backend.list_images(params, caller)
        return _page("Images", [i.summary() for i in items], token)

    def update_image(self) -> ActionResult:
        backend, params, caller = self._studio_call("UpdateImage")
        return ActionResult({"ImageArn": backend.update_image(params, caller).arn})

    def delete_image(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteImage")
        backend.delete_image(params, caller)
        return ActionResult({})

    def create_image_version(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateImageVersion")
        return ActionResult({"ImageVersionArn": backend.create_image_version(params, caller).arn})

    def describe_image_version(self) -> ActionResult:
        return ActionResult(self._describe("DescribeImageVersion").describe())

    def list_image_versions(self) -> ActionResult:
        backend, params, caller = self._studio_call("ListImageVersions")
        items, token = backend.list_image_versions(params, caller)
        return _page("ImageVersions", [v.summary() for v in items], token)

    def delete_image_version(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteImageVersion")
        backend.delete_image_version(params, caller)
        return ActionResult({})

    def create_app_image_config(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateAppImageConfig")
        config = backend.create_app_image_config(params, caller)
        return ActionResult({"AppImageConfigArn": config.arn})

    def describe_app_image_config(self) -> ActionResult:
        return ActionResult(self._describe("DescribeAppImageConfig").describe())

    def list_app_image_configs(self) -> ActionResult:
        backend, params, caller = self._studio_call("ListAppImageConfigs")
        items, token = backend.list_app_image_configs(params, caller)
        return _page("AppImageConfigs", [c.describe() for c in items], token)

    def update_app_image_config(self) -> ActionResult:
        backend, params, caller = self._studio_call("UpdateAppImageConfig")
        config = backend.update_app_image_config(params, caller)
        return ActionResult({"AppImageConfigArn": config.arn})

    def delete_app_image_config(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteAppImageConfig")
        backend.delete_app_image_config(params, caller)
        return EmptyResult()

    # -------------------------------------------------------------- lifecycle configurations
    def create_studio_lifecycle_config(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateStudioLifecycleConfig")
        config = backend.create_studio_lifecycle_config(params, caller)
        return ActionResult({"StudioLifecycleConfigArn": config.arn})

    def describe_studio_lifecycle_config(self) -> ActionResult:
        return ActionResult(self._describe("DescribeStudioLifecycleConfig").describe())

    def list_studio_lifecycle_configs(self) -> ActionResult:
        backend, params, caller = self._studio_call("ListStudioLifecycleConfigs")
        items, token = backend.list_studio_lifecycle_configs(params, caller)
        return _page("StudioLifecycleConfigs", [c.summary() for c in items], token)

    def delete_studio_lifecycle_config(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteStudioLifecycleConfig")
        backend.delete_studio_lifecycle_config(params, caller)
        return EmptyResult()

    # -------------------------------------------------------------- moto's endpoints, models
    def describe_endpoint(self) -> ActionResult:
        name = self._get_param("EndpointName")
        return _without_empty(self.sagemaker_backend.describe_endpoint(name), "DataCaptureConfig")

    def describe_endpoint_config(self) -> ActionResult:
        name = self._get_param("EndpointConfigName")
        described = self.sagemaker_backend.describe_endpoint_config(name)
        return _without_empty(described, "DataCaptureConfig")

    def describe_model(self) -> ActionResult:
        name = self._get_param("ModelName")
        model = self.sagemaker_backend.describe_model(name)
        return _without_empty(model.response_object, "VpcConfig")

    # -------------------------------------------------------------- tags of Studio resources
    def _moto_tagging(self, operation: str, resource_arn: str) -> ActionResult:
        """moto's own tag operation, for a resource that is not Studio's; moto fails on a
        kind of resource it does not know, which AWS answers as a validation error."""
        try:
            return _MOTO_TAGGING[operation](self)
        except (AttributeError, ValueError, KeyError) as err:
            raise ValidationException(
                f"Resource '{resource_arn}' is not a SageMaker resource that can be tagged here, "
                "or it does not exist."
            ) from err

    def add_tags(self) -> ActionResult:
        resource_arn = self._get_param("ResourceArn") or ""
        if not is_studio_arn(resource_arn):  # moto's resource: moto's rules, as before
            return self._moto_tagging("add_tags", resource_arn)
        backend, params, caller = self._studio_call("AddTags")
        return ActionResult({"Tags": backend.add_tags(params, caller)})

    def list_tags(self) -> ActionResult:
        resource_arn = self._get_param("ResourceArn") or ""
        if not is_studio_arn(resource_arn):  # moto's resource: moto's rules, as before
            return self._moto_tagging("list_tags", resource_arn)
        backend, params, caller = self._studio_call("ListTags")
        return ActionResult({"Tags": backend.list_tags(params, caller)})

    def delete_tags(self) -> ActionResult:
        resource_arn = self._get_param("ResourceArn") or ""
        if not is_studio_arn(resource_arn):  # moto's resource: moto's rules, as before
            return self._moto_tagging("delete_tags", resource_arn)
        backend, params, caller = self._studio_call("DeleteTags")
        backend.delete_tags(params, caller)
        return EmptyResult()


def _page(key: str, items: list[dict[str, Any]], token: str | None) -> ActionResult:
    result: dict[str, Any] = {key: items}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def _without_empty(described: dict[str, Any], *members: str) -> ActionResult:
    """moto's answer, less the empty structures it shows for settings a resource was made
    without: AWS leaves such a member out (botocore's model requires what is inside)."""
    response = dict(described)
    for member in members:
        if not response.get(member):
            response.pop(member, None)
    return ActionResult(response)


# Operations moto implements, but wrongly for Studio (issue #2), only for its own
# resources (tags), or with empty members AWS leaves out (endpoints, endpoint configs
# and models made without data capture or a VPC): ours replace them.
REPLACED = {
    "create_domain",
    "describe_domain",
    "list_domains",
    "delete_domain",
    "describe_endpoint",
    "describe_endpoint_config",
    "describe_model",
    "add_tags",
    "list_tags",
    "delete_tags",
}
