"""Errors named after the codes SageMaker returns (see botocore's service model).

The service models only ResourceNotFound, ResourceInUse and ResourceLimitExceeded;
malformed requests get ValidationException and IAM refusals AccessDeniedException.
"""

from moto.core.exceptions import ServiceException


class StudioClientError(ServiceException):
    def __init__(self, message: str):
        super().__init__(message)


class ValidationException(StudioClientError):
    code = "ValidationException"


class ResourceNotFound(StudioClientError):
    code = "ResourceNotFound"


class ResourceInUse(StudioClientError):
    code = "ResourceInUse"


class ResourceLimitExceeded(StudioClientError):
    code = "ResourceLimitExceeded"


class AccessDeniedException(StudioClientError):
    code = "AccessDeniedException"
