"""Checks values against botocore's SageMaker service model.

The mock uses it to reject requests the way AWS does (patterns, ranges, enums that
botocore does not check client-side); the tests use it to prove that every response
has the shape AWS documents.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape
from moto.core.utils import get_service_model


def service_model() -> ServiceModel:
    # moto's own cached copy: loading SageMaker's model twice would double its cost
    return get_service_model("sagemaker")


def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


@cache
def _pattern(regex: str) -> re.Pattern[str] | None:
    try:
        return re.compile(regex, re.DOTALL)
    except re.error:  # a Java-only construct: botocore's own model is the authority, skip
        return None


def _aws_path(path: str, member: str) -> str:
    name = member[:1].lower() + member[1:]
    return f"{path}.{name}" if path else name


def problems(shape: Shape, value: Any, path: str = "", *, output: bool = False) -> list[str]:
    """AWS-worded constraint violations of ``value`` against ``shape``.

    For requests the wording is AWS's own ("Value 'x' at 'spaceName' failed to satisfy
    constraint: ..."). ``output`` adds the checks a response must pass: required
    members and Python types as botocore parses them.
    """
    found: list[str] = []
    kind = shape.type_name
    where = path or shape.name

    def fail(constraint: str) -> None:
        shown = value if not isinstance(value, dict | list) else "..."
        found.append(f"Value '{shown}' at '{where}' failed to satisfy constraint: {constraint}")

    if kind == "structure":
        if not isinstance(value, dict):
            fail("Member must be a structure")
            return found
        if output:
            for req in shape.required_members:
                if req not in value:
                    found.append(f"Missing required member '{_aws_path(path, req)}'")
            for key in value:
                if key not in shape.members and key != "ResponseMetadata":
                    found.append(f"Unknown member '{_aws_path(path, key)}' in {shape.name}")
        for key, member in shape.members.items():
            if key in value and value[key] is not None:
                found += problems(member, value[key], _aws_path(path, key), output=output)
        return found
    if kind == "list":
        if not isinstance(value, list):
            fail("Member must be a list")
            return found
        _length(shape, len(value), fail)
        for i, item in enumerate(value, start=1):
            found += problems(shape.member, item, f"{where}.{i}.member", output=output)
        return found
    if kind == "map":
        if not isinstance(value, dict):
            fail("Member must be a map")
            return found
        for k, v in value.items():
            found += problems(shape.value, v, f"{where}.{k}", output=output)
        return found
    if kind == "string":
        if not isinstance(value, str):
            fail("Member must be a string")
            return found
        _length(shape, len(value), fail)
        if shape.enum and value not in shape.enum:
            fail(f"Member must satisfy enum value set: [{', '.join(shape.enum)}]")
        regex = shape.metadata.get("pattern")
        compiled = _pattern(regex) if regex else None
        if compiled and not compiled.fullmatch(value):
            fail(f"Member must satisfy regular expression pattern: {regex}")
        return found
    if kind in ("integer", "long", "float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            fail("Member must be a number")
            return found
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None and value < lo:
            fail(f"Member must have value greater than or equal to {lo}")
        if hi is not None and value > hi:
            fail(f"Member must have value less than or equal to {hi}")
        return found
    if kind == "boolean" and not isinstance(value, bool):
        fail("Member must be a boolean")
    if kind == "timestamp" and output and not isinstance(value, dt.datetime):
        fail("Member must be a timestamp")
    return found


def _length(shape: Shape, n: int, fail: Any) -> None:
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    if lo is not None and n < lo:
        fail(f"Member must have length greater than or equal to {lo}")
    if hi is not None and n > hi:
        fail(f"Member must have length less than or equal to {hi}")


def request_problems(operation_name: str, params: dict[str, Any]) -> list[str]:
    shape = operation(operation_name).input_shape
    found = [
        f"Value null at '{_aws_path('', req)}' failed to satisfy constraint: "
        "Member must not be null"
        for req in shape.required_members
        if params.get(req) is None
    ]
    return found + problems(shape, params)


def response_problems(operation_name: str, parsed: dict[str, Any]) -> list[str]:
    shape = operation(operation_name).output_shape
    if shape is None:
        extra = set(parsed) - {"ResponseMetadata"}
        return [f"{operation_name} has no output, got {sorted(extra)}"] if extra else []
    return problems(shape, parsed, output=True)
