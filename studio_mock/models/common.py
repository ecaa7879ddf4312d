"""Pieces every Studio model shares: ARNs, ids, statuses on the clock, settings lookups."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, ClassVar

from moto.moto_api._internal import mock_random

from ..clock import clock
from ..timing import timing

# The course's stated defaults where AWS documents none (see FACTS.md).
DEFAULT_INSTANCE_TYPE = "ml.t3.medium"
DEFAULT_EBS_GB = 5
MAXIMUM_EBS_GB = 100
# SageMaker Distribution is published by this AWS-owned account in us-east-1.
DISTRIBUTION_ACCOUNT = "885854791233"
HOME_EFS_TAG = "ManagedByAmazonSageMakerResource"

# Internal end state of a deletion for resources whose status enum has no "Deleted".
GONE = "__gone__"


def arn(account_id: str, region: str, resource: str) -> str:
    return f"arn:aws:sagemaker:{region}:{account_id}:{resource}"


def distribution_image_arn(region: str, gpu: bool = False) -> str:
    flavour = "gpu" if gpu else "cpu"
    return arn(DISTRIBUTION_ACCOUNT, region, f"image/sagemaker-distribution-{flavour}")


def new_domain_id() -> str:
    return "d-" + mock_random.get_random_string(length=12, lower_case=True)


def new_hex(length: int) -> str:
    return mock_random.get_random_hex(length)


class StatusModel:
    """A resource whose Status moves on the simulated clock.

    ``begin(status)`` enters a status now and plans where it settles (``SETTLES``) after
    the duration ``timing`` gives it: at once in instant mode, minutes later in realistic
    mode. Reading ``status`` never changes anything, so Describe calls, listings and the
    Studio view can look as often as they like.
    """

    kind: ClassVar[str]
    SETTLES: ClassVar[dict[str, str]] = {}

    def __init__(self, first: str) -> None:
        self.creation_time = clock.stamp()
        self.last_modified_time = self.creation_time
        self._steps: list[tuple[dt.datetime, str]] = []
        self.begin(first)

    def begin(
        self,
        status: str,
        then: str | None = None,
        *,
        at: dt.datetime | None = None,
        extra: dt.timedelta = dt.timedelta(0),
    ) -> None:
        """Enter ``status`` now (or ``at``, a moment already passed); it settles into
        ``then`` (or ``SETTLES[status]``) when its duration, plus ``extra``, is over."""
        at = at or clock.now()
        self._steps = [step for step in self._steps if step[0] <= at]
        self._steps.append((at, status))
        settled = then or self.SETTLES.get(status)
        if settled is not None:
            self._steps.append((at + timing.duration(self.kind, status, extra), settled))

    def status_at(self, moment: dt.datetime) -> str:
        current = self._steps[0][1]
        for at, status in self._steps:
            if at > moment:
                break
            current = status
        return current

    @property
    def status(self) -> str:
        return self.status_at(clock.now())

    def entered_at(self, status: str) -> dt.datetime | None:
        """When the resource last entered ``status`` (planned entries in the future count)."""
        found = [at for at, s in self._steps if s == status]
        return found[-1] if found else None

    def next_change(self, after: dt.datetime) -> dt.datetime | None:
        return next((at for at, _ in self._steps if at > after), None)

    def touch(self) -> None:
        self.last_modified_time = clock.stamp()

    @property
    def tags_or_empty(self) -> list[dict[str, str]]:
        return getattr(self, "tags", None) or []


def settings_get(settings: dict[str, Any] | None, *path: str) -> Any:
    node: Any = settings or {}
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def first_set(chain: list[dict[str, Any] | None], *path: str) -> Any:
    """The first value found at ``path`` along a settings chain (most specific first)."""
    for settings in chain:
        value = settings_get(settings, *path)
        if value is not None:
            return value
    return None


def merged(base: dict[str, Any] | None, update: dict[str, Any] | None) -> dict[str, Any]:
    """Top-level members given in ``update`` replace those in ``base``, as Update* calls do."""
    result = copy.deepcopy(base or {})
    for key, value in (update or {}).items():
        result[key] = copy.deepcopy(value)
    return result


def merged_tags(*tag_lists: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """Tag lists combined; a later list's value wins for a key it repeats."""
    found: dict[str, dict[str, str]] = {}
    for tags in tag_lists:
        for tag in tags or []:
            found[tag["Key"]] = dict(tag)
    return list(found.values())
