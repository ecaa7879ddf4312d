"""Pieces every Studio model shares: ARNs, ids, statuses, pagination, settings lookups."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
from typing import Any

from moto.moto_api import state_manager
from moto.moto_api._internal import mock_random
from moto.moto_api._internal.managed_state_model import ManagedState

from ..clock import clock
from ..exceptions import ValidationException

# The course's stated defaults where AWS documents none (see FACTS.md).
DEFAULT_INSTANCE_TYPE = "ml.t3.medium"
DEFAULT_EBS_GB = 5
MAXIMUM_EBS_GB = 100
# SageMaker Distribution is published by this AWS-owned account in us-east-1.
DISTRIBUTION_ACCOUNT = "885854791233"
HOME_EFS_TAG = "ManagedByAmazonSageMakerResource"

# Model names for moto's state manager; set a transition on one of these to step statuses.
STATUS_MODELS = {
    "domain": "sagemaker::domain",
    "user-profile": "sagemaker::user-profile",
    "space": "sagemaker::space",
    "app": "sagemaker::app",
    "image": "sagemaker::image",
    "image-version": "sagemaker::image-version",
}
for _model in STATUS_MODELS.values():
    state_manager.register_default_transition(_model, transition={"progression": "immediate"})

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


class StatusModel(ManagedState):
    """A resource whose Status moves on moto's state manager.

    Immediate by default; with ``progression: manual`` each Describe call moves it one
    step, which is how a lab shows Pending -> InService.
    """

    def __init__(self, kind: str, transitions: list[tuple[str | None, str]]):
        super().__init__(STATUS_MODELS[kind], transitions)
        self.creation_time = clock.stamp()
        self.last_modified_time = self.creation_time

    def set_status(self, value: str) -> None:
        self._status = value
        self._tick = 0

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


def paginate(
    items: list[Any], max_results: int | None, next_token: str | None, default: int
) -> tuple[list[Any], str | None]:
    start = 0
    if next_token:
        try:
            start = int(json.loads(base64.b64decode(next_token))["offset"])
        except (ValueError, KeyError, TypeError) as err:
            raise ValidationException(
                "The NextToken is not valid. Pass the NextToken exactly as the previous "
                "response returned it, or omit it to start from the first page."
            ) from err
    size = max_results or default
    page = items[start : start + size]
    more = start + size < len(items)
    token = base64.b64encode(json.dumps({"offset": start + size}).encode()).decode()
    return page, token if more else None


def sort_items(
    items: list[Any],
    sort_by: str | None,
    sort_order: str | None,
    keys: dict[str, str],
    default_by: str,
    default_order: str,
) -> list[Any]:
    attribute = keys[sort_by or default_by]
    descending = (sort_order or default_order).lower().startswith("desc")
    return sorted(items, key=lambda item: getattr(item, attribute), reverse=descending)


def _aware(moment: Any) -> Any:
    """botocore parses request timestamps without a zone when none was sent: that is UTC."""
    if isinstance(moment, dt.datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def time_filtered(
    items: list[Any], attribute: str, after: Any = None, before: Any = None
) -> list[Any]:
    after, before = _aware(after), _aware(before)
    if after is not None:
        items = [i for i in items if getattr(i, attribute) > after]
    if before is not None:
        items = [i for i in items if getattr(i, attribute) < before]
    return items
