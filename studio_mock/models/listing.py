"""One helper for every List* operation: time filters, sort and pages as AWS states them.

Page sizes, default sort keys and orders, and whether a time bound is inclusive all come
from the rules table (``studio_mock.rules``), so a List call that gives none of them
behaves as botocore's documentation says ("The default value for MaxResults is 10").
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from operator import attrgetter
from typing import Any

from .. import rules
from ..exceptions import ValidationException


def list_page(
    operation: str,
    items: list[Any],
    params: dict[str, Any],
    sort_keys: dict[str, str] | None = None,
) -> tuple[list[Any], str | None]:
    """Filter ``items`` by the request's time bounds, sort them (``sort_keys`` maps each
    SortBy value to an attribute) and cut the requested page."""
    for member, inclusive in rules.time_filters(operation).items():
        bound = _aware(params.get(member))
        if bound is None:
            continue
        attribute = "creation_time" if member.startswith("Creation") else "last_modified_time"
        after = member.endswith("After")
        items = [i for i in items if _within(getattr(i, attribute), bound, after, inclusive)]
    if sort_keys:
        by = params.get("SortBy") or rules.default(operation, "SortBy")
        order = params.get("SortOrder") or rules.default(operation, "SortOrder")
        descending = order.lower().startswith("desc")
        items = sorted(items, key=attrgetter(sort_keys[by]), reverse=descending)
    size = params.get("MaxResults") or rules.default(operation, "MaxResults")
    return _paginate(items, size, params.get("NextToken"))


def _within(moment: dt.datetime, bound: dt.datetime, after: bool, inclusive: bool) -> bool:
    if after:
        return moment >= bound if inclusive else moment > bound
    return moment <= bound if inclusive else moment < bound


def _aware(moment: Any) -> Any:
    """botocore parses request timestamps without a zone when none was sent: that is UTC."""
    if isinstance(moment, dt.datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _paginate(items: list[Any], size: int, next_token: str | None) -> tuple[list[Any], str | None]:
    start = 0
    if next_token:
        try:
            start = int(json.loads(base64.b64decode(next_token))["offset"])
        except (ValueError, KeyError, TypeError) as err:
            raise ValidationException(
                "The NextToken is not valid. Pass the NextToken exactly as the previous "
                "response returned it, or omit it to start from the first page."
            ) from err
    page = items[start : start + size]
    more = start + size < len(items)
    token = base64.b64encode(json.dumps({"offset": start + size}).encode()).decode()
    return page, token if more else None
