"""``mock_studio``: moto's ``mock_aws`` plus the Studio extension, safe by construction."""

from __future__ import annotations

import functools
import os
import tempfile
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import boto3
from moto import mock_aws
from moto.moto_api import state_manager

from .access import access_key_for, session_token_for
from .control import reset_simulation
from .extension import install
from .iam import PolicyWarning, load_policy
from .iam.shipped import PolicySource
from .models.common import STATUS_MODELS

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_REGION = "us-east-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIASTUDIOMOCKADMIN1",
    "AWS_SECRET_ACCESS_KEY": "studio-mock-secret-not-a-real-key",
}
# Everything through which boto3 could find real credentials or a real account.
_SCRUBBED = (
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SAGEMAKER",
)


class mock_studio:  # noqa: N801 - named like moto's mock_aws, which it extends
    """Use as ``with mock_studio():`` or ``@mock_studio()``.

    Every AWS call inside goes to moto (with SageMaker Studio added); fake credentials and
    a default Region replace whatever the environment had, so no lab can reach a real
    account. The simulated clock and status progressions start afresh.
    """

    def __init__(self, region: str = DEFAULT_REGION):
        self.region = region
        self._saved: dict[str, str | None] = {}
        self._mock: Any = None

    def __enter__(self) -> mock_studio:
        self._saved = {
            k: os.environ.get(k)
            for k in (
                *FAKE_CREDENTIALS,
                *_SCRUBBED,
                "AWS_DEFAULT_REGION",
                "AWS_REGION",
                "AWS_CONFIG_FILE",
                "AWS_SHARED_CREDENTIALS_FILE",
            )
        }
        for key in _SCRUBBED:
            os.environ.pop(key, None)
        os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = self.region
        nowhere = os.path.join(tempfile.gettempdir(), "studio-mock-no-aws-config")
        os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = nowhere
        boto3.DEFAULT_SESSION = None  # it may hold credentials found before the mock
        install()
        reset_simulation()
        self._mock = mock_aws()
        self._mock.start()
        os.environ.update(FAKE_CREDENTIALS)  # after moto's, which sets keys of its own
        return self

    def __exit__(self, *exc: object) -> None:
        self._mock.stop()
        boto3.DEFAULT_SESSION = None
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def start(self) -> mock_studio:
        """For notebooks, where a ``with`` block cannot span cells: ``mock_studio().start()``."""
        return self.__enter__()

    def stop(self) -> None:
        self.__exit__(None, None, None)

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with mock_studio(self.region):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def user_session(
    domain_id: str,
    user_profile_name: str,
    region_name: str | None = None,
    *,
    policy: PolicySource | None = None,
) -> boto3.Session:
    """A boto3 session acting as a user profile inside Studio.

    Its SageMaker calls are decided by an IAM policy: AWS's recommended Studio user
    policy by default (``studio_mock/iam/policies/studio-user.json``), or ``policy``, a
    dict, JSON text or the path of a JSON file. An invalid policy raises PolicyError
    here; a doubtful one (say, without Version) gives a PolicyWarning. The profile must
    exist when calls are made.
    """
    chosen = None
    if policy is not None:
        chosen = load_policy(policy)
        for problem in chosen.warnings:
            warnings.warn(str(problem), PolicyWarning, stacklevel=2)
    return boto3.Session(
        aws_access_key_id=access_key_for(domain_id, user_profile_name),
        aws_secret_access_key="studio-mock-user-secret",
        aws_session_token=session_token_for(chosen),
        region_name=region_name or os.environ.get("AWS_DEFAULT_REGION", DEFAULT_REGION),
    )


def set_progression(kind: str, progression: str = "manual", times: int = 1) -> None:
    """Make statuses of ``kind`` (domain, user-profile, space, app, image, image-version)
    move one step per ``times`` Describe calls instead of at once."""
    if kind not in STATUS_MODELS:
        raise ValueError(f"kind must be one of {sorted(STATUS_MODELS)}, not {kind!r}")
    if progression == "immediate":
        state_manager.unset_transition(STATUS_MODELS[kind])
    elif progression == "manual":
        state_manager.set_transition(STATUS_MODELS[kind], {"progression": "manual", "times": times})
    else:
        raise ValueError("progression must be 'manual' or 'immediate'")


def reset_progressions() -> None:
    for model in STATUS_MODELS.values():
        state_manager.unset_transition(model)
