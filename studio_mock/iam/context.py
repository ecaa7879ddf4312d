"""The request context: the keys and values a policy's conditions and variables test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


class RequestContext:
    """Context keys as AWS spells them, looked up case-insensitively (IAM's rule).

    A key given a list is multivalued (``aws:TagKeys``); a key given ``None`` is absent.
    """

    __slots__ = ("_values", "_multi")

    def __init__(self, values: Mapping[str, Any] | None = None):
        self._values: dict[str, tuple[str, ...]] = {}
        self._multi: set[str] = set()
        for key, value in (values or {}).items():
            if value is None:
                continue
            name = key.lower()
            if isinstance(value, list | tuple | set | frozenset):
                self._values[name] = tuple(_as_text(v) for v in value)
                self._multi.add(name)
            else:
                self._values[name] = (_as_text(value),)

    def extended(self, values: Mapping[str, Any]) -> RequestContext:
        """A copy with more keys (later keys replace earlier ones)."""
        added = RequestContext(values)
        out = RequestContext()
        out._values = {**self._values, **added._values}
        out._multi = (self._multi - added._values.keys()) | added._multi
        return out

    def get(self, key: str) -> tuple[str, ...] | None:
        """All values of a key, or None when the request does not have it."""
        return self._values.get(key.lower())

    def single(self, key: str) -> str | None:
        """The value a policy variable takes: single-valued keys only (IAM's rule)."""
        name = key.lower()
        if name in self._multi:
            return None
        found = self._values.get(name)
        return found[0] if found else None

    def keys(self) -> Iterable[str]:
        return self._values.keys()

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._values

    def __repr__(self) -> str:
        return f"RequestContext({self._values!r})"
