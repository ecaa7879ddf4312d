"""Idle shutdown: which settings apply to an app, whether they are valid, and when an idle
app is stopped.

Administrators set ``AppLifecycleManagement.IdleSettings`` for JupyterLab and Code Editor
at the domain (DefaultUserSettings, or DefaultSpaceSettings for shared spaces) or on a
user profile (whose values override the domain's); a space may choose its own
IdleTimeoutInMinutes between the Min and Max they allow. Changes reach an app when it
(re)starts. An app is idle when nothing records activity: for JupyterLab no kernel or
terminal work, for Code Editor no file changes, open files, terminals or background
processes (DG: studio-updated-idle-shutdown). It needs SageMaker Distribution 2.0 or
later; older images and custom images do not report activity, so they are never shut
down (custom images could carry jupyter-activity-monitor-extension: the mock cannot
look inside them, the course's assumption).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import rules
from .common import settings_get

IDLE_APP_TYPES = ("JupyterLab", "CodeEditor")
ACTIVITY_KINDS = {
    "JupyterLab": ("kernel", "terminal"),
    "CodeEditor": ("file", "terminal", "process"),
}
CONSOLE_DEFAULT_MINUTES = 10080  # what the console proposes when no timeout is given
_PATH = ("AppLifecycleManagement", "IdleSettings")


@dataclass(frozen=True)
class IdlePolicy:
    """The idle settings in force for one app type at one settings level chain."""

    enabled: bool
    timeout: int | None
    low: int | None
    high: int | None
    source: str  # which level set LifecycleManagement, for messages


def _idle(settings: dict[str, Any] | None, app_type: str) -> dict[str, Any]:
    return settings_get(settings, f"{app_type}AppSettings", *_PATH) or {}


def check_settings(settings: dict[str, Any] | None, where: str) -> None:
    """Min <= Idle <= Max within one domain or user-profile settings block."""
    for app_type in IDLE_APP_TYPES:
        idle = _idle(settings, app_type)
        low, high = idle.get("MinIdleTimeoutInMinutes"), idle.get("MaxIdleTimeoutInMinutes")
        timeout = idle.get("IdleTimeoutInMinutes")
        bad_bounds = low is not None and high is not None and low > high
        outside = timeout is not None and (
            (low is not None and timeout < low) or (high is not None and timeout > high)
        )
        if bad_bounds or outside:
            raise rules.breach(
                "idle-timeout-within-bounds",
                where=f"{where}.{app_type}AppSettings.AppLifecycleManagement.IdleSettings",
                idle=timeout if timeout is not None else "not set",
                low=low if low is not None else 60,
                high=high if high is not None else 525600,
            )


def policy(chain: list[dict[str, Any] | None], app_type: str, names: list[str]) -> IdlePolicy:
    """Each field from the most specific level that sets it (user profile over domain)."""
    found: dict[str, Any] = {}
    source = ""
    for settings, name in zip(chain, names, strict=True):
        for key, value in _idle(settings, app_type).items():
            if key not in found:
                found[key] = value
                if key == "LifecycleManagement":
                    source = name
    return IdlePolicy(
        enabled=found.get("LifecycleManagement") == "ENABLED",
        timeout=found.get("IdleTimeoutInMinutes"),
        low=found.get("MinIdleTimeoutInMinutes"),
        high=found.get("MaxIdleTimeoutInMinutes"),
        source=source or "domain",
    )


def check_space_timeout(
    space_settings: dict[str, Any], app_type: str, rule: IdlePolicy, space: str
) -> None:
    """A space's own IdleTimeoutInMinutes must be allowed by its user profile or domain."""
    timeout = settings_get(space_settings, f"{app_type}AppSettings", *_PATH, "IdleTimeoutInMinutes")
    if timeout is None:
        return
    low, high = rule.low or 60, rule.high or 525600
    if not rule.enabled or not low <= timeout <= high:
        source = rule.source if rule.enabled else f"{rule.source} (idle shutdown not ENABLED)"
        raise rules.breach(
            "space-idle-within-bounds",
            space=space,
            idle=timeout,
            source=source,
            low=low if rule.enabled else "-",
            high=high if rule.enabled else "-",
        )


def timeout_minutes(
    rule: IdlePolicy, space_settings: dict[str, Any] | None, app_type: str
) -> int | None:
    """Minutes of idleness after which the app is stopped, or None (never)."""
    if app_type not in IDLE_APP_TYPES or not rule.enabled:
        return None
    own = settings_get(space_settings, f"{app_type}AppSettings", *_PATH, "IdleTimeoutInMinutes")
    return own or rule.timeout or CONSOLE_DEFAULT_MINUTES


def image_reports_activity(spec: dict[str, Any]) -> bool:
    """SageMaker Distribution 2.0 or later (the latest, when no version is named)."""
    image = spec.get("SageMakerImageArn") or ""
    if ":image/sagemaker-distribution" not in image:
        return False
    alias = spec.get("SageMakerImageVersionAlias")
    if not alias:
        return True
    major = re.match(r"\d+", alias)
    return major is not None and int(major.group()) >= 2
