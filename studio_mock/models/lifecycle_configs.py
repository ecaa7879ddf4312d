"""Studio lifecycle configurations: shell scripts that run when a JupyterLab or Code Editor
app starts, attached at the domain, user profile or space and chosen at app start.

AWS runs the script in the app's container. The mock cannot, so it reads three kinds of
line and ignores the rest (the course's assumption, stated in the book):
``echo TEXT`` writes TEXT to the log, ``sleep N`` takes N seconds, ``exit N`` ends the
script with code N. A non-zero exit, or more than 5 minutes of sleeping (AWS's timeout,
DG: studio-lifecycle-configurations-debug-timeout), leaves the app ``Failed``; the output
goes to CloudWatch Logs, log group /aws/sagemaker/studio, stream
``<domain>/<space>/<AppType>/default/LifecycleConfigOnStart`` (DG: jl-lcc-debug).

Lifecycle configurations are immutable: there is no UpdateStudioLifecycleConfig.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import rules
from ..access import Caller
from ..clock import clock
from ..exceptions import ResourceInUse, ResourceNotFound, ValidationException
from .common import arn, settings_get
from .listing import list_page

if TYPE_CHECKING:
    from .backend import StudioBackend

TIMEOUT_SECONDS = 300
APP_SETTINGS = {
    "JupyterLabAppSettings": "JupyterLab",
    "CodeEditorAppSettings": "CodeEditor",
    "JupyterServerAppSettings": "JupyterServer",
    "KernelGatewayAppSettings": "KernelGateway",
}


class StudioLifecycleConfig:
    def __init__(self, account_id: str, region: str, params: dict[str, Any], script: str):
        self.name: str = params["StudioLifecycleConfigName"]
        self.arn = arn(account_id, region, f"studio-lifecycle-config/{self.name}")
        self.content: str = params["StudioLifecycleConfigContent"]
        self.script = script
        self.app_type: str = params["StudioLifecycleConfigAppType"]
        self.tags: list[dict[str, str]] = list(params.get("Tags") or [])
        self.creation_time = clock.stamp()
        self.last_modified_time = self.creation_time  # immutable: always its creation time

    def summary(self) -> dict[str, Any]:
        return {
            "StudioLifecycleConfigArn": self.arn,
            "StudioLifecycleConfigName": self.name,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "StudioLifecycleConfigAppType": self.app_type,
        }

    def describe(self) -> dict[str, Any]:
        return {**self.summary(), "StudioLifecycleConfigContent": self.content}


@dataclass
class ScriptRun:
    """What running a lifecycle script did, as far as the mock can tell."""

    exit_code: int = 0
    seconds: float = 0.0
    output: list[str] = field(default_factory=list)

    @property
    def timed_out(self) -> bool:
        return self.seconds > TIMEOUT_SECONDS

    @property
    def failed(self) -> bool:
        return self.timed_out or self.exit_code != 0


def run_script(script: str) -> ScriptRun:
    run = ScriptRun()
    for line in script.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue  # unbalanced quotes: bash would complain, the mock just reads on
        if not words:
            continue
        if words[0] == "echo":
            run.output.append(" ".join(words[1:]))
        elif words[0] == "sleep" and len(words) > 1 and _number(words[1]) is not None:
            run.seconds += _number(words[1]) or 0
            if run.timed_out:
                return run
        elif words[0] == "exit":
            run.exit_code = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
            return run
    return run


def _number(text: str) -> float | None:
    try:
        return float(text.rstrip("s"))
    except ValueError:
        return None


def failure_reason(config: StudioLifecycleConfig, run: ScriptRun, stream: str) -> str:
    where = f"CloudWatch Logs group /aws/sagemaker/studio, stream {stream}"
    if run.timed_out:
        return (
            f"Lifecycle configuration '{config.name}' did not finish within "
            f"{TIMEOUT_SECONDS // 60} minutes. See {where}."
        )
    return (
        f"Lifecycle configuration '{config.name}' failed with exit code {run.exit_code}. "
        f"See {where}."
    )


class LifecycleConfigsMixin:
    """CreateStudioLifecycleConfig, Describe, List, Delete; attachment checks; the choice of
    scripts when an app starts."""

    lifecycle_configs: dict[str, StudioLifecycleConfig]

    def create_studio_lifecycle_config(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> StudioLifecycleConfig:
        name = params["StudioLifecycleConfigName"]
        new_arn = arn(self.account_id, self.region, f"studio-lifecycle-config/{name}")
        self.check_access(
            caller,
            "CreateStudioLifecycleConfig",
            new_arn,
            request_tags=params.get("Tags"),
            tagging_action="CreateStudioLifecycleConfig",
        )
        if name in self.lifecycle_configs:
            raise ResourceInUse(f"Studio lifecycle configuration '{name}' already exists.")
        try:
            script = base64.b64decode(params["StudioLifecycleConfigContent"], validate=True)
            text = script.decode()
        except (binascii.Error, ValueError) as err:
            raise rules.breach("lifecycle-script-base64") from err
        config = StudioLifecycleConfig(self.account_id, self.region, params, text)
        self.lifecycle_configs[name] = config
        return config

    def get_studio_lifecycle_config(self, name: str) -> StudioLifecycleConfig:
        config = self.lifecycle_configs.get(name)
        if config is None:
            raise ResourceNotFound(
                f"Studio lifecycle configuration '{name}' does not exist. "
                "ListStudioLifecycleConfigs shows those of the account."
            )
        return config

    def describe_studio_lifecycle_config(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> StudioLifecycleConfig:
        config = self.get_studio_lifecycle_config(params["StudioLifecycleConfigName"])
        self.check_access(caller, "DescribeStudioLifecycleConfig", config.arn, config)
        return config

    def list_studio_lifecycle_configs(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> tuple[list[StudioLifecycleConfig], str | None]:
        self.check_access(caller, "ListStudioLifecycleConfigs", "*")
        items = list(self.lifecycle_configs.values())
        if params.get("NameContains"):
            items = [c for c in items if params["NameContains"] in c.name]
        if params.get("AppTypeEquals"):
            items = [c for c in items if c.app_type == params["AppTypeEquals"]]
        keys = {
            "CreationTime": "creation_time",
            "LastModifiedTime": "last_modified_time",
            "Name": "name",
        }
        return list_page("ListStudioLifecycleConfigs", items, params, keys)

    def delete_studio_lifecycle_config(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> None:
        config = self.get_studio_lifecycle_config(params["StudioLifecycleConfigName"])
        self.check_access(caller, "DeleteStudioLifecycleConfig", config.arn, config)
        uses = self.lifecycle_config_uses(config.arn)
        if uses:
            raise rules.breach(
                "lifecycle-config-unused-to-delete", name=config.name, uses="; ".join(uses)
            )
        del self.lifecycle_configs[config.name]

    def lifecycle_config_uses(self: StudioBackend, config_arn: str) -> list[str]:
        found = []
        for domain in self._purge(self.domains):
            for where, settings in (
                ("DefaultUserSettings", domain.default_user_settings),
                ("DefaultSpaceSettings", domain.default_space_settings),
            ):
                if config_arn in _arns_in(settings):
                    found.append(f"attached to domain {domain.id} ({where})")
        for profile in self._purge(self.user_profiles):
            if config_arn in _arns_in(profile.user_settings):
                found.append(f"attached to user profile {profile.name}")
        for space in self._purge(self.spaces):
            if config_arn in _arns_in(space.settings):
                found.append(f"the default of space {space.name}")
        for app in self.apps.values():
            if app.running and config_arn in (app.lifecycle_config_arns or ()):
                found.append(f"used by running app {app.arn}")
        return found

    def check_lifecycle_attachments(
        self: StudioBackend, settings: dict[str, Any] | None, where: str
    ) -> None:
        """Every ARN attached in a settings block names an existing configuration of the
        app type it is attached for."""
        for key, app_type in APP_SETTINGS.items():
            block = (settings or {}).get(key) or {}
            attached = list(block.get("LifecycleConfigArns") or [])
            default = settings_get(block, "DefaultResourceSpec", "LifecycleConfigArn")
            built_in = block.get("BuiltInLifecycleConfigArn")
            for config_arn in [*attached, default, built_in]:
                if config_arn and config_arn != "None":
                    self._attachable(config_arn, app_type, f"{where}.{key}")

    def _attachable(self: StudioBackend, config_arn: str, app_type: str, where: str) -> Any:
        name = config_arn.rsplit("/", 1)[-1]
        config = self.lifecycle_configs.get(name)
        if config is None or config.arn != config_arn:
            raise ValidationException(
                f"{where}: lifecycle configuration '{config_arn}' does not exist. "
                "CreateStudioLifecycleConfig makes one; ListStudioLifecycleConfigs lists them."
            )
        if config.app_type != app_type:
            raise ValidationException(
                f"{where}: lifecycle configuration '{config.name}' is for {config.app_type} "
                f"apps, not {app_type}. Attach it under {config.app_type}AppSettings, or create "
                f"one with StudioLifecycleConfigAppType={app_type}."
            )
        return config

    def lifecycle_configs_at_start(
        self: StudioBackend,
        app_type: str,
        levels: list[dict[str, Any] | None],
        attach_levels: list[dict[str, Any] | None],
        requested: str | None,
    ) -> tuple[StudioLifecycleConfig | None, StudioLifecycleConfig | None]:
        """(built-in, chosen) configurations for a new app: the built-in one always runs
        first; then the one CreateApp names, which must be attached, or else the default
        of the most specific level (DG: studio-lifecycle-configurations)."""
        key = f"{app_type}AppSettings"
        built_in_arn = next(
            (
                v
                for lv in attach_levels
                if (v := settings_get(lv, key, "BuiltInLifecycleConfigArn"))
            ),
            None,
        )
        attached = {
            a for lv in attach_levels for a in settings_get(lv, key, "LifecycleConfigArns") or []
        }
        if requested and requested != "None":
            if requested not in attached:
                raise ValidationException(
                    f"Lifecycle configuration '{requested}' is not attached for {app_type} apps "
                    "here. Add it to LifecycleConfigArns of the user profile or the domain "
                    f"({key}), or start the app without ResourceSpec.LifecycleConfigArn."
                )
            chosen_arn: str | None = requested
        else:
            chosen_arn = next(
                (
                    v
                    for lv in levels
                    if (v := settings_get(lv, key, "DefaultResourceSpec", "LifecycleConfigArn"))
                ),
                None,
            )
        pick = [
            self._attachable(a, app_type, key) if a and a != "None" else None
            for a in (built_in_arn, chosen_arn)
        ]
        return pick[0], pick[1]


def _arns_in(settings: Any) -> set[str]:
    """Every studio-lifecycle-config ARN anywhere inside a settings structure."""
    found: set[str] = set()
    if isinstance(settings, dict):
        for value in settings.values():
            found |= _arns_in(value)
    elif isinstance(settings, list):
        for value in settings:
            found |= _arns_in(value)
    elif isinstance(settings, str) and ":studio-lifecycle-config/" in settings:
        found.add(settings)
    return found


def log_stream(domain_id: str, owner: str, app_type: str) -> str:
    return f"{domain_id}/{owner}/{app_type}/default/LifecycleConfigOnStart"


def start_delay(runs: list[ScriptRun]) -> dt.timedelta:
    """Simulated time the scripts take (a timed-out one is stopped at the limit)."""
    return dt.timedelta(seconds=sum(min(r.seconds, TIMEOUT_SECONDS) for r in runs))
