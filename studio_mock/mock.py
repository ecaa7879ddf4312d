"""``mock_studio``: moto's ``mock_aws`` plus the Studio extension, safe by construction."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import boto3
import botocore.loaders
import botocore.session
from moto import mock_aws

from . import simulation
from .access import access_key_for, session_token_for
from .extension import install
from .iam import PolicyWarning, load_policy
from .iam.shipped import PolicySource
from .timing import timing
from .waiting import simulated_waiters

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
    account. The simulated clock and cost meter start afresh.

    ``timing="realistic"`` (the default) makes statuses take simulated minutes, as on AWS,
    so code must wait where AWS code must (``wait_for_status``, botocore's waiters);
    ``timing="instant"`` settles every status at once, for tests.
    """

    def __init__(self, region: str = DEFAULT_REGION, timing: str = "realistic"):
        self.region = region
        self.timing = timing
        self._saved: dict[str, str | None] = {}
        self._mock: Any = None
        self._waiters = contextlib.ExitStack()

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
                "MOTO_EC2_LOAD_DEFAULT_AMIS",
            )
        }
        for key in _SCRUBBED:
            os.environ.pop(key, None)
        os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = self.region
        nowhere = os.path.join(tempfile.gettempdir(), "studio-mock-no-aws-config")
        os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = nowhere
        # Studio needs no EC2 machine images: moto's 2,600 default ones cost ~0.4 s a start
        os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
        install()
        simulation.reset(self.timing)
        self._mock = mock_aws()
        self._mock.start()
        os.environ.update(FAKE_CREDENTIALS)  # after moto's, which sets keys of its own
        # a new default session (the old one may hold credentials found before the mock),
        # sharing the parsed models with every other session of this process
        boto3.DEFAULT_SESSION = boto3.Session(botocore_session=_botocore_session())
        self._waiters.enter_context(simulated_waiters())
        return self

    def __exit__(self, *exc: object) -> None:
        self._waiters.close()
        self._mock.stop()
        timing.set(timing.default)
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
            with mock_studio(self.region, self.timing):
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
    session = boto3.Session(
        botocore_session=_botocore_session(),
        aws_access_key_id=access_key_for(domain_id, user_profile_name),
        aws_secret_access_key="studio-mock-user-secret",
        aws_session_token=session_token_for(chosen),
        region_name=region_name or os.environ.get("AWS_DEFAULT_REGION", DEFAULT_REGION),
    )
    paths = _loader().search_paths  # boto3 adds its data folder again for each session
    paths[:] = dict.fromkeys(paths)
    return session


@functools.cache
def _loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


def _botocore_session() -> botocore.session.Session:
    """A new botocore session that shares one loader of AWS's models: each session
    would otherwise parse the models' JSON again (about half a second per client)."""
    session = botocore.session.Session()
    session.register_component("data_loader", _loader())
    return session
