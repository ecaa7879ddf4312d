"""Getting a policy: from a dict, JSON text or a file, and the policies the mock ships."""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from .document import Policy, decode_json, parse_policy

POLICIES_DIR = Path(__file__).parent / "policies"
STUDIO_USER_POLICY = POLICIES_DIR / "studio-user.json"
# AWS's pages mark the values an administrator fills in as {{Region}} and {{AccountId}}.
PLACEHOLDERS = ("Region", "AccountId")

PolicySource = dict[str, Any] | str | os.PathLike[str]


def load_policy(source: PolicySource, name: str | None = None) -> Policy:
    """A policy from a dict, from JSON text, or from the path of a JSON file.

    Raises PolicyError (listing every problem) when it is not a valid identity-based
    policy; the returned Policy's ``warnings`` list what is valid but doubtful.
    """
    if isinstance(source, dict):
        return parse_policy(copy.deepcopy(source), name or "inline policy")
    if isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        return _from_text(source, name or "inline policy")
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(
                f"No policy file at {path}. A policy can also be given as a dict or as "
                "JSON text starting with '{'."
            )
        return _from_text(path.read_text(encoding="utf-8"), name or f"policy {path.name}")
    raise TypeError(f"A policy is a dict, JSON text or a path, not {type(source).__name__}.")


@lru_cache(maxsize=64)
def _from_text(text: str, name: str) -> Policy:
    return parse_policy(decode_json(text), name)  # Policy is immutable: safe to share


def fill_placeholders(text: str, **values: str) -> str:
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


@lru_cache(maxsize=32)
def studio_user_policy(region: str = "us-east-1", account_id: str = "123456789012") -> Policy:
    """AWS's recommended Studio user policy, filled in for one Region and account."""
    text = fill_placeholders(
        STUDIO_USER_POLICY.read_text(encoding="utf-8"), Region=region, AccountId=account_id
    )
    return _from_text(text, "recommended Studio user policy")
