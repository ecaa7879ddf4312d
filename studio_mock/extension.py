"""Grafts the Studio control plane onto moto's SageMaker, from outside moto's tree.

An operation moto already implements is left alone (so a future moto that adds one
takes over), except those listed in ``responses.REPLACED``: moto's Domain operations,
which it gets wrong, and its tag operations, which the extension answers for Studio
resources (with access checks) and hands back to moto for everything else.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.utils import camelcase_to_underscores
from moto.ecr.models import ECRBackend
from moto.sagemaker.responses import SageMakerResponse

from .exceptions import InternalFailure, SerializationException
from .models.aws_services import keeping_image_configs
from .responses import REPLACED, StudioResponse

_STUDIO_OPERATIONS = {
    name
    for name, fn in vars(StudioResponse).items()
    if inspect.isfunction(fn) and not name.startswith("_")
}
_installed = False


def install() -> None:
    """Add the Studio operations to moto's SageMaker (idempotent)."""
    global _installed
    if _installed:
        return
    for name, function in vars(StudioResponse).items():
        if not inspect.isfunction(function):
            continue
        if name.startswith("_"):
            setattr(SageMakerResponse, name, function)
        elif name in REPLACED or not hasattr(SageMakerResponse, name):
            setattr(SageMakerResponse, name, _never_crash(function))
    # AWS answers an IAM refusal with AccessDeniedException, which SageMaker's model does
    # not list; moto's serializer would warn about it on every denial.
    warnings.filterwarnings(
        "ignore", message=r"Exception\(AccessDeniedException\)", category=UserWarning
    )
    SageMakerResponse.parse_parameters = _parse_or_defer(SageMakerResponse.parse_parameters)
    # an app's start reads the image's default user from the config docker push uploaded
    ECRBackend.complete_layer_upload = keeping_image_configs(ECRBackend.complete_layer_upload)
    _installed = True


def _parse_or_defer(original: Any) -> Any:
    """moto parses the body before any operation runs, and a wrongly typed member would
    escape as a bare Python error; for Studio operations keep it for the operation to
    answer as AWS does (SerializationException)."""

    def parse_parameters(self: SageMakerResponse, request: Any) -> None:
        try:
            original(self, request)
        except (ValueError, TypeError, AttributeError, KeyError) as err:
            if camelcase_to_underscores(self._get_action()) not in _STUDIO_OPERATIONS:
                raise
            self.params = {}
            self._studio_parse_error = err

    return parse_parameters


def _never_crash(operation: Any) -> Any:
    @functools.wraps(operation)
    def guarded(self: SageMakerResponse) -> Any:
        parse_error = getattr(self, "_studio_parse_error", None)
        if parse_error is not None:
            raise SerializationException(parse_error)
        try:
            return operation(self)
        except ServiceException:
            raise
        except Exception as err:  # noqa: BLE001 - turned into AWS's InternalFailure
            raise InternalFailure(err) from err

    return guarded
