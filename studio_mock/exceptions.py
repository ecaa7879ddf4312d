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


class InternalFailure(StudioClientError):
    """A bug in the mock: reported like AWS's own 500, never as a bare Python exception."""

    code = "InternalFailure"

    def __init__(self, error: Exception):
        super().__init__(
            f"studio_mock hit an internal error ({type(error).__name__}: {error}). This is a "
            "bug in the mock, not in your code: please report it with the call you made."
        )


class SerializationException(StudioClientError):
    """The request body does not match the operation's types (AWS's JSON protocol error)."""

    code = "SerializationException"

    def __init__(self, error: Exception):
        super().__init__(
            f"A request member has the wrong JSON type ({type(error).__name__}: {error}). "
            "Check each parameter's type (string, number, list, structure) against the "
            "SageMaker API reference."
        )
