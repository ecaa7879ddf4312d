"""Condition operators, as IAM's "Condition operators" page defines them.

Rules kept here (IAM User Guide, Condition operators; Creating a condition with
multiple keys or values; Single-valued vs. multivalued context keys):
- several values for one key are ORed; a negated operator (``StringNotEquals``...)
  holds when the request value matches *none* of them;
- a key missing from the request: the condition is false, or true for a negated
  operator; ``...IfExists`` makes it true; ``Null`` tests exactly that;
- ``ForAllValues:``: every request value must match; true for a missing key or an
  empty set. ``ForAnyValue:``: at least one must match; false for a missing key or an
  empty set.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .context import RequestContext
from .patterns import arn_matches, like_regex, parse_template, plain

QUALIFIERS = ("ForAnyValue", "ForAllValues")


def _number(text: str) -> float:
    return float(text)


def _date(text: str) -> dt.datetime:
    """ISO 8601 (W3C profile) or epoch seconds, as IAM accepts; compared in UTC."""
    try:
        return dt.datetime.fromtimestamp(float(text), dt.UTC)
    except ValueError:
        pass
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(text, strict=False)  # no prefix: /32 (IAM's default)


def _binary(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def _boolean(text: str) -> str:
    if text.lower() not in ("true", "false"):
        raise ValueError("must be true or false")
    return text.lower()


@dataclass(frozen=True)
class Family:
    """Operators comparing one kind of value."""

    name: str
    prepare: Callable[[str], Any] | None  # None: a template (string, ARN, Bool)
    variables: bool  # may its values hold policy variables?
    what: str  # the kind of value, for messages


STRING = Family("String", None, True, "a string")
ARN = Family("ARN", None, True, "an ARN")
# IAM's Boolean section says variables are allowed, its Variables page says not; the
# mock follows the operator's own section (see the iam/policies README).
BOOL = Family("Bool", None, True, 'the string "true" or "false"')
NUMERIC = Family("Numeric", _number, False, "a number")
DATE = Family(
    "Date", _date, False, "a date (ISO 8601, e.g. 2026-01-31T12:00:00Z, or epoch seconds)"
)
IP = Family("IpAddress", _network, False, "an IP address or CIDR range (203.0.113.0/24)")
BINARY = Family("Binary", _binary, False, "base-64 text")
NULL = Family("Null", _boolean, False, 'the string "true" (key absent) or "false" (key present)')


def _string_equals(request: str, chunks: Any) -> bool:
    return request == plain(chunks)


def _string_equals_ignore_case(request: str, chunks: Any) -> bool:
    return request.casefold() == plain(chunks).casefold()


def _string_like(request: str, chunks: Any) -> bool:
    return like_regex(chunks).fullmatch(request) is not None


def _arn(request: str, chunks: Any) -> bool:
    return arn_matches(chunks, request)


def _bool(request: str, chunks: Any) -> bool:
    return request.lower() == plain(chunks).lower()


def _safe(parse: Callable[[str], Any], test: Callable[[Any, Any], bool]) -> Callable:
    def compare(request: str, prepared: Any) -> bool:
        try:
            return test(parse(request), prepared)
        except (ValueError, TypeError, binascii.Error):
            return False  # a request value of the wrong kind matches nothing

    return compare


def _in_network(request: str, network: Any) -> bool:
    try:
        return ipaddress.ip_address(request) in network
    except ValueError:
        return False


# base operator -> (family, test(request value, prepared policy value), negated)
OPERATORS: dict[str, tuple[Family, Callable[[str, Any], bool], bool]] = {
    "StringEquals": (STRING, _string_equals, False),
    "StringNotEquals": (STRING, _string_equals, True),
    "StringEqualsIgnoreCase": (STRING, _string_equals_ignore_case, False),
    "StringNotEqualsIgnoreCase": (STRING, _string_equals_ignore_case, True),
    "StringLike": (STRING, _string_like, False),
    "StringNotLike": (STRING, _string_like, True),
    "Bool": (BOOL, _bool, False),
    "BinaryEquals": (BINARY, _safe(_binary, operator.eq), False),
    "IpAddress": (IP, _in_network, False),
    "NotIpAddress": (IP, _in_network, True),
    "ArnEquals": (ARN, _arn, False),
    "ArnLike": (ARN, _arn, False),
    "ArnNotEquals": (ARN, _arn, True),
    "ArnNotLike": (ARN, _arn, True),
    "Null": (NULL, lambda request, expected: False, False),
}
for _family, _parse in ((NUMERIC, _number), (DATE, _date)):
    for _suffix, _compare in (
        ("Equals", operator.eq),
        ("NotEquals", operator.eq),
        ("LessThan", operator.lt),
        ("LessThanEquals", operator.le),
        ("GreaterThan", operator.gt),
        ("GreaterThanEquals", operator.ge),
    ):
        OPERATORS[_family.name + _suffix] = (
            _family,
            _safe(_parse, _compare),
            _suffix == "NotEquals",
        )


@dataclass(frozen=True)
class Operator:
    """``[ForAnyValue:|ForAllValues:]Base[IfExists]``, taken apart."""

    name: str
    base: str
    qualifier: str | None
    if_exists: bool

    @property
    def family(self) -> Family:
        return OPERATORS[self.base][0]

    @property
    def negated(self) -> bool:
        return OPERATORS[self.base][2]


def parse_operator(name: str) -> Operator | None:
    """None when the name is not an operator IAM defines."""
    qualifier, _, base = name.rpartition(":")
    if qualifier and qualifier not in QUALIFIERS:
        return None
    if_exists = base.endswith("IfExists") and base != "IfExists"
    if if_exists:
        base = base[: -len("IfExists")]
    if base not in OPERATORS:
        return None
    return Operator(name, base, qualifier or None, if_exists)


def _is_empty(found: tuple[str, ...] | None) -> bool:
    """Absent, or a null data set: an empty list or an empty string (IAM's words)."""
    return found is None or len(found) == 0 or found == ("",)


@dataclass(frozen=True)
class Condition:
    """One operator applied to one key: ``{"StringEquals": {"key": [values]}}``."""

    operator: Operator
    key: str  # as written in the policy
    values: tuple[Any, ...]  # Templates, or prepared values (numbers, dates, networks...)
    raw_values: tuple[str, ...]

    def holds(self, context: RequestContext) -> bool:
        return self._evaluate(context)[0]

    def check(self, context: RequestContext) -> tuple[bool, str]:
        """Whether the condition holds, and why in words (for explanations)."""
        holds, case, found, policy_values = self._evaluate(context)
        op, key = self.operator, self.key
        if case == "null":
            state = "absent" if _is_empty(found) else "present"
            return holds, f"{key} is {state} in the request"
        if case == "missing":
            rule = {
                "IfExists": f"and {op.name} allows that",
                "ForAllValues": "(ForAllValues is then true)",
                "ForAnyValue": "(ForAnyValue is then false)",
                "negated": "(true for a negated operator)",
                "plain": "so it cannot match",
            }[self._missing_rule()]
            return holds, f"{key} is not in the request, {rule}"
        if case == "empty":
            return holds, f"{key} is an empty set in the request"
        assert found is not None
        shown = found[0] if len(found) == 1 else list(found)
        why = f"the request has {key} = {shown!r}"
        if any(getattr(v, "has_variables", False) for v in self.values):
            resolved = [plain(chunks) for chunks in policy_values]
            why += f", the policy's values here are {resolved!r}"
        return holds, why

    def _missing_rule(self) -> str:
        op = self.operator
        if op.if_exists:
            return "IfExists"
        return op.qualifier or ("negated" if op.negated else "plain")

    def _evaluate(
        self, context: RequestContext
    ) -> tuple[bool, str, tuple[str, ...] | None, list[Any]]:
        """(holds, which case decided, the request's values, the policy's values)."""
        op = self.operator
        found = context.get(self.key)
        empty = _is_empty(found)
        if op.base == "Null":
            return any((value == "true") == empty for value in self.values), "null", found, []
        if found is None:
            rule = self._missing_rule()
            return rule in ("IfExists", "ForAllValues", "negated"), "missing", found, []
        if op.qualifier and empty:
            return op.qualifier == "ForAllValues", "empty", found, []
        policy_values = self._resolved(context)
        _, test, negated = OPERATORS[op.base]

        def value_holds(value: str) -> bool:
            return any(test(value, p) for p in policy_values) != negated

        if op.qualifier == "ForAllValues":
            holds = all(value_holds(v) for v in found)
        elif op.qualifier == "ForAnyValue":
            holds = any(value_holds(v) for v in found)
        else:
            # Without a set operator, a multivalued key (which AWS says needs one) is
            # read as "any request value matches any policy value", negated if asked.
            holds = any(test(v, p) for v in found for p in policy_values) != negated
        return holds, "compared", found, policy_values

    def _resolved(self, context: RequestContext) -> list[Any]:
        """Policy values for this request; a variable without a value drops its value,
        which then matches nothing (so a negated operator holds against it)."""
        if self.operator.family.prepare is not None:
            return list(self.values)
        out = []
        for template in self.values:
            chunks = template.resolve(context)
            if chunks is not None:
                out.append(chunks)
        return out

    def __str__(self) -> str:
        shown = self.raw_values[0] if len(self.raw_values) == 1 else list(self.raw_values)
        return f'{self.operator.name} {{"{self.key}": {shown!r}}}'


def prepare_value(family: Family, text: str, variables: bool) -> Any:
    """A policy value ready for comparison; ValueError says what kind was expected."""
    if family.prepare is not None:
        return family.prepare(text)
    return parse_template(text, variables and family.variables)
