"""Studio operations on moto's SageMaker response class: parse, check, call, serialize.

moto's serializer shapes each result with botocore's output model; these methods only
pick the members each operation returns.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.responses import SageMakerResponse

from .access import Caller, authorize_read, caller_with_session
from .exceptions import ValidationException
from .models import StudioBackend, studio_backend
from .shapes import request_problems


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
        backend = studio_backend(self.current_account, self.region)
        caller = caller_with_session(backend.caller_for(self.get_access_key()), self.headers)
        authorize_read(caller, operation, params)  # writes are authorized in the backend
        return backend, params, caller

    # -------------------------------------------------------------- domains
    def create_domain(self) -> ActionResult:
        backend, params, caller = self._studio_call("CreateDomain")
        domain = backend.create_domain(params, caller)
        return ActionResult({"DomainArn": domain.arn, "DomainId": domain.id, "Url": domain.url})

    def describe_domain(self) -> ActionResult:
        backend, params, _ = self._studio_call("DescribeDomain")
        return _described(backend.get_domain(params["DomainId"]))

    def list_domains(self) -> ActionResult:
        backend, params, _ = self._studio_call("ListDomains")
        items, token = backend.list_domains(params)
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
        backend, params, _ = self._studio_call("DescribeUserProfile")
        return _described(backend.get_user_profile(params["DomainId"], params["UserProfileName"]))

    def list_user_profiles(self) -> ActionResult:
        backend, params, _ = self._studio_call("ListUserProfiles")
        items, token = backend.list_user_profiles(params)
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
        backend, params, _ = self._studio_call("DescribeSpace")
        return _described(backend.get_space(params["DomainId"], params["SpaceName"]))

    def list_spaces(self) -> ActionResult:
        backend, params, _ = self._studio_call("ListSpaces")
        items, token = backend.list_spaces(params)
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
        backend, params, _ = self._studio_call("DescribeApp")
        return _described(backend.get_app(params))

    def list_apps(self) -> ActionResult:
        backend, params, _ = self._studio_call("ListApps")
        items, token = backend.list_apps(params)
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
        backend, params, _ = self._studio_call("DescribeImage")
        return _described(backend.get_image(params["ImageName"]))

    def list_images(self) -> ActionResult:
        backend, params, _ = self._studio_call("ListImages")
        items, token = backend.list_images(params)
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
        backend, params, _ = self._studio_call("DescribeImageVersion")
        return _described(backend.get_image_version(params))

    def list_image_versions(self) -> ActionResult:
        backend, params, _ = self._studio_call("ListImageVersions")
        items, token = backend.list_image_versions(params)
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
        backend, params, _ = self._studio_call("DescribeAppImageConfig")
        return ActionResult(backend.get_app_image_config(params["AppImageConfigName"]).describe())

    def list_app_image_configs(self) -> ActionResult:
        backend, params, _ = self._studio_call("ListAppImageConfigs")
        items, token = backend.list_app_image_configs(params)
        return _page("AppImageConfigs", [c.describe() for c in items], token)

    def update_app_image_config(self) -> ActionResult:
        backend, params, caller = self._studio_call("UpdateAppImageConfig")
        config = backend.update_app_image_config(params, caller)
        return ActionResult({"AppImageConfigArn": config.arn})

    def delete_app_image_config(self) -> ActionResult:
        backend, params, caller = self._studio_call("DeleteAppImageConfig")
        backend.delete_app_image_config(params, caller)
        return EmptyResult()


def _described(resource: Any) -> ActionResult:
    """Describe, then count the call: with manual progression the next one moves on."""
    result = resource.describe()
    resource.advance()
    return ActionResult(result)


def _page(key: str, items: list[dict[str, Any]], token: str | None) -> ActionResult:
    result: dict[str, Any] = {key: items}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


# Operations moto implements, but wrongly for Studio (issue #2): ours replace them.
REPLACED = {"create_domain", "describe_domain", "list_domains", "delete_domain"}
