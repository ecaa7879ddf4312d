"""Fixtures for the mock's conformance suite: every test runs in-process and against a
local server, and every SageMaker response is checked against botocore's output shape."""

from __future__ import annotations

import collections
import contextlib
import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.handlers
import pytest
from botocore.config import Config

from studio_mock import StudioServer, advance_clock, mock_studio, set_timing, user_session
from studio_mock.mock import FAKE_CREDENTIALS
from studio_mock.shapes import response_problems

ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"
SHAPES_CHECKED: collections.Counter[str] = collections.Counter()


def _check_response_shape(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
    """after-call hook: a successful response must match botocore's output shape."""
    if http_response.status_code >= 300:
        return
    found = response_problems(model.name, parsed)
    assert not found, f"{model.name} response does not match botocore's shape: {found}"
    SHAPES_CHECKED[model.name] += 1


# BUILTIN_HANDLERS is registered on every botocore session, so no client escapes the hook.
botocore.handlers.BUILTIN_HANDLERS.append(("after-call.sagemaker", _check_response_shape))


# How `make test` shares the tests between pytest-xdist's workers (--dist loadscope): a
# test file goes to one worker, so that its module fixtures are set up once, and a test
# class too (tests/test_lab_seeds.py has one per lab, so the labs' many-id runs spread).
# The files that take minutes are sent first (--no-loadscope-reorder keeps this order),
# so that no worker is left running one of them at the end. (xdist's loadgroup cannot be
# used: with pytest 9 the group it appends to a test's node id is ignored.)
LONG_FIRST = (
    "tests/test_lab_seeds.py",
    "tests/test_autograder.py",
    "tests/test_redteam.py",
    "tests/test_dask.py",
    "tests/test_autograder_postgres.py",
    "tests/test_class_loop.py",
    "tests/test_labs.py",
    "tests/test_hub_class.py",
    "tests/test_book_accessibility.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SHAPES_CHECKED:
        terminalreporter.write_line(
            f"botocore output shapes checked: {sum(SHAPES_CHECKED.values())} responses "
            f"of {len(SHAPES_CHECKED)} SageMaker operations"
        )


@pytest.fixture(scope="session")
def server() -> Iterator[StudioServer]:
    with StudioServer(port=0, timing_mode="instant") as running:
        yield running


class Studio:
    """One test's AWS: clients for the administrator and for user profiles."""

    def __init__(self, mode: str, endpoint_url: str | None):
        self.mode = mode
        self.endpoint_url = endpoint_url

    def client(self, service: str = "sagemaker", config: Config | None = None) -> Any:
        if self.endpoint_url:
            return boto3.client(
                service,
                endpoint_url=self.endpoint_url,
                region_name="us-east-1",
                aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                config=config,
            )
        return boto3.client(service, region_name="us-east-1", config=config)

    def unvalidated(self) -> Any:
        """An admin client without botocore's client-side checks: what the mock itself says."""
        return self.client(config=Config(parameter_validation=False))

    def advance(self, **moved: float) -> Any:
        """Move the simulated clock of this test's Studio (in process or on the server)."""
        return advance_clock(**moved, endpoint_url=self.endpoint_url)

    def sleep(self, seconds: float) -> None:
        """What ``wait_for_status`` should sleep with, in either mode."""
        self.advance(seconds=seconds)

    def as_user(self, domain_id: str, profile: str, service: str = "sagemaker") -> Any:
        return user_session(domain_id, profile, "us-east-1").client(
            service, endpoint_url=self.endpoint_url
        )


def _post(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"), timeout=30)


@pytest.fixture(params=["in-process", "server"])
def studio(request: pytest.FixtureRequest) -> Iterator[Studio]:
    if request.param == "in-process":
        with mock_studio(timing="instant"):
            yield Studio("in-process", None)
        return
    running: StudioServer = request.getfixturevalue("server")
    _post(f"{running.endpoint_url}/moto-api/reset")
    _post(f"{running.endpoint_url}/_studio/reset")
    yield Studio("server", running.endpoint_url)


@pytest.fixture
def realistic(studio: Studio) -> Studio:
    """Statuses take simulated minutes from here on, as in the labs."""
    set_timing("realistic", endpoint_url=studio.endpoint_url)
    return studio


@pytest.fixture
def sm(studio: Studio) -> Any:
    return studio.client()


@pytest.fixture
def domain_id(sm: Any) -> str:
    """A domain with default settings."""
    return sm.create_domain(
        DomainName="course", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]


def new_space(
    sm: Any,
    domain_id: str,
    name: str,
    owner: str,
    sharing: str = "Private",
    app_type: str = "JupyterLab",
    **settings: Any,
) -> str:
    """A space of ``owner`` (the profile is made if missing), not started."""
    with contextlib.suppress(sm.exceptions.ResourceInUse):
        sm.create_user_profile(DomainId=domain_id, UserProfileName=owner)
    sm.create_space(
        DomainId=domain_id,
        SpaceName=name,
        OwnershipSettings={"OwnerUserProfileName": owner},
        SpaceSharingSettings={"SharingType": sharing},
        SpaceSettings={"AppType": app_type, **settings},
    )
    return name


@pytest.fixture
def make_space(sm: Any, domain_id: str) -> Callable[..., str]:
    return lambda name, owner, **kwargs: new_space(sm, domain_id, name, owner, **kwargs)


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """(code, message) of a botocore ClientError."""
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def dumps(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)
