"""Apps: the model and its operations, with what can go wrong when one starts (quotas,
an image gone from ECR, a failing lifecycle script) and idle shutdown once it runs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .. import rules
from ..access import Caller
from ..clock import clock
from ..exceptions import ResourceInUse, ResourceLimitExceeded, ResourceNotFound, ValidationException
from ..timing import timing
from . import aws_services, idle, lifecycle_configs, settings
from .common import StatusModel, arn, merged_tags
from .domains import Domain
from .listing import list_page
from .spaces import DEPRECATED_APP_TYPES, SPACE_APP_TYPES

if TYPE_CHECKING:
    from .backend import StudioBackend
    from .spaces import Space
    from .user_profiles import UserProfile

APP_PURGE_AFTER = dt.timedelta(hours=24)  # DescribeAppResponse.CreationTime
RUNNING = ("Pending", "InService")
AppKey = tuple[str, str | None, str | None, str, str]


class App(StatusModel):
    kind = "app"
    SETTLES = {"Pending": "InService", "Deleting": "Deleted"}

    def __init__(
        self,
        domain: Domain,
        app_type: str,
        app_name: str,
        resource_spec: dict[str, Any],
        user_profile_name: str | None = None,
        space_name: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ):
        self.failure_reason: str | None = None
        self.idle_minutes: int | None = None
        self.last_activity: dt.datetime | None = None
        self.deleted_at: dt.datetime | None = None
        self.stopped_by: str | None = None  # "DeleteApp" or "idle shutdown"
        self.lifecycle_config_arns: tuple[str, ...] = ()
        self.built_in_lifecycle_config_arn: str | None = None
        # (file system id, uid) of the owner's home EFS folder mounted at start, if any
        self.home_efs_mount: tuple[str, int] | None = None
        super().__init__("Pending")
        self.domain_id = domain.id
        self.app_type = app_type
        self.name = app_name
        self.user_profile_name = user_profile_name
        self.space_name = space_name
        owner = space_name or user_profile_name
        self.arn = arn(
            domain.account_id,
            domain.region,
            f"app/{domain.id}/{owner}/{app_type.lower()}/{app_name}",
        )
        self.resource_spec = resource_spec
        self.tags = list(tags or [])
        self.started_at = self.creation_time  # CreationTime may be kept from a restart

    @staticmethod
    def key_for(
        domain_id: str, profile: str | None, space: str | None, app_type: str, name: str
    ) -> AppKey:
        return (domain_id, profile.lower() if profile else None, space, app_type, name)

    @property
    def key(self) -> AppKey:
        return App.key_for(
            self.domain_id, self.user_profile_name, self.space_name, self.app_type, self.name
        )

    # -------------------------------------------------------------- status on the clock
    @property
    def status(self) -> str:
        deadline = self.idle_deadline()
        if deadline is not None and deadline <= clock.now():
            self.stop("idle shutdown", at=deadline)
        return super().status

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    def idle_deadline(self) -> dt.datetime | None:
        """When idle shutdown stops this app, unless activity is recorded before."""
        if self.idle_minutes is None or self._steps[-1][1] != "InService":
            return None
        in_service = self._steps[-1][0]
        idle_since = max(in_service, self.last_activity or in_service)
        return idle_since + dt.timedelta(minutes=self.idle_minutes)

    def next_change(self, after: dt.datetime) -> dt.datetime | None:
        moments = [super().next_change(after), self.idle_deadline()]
        return min((m for m in moments if m is not None and m > after), default=None)

    def stop(self, by: str, at: dt.datetime | None = None) -> None:
        self.stopped_by = by
        self.begin("Deleting", at=at)
        self.deleted_at = at or clock.now()

    def fail(self, reason: str, extra: dt.timedelta) -> None:
        """Start, but end Failed with ``reason`` once Pending is over."""
        self.failure_reason = reason
        self.begin("Pending", then="Failed", extra=extra)

    def health_check_time(self) -> dt.datetime:
        """Health checks run while the app is up (the mock checks continuously)."""
        now = clock.now()
        up = self.entered_at("InService")
        if up is None or up > now:
            return self.creation_time
        stopped = self.entered_at("Deleting")
        return stopped if stopped is not None and up <= stopped <= now else now

    # -------------------------------------------------------------- shapes
    def describe(self) -> dict[str, Any]:
        status = self.status
        checked = self.health_check_time()
        out: dict[str, Any] = {
            "AppArn": self.arn,
            "AppType": self.app_type,
            "AppName": self.name,
            "DomainId": self.domain_id,
            "Status": status,
            "CreationTime": self.creation_time,
            "LastHealthCheckTimestamp": checked,
            "LastUserActivityTimestamp": checked,  # "set to the same value" (botocore)
            "ResourceSpec": self.resource_spec,
        }
        if self.user_profile_name:
            out["UserProfileName"] = self.user_profile_name
        if self.space_name:
            out["SpaceName"] = self.space_name
        if status == "Failed" and self.failure_reason:
            out["FailureReason"] = self.failure_reason
        if self.built_in_lifecycle_config_arn:
            out["BuiltInLifecycleConfigArn"] = self.built_in_lifecycle_config_arn
        return out

    def summary(self) -> dict[str, Any]:
        out = {
            "DomainId": self.domain_id,
            "AppType": self.app_type,
            "AppName": self.name,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "ResourceSpec": self.resource_spec,
        }
        if self.user_profile_name:
            out["UserProfileName"] = self.user_profile_name
        if self.space_name:
            out["SpaceName"] = self.space_name
        return out


def quota_name(app_type: str, instance_type: str) -> str:
    """The Service Quotas name AWS quotes in ResourceLimitExceeded.

    JupyterLab's is as reported in aws/amazon-sagemaker-feedback#157 (2024); Code Editor's is
    the course's assumption by analogy; others follow the older KernelGateway wording
    (jupyterlab/jupyterlab#8759, 2020)."""
    if app_type in ("JupyterLab", "CodeEditor"):
        return f"Studio {app_type} Apps running on {instance_type} instances"
    return f"{app_type} Apps running on {instance_type} instance"


class AppsMixin:
    apps: dict[AppKey, App]
    quotas: dict[tuple[str, str], int]

    def create_app(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> App:
        domain = self.get_domain(params["DomainId"])
        app_type, app_name = params["AppType"], params["AppName"]
        space, profile = self._app_home(domain, params, app_type)
        owner_arn = space.arn if space else profile.arn  # type: ignore[union-attr]
        app_arn = owner_arn.replace(":space/", ":app/").replace(":user-profile/", ":app/")
        keys = self.space_keys(space) if space else {}  # an app of no space: no space keys
        self.check_access(
            caller,
            "CreateApp",
            f"{app_arn}/{app_type.lower()}/{app_name}",
            keys={**keys, **_resource_spec_keys(params.get("ResourceSpec") or {})},
            request_tags=params.get("Tags"),
            tagging_action="CreateApp",
        )
        profile_name = profile.name if profile else None  # as created: case-insensitive
        key = App.key_for(domain.id, profile_name, params.get("SpaceName"), app_type, app_name)
        previous = self._check_can_start(domain, space, app_type, key)
        levels, names = settings.app_levels(self, domain, profile, space, app_type)
        spec = settings.resolve_resource_spec(self, domain, levels, app_type, params)
        self._check_quota(app_type, spec.get("InstanceType"))
        # a space's own settings hold no attachments or idle policy: its owner's or domain's do
        inherited = levels[1:] if space else levels
        requested = (params.get("ResourceSpec") or {}).get("LifecycleConfigArn")
        built_in, chosen = self.lifecycle_configs_at_start(app_type, levels, inherited, requested)
        if chosen is not None:
            spec["LifecycleConfigArn"] = chosen.arn
        app = App(
            domain,
            app_type,
            app_name,
            spec,
            user_profile_name=profile_name,
            space_name=space.name if space else None,
            tags=self._app_tags(domain, profile, space, params.get("Tags")),
        )
        if previous is not None and previous.status == "Deleted" and not _purged(previous):
            app.creation_time = previous.creation_time  # a restart within 24 h is an update
        configs = [c for c in (built_in, chosen) if c is not None]
        app.lifecycle_config_arns = tuple(c.arn for c in configs)
        app.built_in_lifecycle_config_arn = built_in.arn if built_in else None
        self._start(app, domain, configs, self._image_config_user(levels, app_type, spec))
        if space is not None:
            app.home_efs_mount = self.home_efs_mount(domain, space)
        if idle.image_reports_activity(spec):
            policy = idle.policy(inherited, app_type, names[1:] if space else names)
            app.idle_minutes = idle.timeout_minutes(
                policy, space.settings if space else None, app_type
            )
        self.apps[key] = app
        return app

    def _app_home(
        self: StudioBackend, domain: Domain, params: dict[str, Any], app_type: str
    ) -> tuple[Space | None, UserProfile | None]:
        """The space an app runs in, or the user profile it runs for."""
        profile_name, space_name = params.get("UserProfileName"), params.get("SpaceName")
        if bool(profile_name) == bool(space_name):
            raise rules.breach("app-owner-exactly-one")
        if app_type in DEPRECATED_APP_TYPES:
            raise ValidationException(
                f"Invalid AppType [{app_type}]. This AppType has been deprecated. Studio Classic "
                "apps can no longer be created: use a JupyterLab space instead."
            )
        if space_name:
            space = self.get_space(domain.id, space_name)
            if app_type != space.app_type:
                raise ValidationException(
                    f"Space '{space.name}' is a {space.app_type} space, so it can only run a "
                    f"{space.app_type} app, not {app_type}."
                )
            return space, None
        if app_type in SPACE_APP_TYPES:
            raise ValidationException(
                f"A {app_type} app runs in a space: create a space with "
                f"SpaceSettings.AppType={app_type} and pass SpaceName instead of UserProfileName."
            )
        return None, self.get_user_profile(domain.id, profile_name or "")

    def _check_can_start(
        self: StudioBackend, domain: Domain, space: Space | None, app_type: str, key: AppKey
    ) -> App | None:
        """Refuse a start that cannot happen now; return the app this one would replace."""
        if app_type in ("RStudioServerPro", "RSessionGateway") and not domain.rstudio_enabled:
            raise ValidationException(
                f"RStudio is not enabled on domain '{domain.id}'. It needs a Posit Workbench "
                "license registered in AWS License Manager and the domain's "
                "DomainSettings.RStudioServerProDomainSettings (with DomainExecutionRoleArn)."
            )
        if space is not None and (busy := self.busy_app(space)) is not None:
            raise ResourceInUse(
                f"Space '{space.name}' already has app '{busy.name}' ({busy.status}). "
                "A space runs one app at a time: stop it with DeleteApp and wait until it is "
                "Deleted."
            )
        previous = self.apps.get(key)
        if previous is not None and previous.status in (*RUNNING, "Deleting"):
            wait = " Wait until it is Deleted." if previous.status == "Deleting" else ""
            raise ResourceInUse(f"App '{key[-1]}' of type {app_type} is {previous.status}.{wait}")
        return previous

    def _start(
        self: StudioBackend,
        app: App,
        domain: Domain,
        configs: list[Any],
        expected_user: tuple[int, int],
    ) -> None:
        """What happens while the app is Pending: the image is pulled, its container
        started as the app image config's user, then the lifecycle scripts run; each can
        leave it Failed."""
        version_arn = app.resource_spec.get("SageMakerImageVersionArn")
        version = self.image_version_by_arn(version_arn) if version_arn else None
        if version is not None and not aws_services.ecr_image_exists(version.container_image):
            app.fail(
                f"Unable to pull image {version.container_image} for image version "
                f"{version_arn}: the image does not exist in Amazon ECR. Push it again, or "
                "choose another image version.",
                dt.timedelta(0),
            )
            return
        if version is not None and not _user_matches(version.container_image, expected_user):
            # the words AWS's samples report (aws-samples/sagemaker-studio-custom-image-samples,
            # DEVELOPMENT.md, "UID/GID mismatch between AppImageConfig and Dockerfile")
            app.fail(
                f"SageMaker is unable to launch the app using the image "
                f"[{version.container_image}]. Ensure that the UID/GID provided in the "
                "AppImageConfig matches the default UID/GID defined in the image.",
                dt.timedelta(0),
            )
            return
        owner = app.space_name or app.user_profile_name or ""
        stream = lifecycle_configs.log_stream(domain.id, owner, app.app_type)
        runs = []
        for config in configs:
            run = lifecycle_configs.run_script(config.script)
            runs.append(run)
            finish = clock.now() + timing.duration(
                "app", "Pending", lifecycle_configs.start_delay(runs)
            )
            lines = [*run.output]
            if run.failed:
                lines.append(lifecycle_configs.failure_reason(config, run, stream))
            aws_services.write_studio_log(self.account_id, self.region, stream, lines, finish)
            if run.failed:
                app.fail(
                    lifecycle_configs.failure_reason(config, run, stream),
                    lifecycle_configs.start_delay(runs),
                )
                return
        if runs:
            app.begin("Pending", extra=lifecycle_configs.start_delay(runs))

    def _image_config_user(
        self: StudioBackend, levels: list[Any], app_type: str, spec: dict[str, Any]
    ) -> tuple[int, int]:
        """The (DefaultUid, DefaultGid) of the app image config attached with the app's
        custom image (1000/100, FileSystemConfig's defaults, for any other image)."""
        defaults = (
            rules.rule("app-image-config-uid").value,
            rules.rule("app-image-config-gid").value,
        )
        image_name = (spec.get("SageMakerImageArn") or "").split(":image/")[-1]
        key = settings.APP_SETTINGS_KEY.get(app_type, "")
        for level in levels:
            for custom in settings.settings_get(level, key, "CustomImages") or []:
                if custom.get("ImageName") != image_name or not custom.get("AppImageConfigName"):
                    continue
                config = self.app_image_configs.get(custom["AppImageConfigName"])
                if config is None or config.kind is None:
                    return defaults
                system = config.configs[config.kind].get("FileSystemConfig") or {}
                return system.get("DefaultUid", defaults[0]), system.get("DefaultGid", defaults[1])
        return defaults

    def home_efs_mount(self: StudioBackend, domain: Domain, space: Space) -> tuple[str, int] | None:
        """The owner's folder on the domain's home EFS, if a start of this space mounts it
        (as ``~/user-default-efs``): only private spaces, only when the domain has a home
        EFS, and only when AutoMountHomeEFS is in effect. The profile's Enabled or
        Disabled wins; DefaultAsDomain (or nothing) takes the domain's; the domain's
        default is Enabled (API reference, UserSettings.AutoMountHomeEFS; DG:
        studio-updated-automount). Read at start: a running app keeps what it mounted."""
        efs_id = domain.home_efs_file_system_id
        owner = self.owner_of(space) if space.private else None
        if owner is None or not efs_id:
            return None
        if not aws_services.efs_exists(self.account_id, self.region, efs_id):
            return None
        chosen = owner.user_settings.get("AutoMountHomeEFS", "DefaultAsDomain")
        if chosen == "DefaultAsDomain":
            chosen = domain.default_user_settings.get("AutoMountHomeEFS", "Enabled")
        return (efs_id, owner.home_efs_uid) if chosen == "Enabled" else None

    def _check_quota(self: StudioBackend, app_type: str, instance_type: str | None) -> None:
        if not instance_type or (app_type, instance_type) not in self.quotas:
            return
        limit = self.quotas[(app_type, instance_type)]
        used = sum(
            1
            for a in self.apps.values()
            if a.app_type == app_type
            and a.resource_spec.get("InstanceType") == instance_type
            and a.running
        )
        if used + 1 > limit:
            raise ResourceLimitExceeded(
                f"The account-level service limit '{quota_name(app_type, instance_type)}' is "
                f"{limit} Apps, with current utilization of {used} Apps and a request delta of "
                "1 Apps. Please use AWS Service Quotas to request an increase for this quota. "
                "If AWS Service Quotas is not available, contact AWS support to request an "
                "increase for this quota."
            )

    def _app_tags(
        self: StudioBackend,
        domain: Domain,
        profile: UserProfile | None,
        space: Space | None,
        request: list[dict[str, str]] | None,
    ) -> list[dict[str, str]]:
        """The domain's tags and its launching profile's are added to every app."""
        launcher = profile or (self.owner_of(space) if space and space.private else None)
        return merged_tags(domain.tags, launcher.tags if launcher else None, request)

    def get_app(self: StudioBackend, params: dict[str, Any]) -> App:
        domain = self.get_domain(params["DomainId"])
        profile_name, space_name = params.get("UserProfileName"), params.get("SpaceName")
        if bool(profile_name) == bool(space_name):
            raise rules.breach("app-owner-exactly-one")
        key = App.key_for(domain.id, profile_name, space_name, params["AppType"], params["AppName"])
        app = self.apps.get(key)
        if app is not None and _purged(app):
            del self.apps[key]  # AWS purges an app's metadata 24 h after it is deleted
            app = None
        if app is None:
            where = f"space '{space_name}'" if space_name else f"user profile '{profile_name}'"
            raise ResourceNotFound(
                f"App '{params['AppName']}' of type {params['AppType']} does not exist for "
                f"{where} in domain '{domain.id}'. ListApps shows the apps."
            )
        return app

    def app_keys(self: StudioBackend, app: App) -> dict[str, Any]:
        """The IAM condition keys of an existing app: those of its space, or its profile's."""
        if app.space_name:
            space = self._live(self.spaces, (app.domain_id, app.space_name))
            return self.space_keys(space) if space is not None else {}
        profile_arn = arn(
            self.account_id, self.region, f"user-profile/{app.domain_id}/{app.user_profile_name}"
        )
        return {
            "sagemaker:OwnerUserProfileArn": profile_arn,
            "sagemaker:SpaceSharingType": "Private",
        }

    def describe_app(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> App:
        app = self.get_app(params)
        self.check_access(caller, "DescribeApp", app.arn, app, keys=self.app_keys(app))
        return app

    def list_apps(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> tuple[list[App], str | None]:
        self.check_access(caller, "ListApps", "*")
        if params.get("UserProfileNameEquals") and params.get("SpaceNameEquals"):
            raise rules.breach("list-apps-one-filter")
        items = [a for a in self.apps.values() if not _purged(a)]
        if params.get("DomainIdEquals"):
            items = [a for a in items if a.domain_id == params["DomainIdEquals"]]
        if params.get("UserProfileNameEquals"):
            wanted = params["UserProfileNameEquals"].lower()
            items = [a for a in items if (a.user_profile_name or "").lower() == wanted]
        if params.get("SpaceNameEquals"):
            items = [a for a in items if a.space_name == params["SpaceNameEquals"]]
        return list_page("ListApps", items, params, {"CreationTime": "creation_time"})

    def delete_app(self: StudioBackend, params: dict[str, Any], caller: Caller | None) -> None:
        app = self.get_app(params)
        self.check_access(caller, "DeleteApp", app.arn, app, keys=self.app_keys(app))
        if app.status not in (*RUNNING, "Failed"):
            raise ResourceInUse(
                f"App '{app.name}' is already {app.status}. Start it again with CreateApp."
            )
        app.stop("DeleteApp")

    def record_activity(self: StudioBackend, domain_id: str, space_name: str, kind: str) -> App:
        """A kernel, terminal, file or process was used in the space's app just now."""
        app = self.app_in_service(self.get_space(domain_id, space_name))
        if app is None:
            raise ValidationException(
                f"Space '{space_name}' has no app InService: activity happens only in a running "
                "app (start it with CreateApp and wait until it is InService)."
            )
        allowed = idle.ACTIVITY_KINDS.get(app.app_type, ())
        if kind not in allowed:
            raise ValidationException(
                f"{app.app_type} records {', '.join(allowed)} activity, not {kind!r}."
            )
        app.last_activity = clock.now()
        return app


def _purged(app: App) -> bool:
    """Shut down for more than 24 h: AWS has deleted its metadata."""
    return bool(
        app.deleted_at
        and clock.now() - app.deleted_at > APP_PURGE_AFTER
        and app.status == "Deleted"
    )


def _resource_spec_keys(spec: dict[str, Any]) -> dict[str, Any]:
    """CreateApp's condition keys from the request (Service Authorization Reference)."""
    keys: dict[str, Any] = {}
    if spec.get("InstanceType"):
        keys["sagemaker:InstanceTypes"] = [spec["InstanceType"]]
    if spec.get("SageMakerImageArn"):
        keys["sagemaker:ImageArns"] = [spec["SageMakerImageArn"]]
    if spec.get("SageMakerImageVersionArn"):
        keys["sagemaker:ImageVersionArns"] = [spec["SageMakerImageVersionArn"]]
    return keys


def _user_matches(pinned_uri: str, expected: tuple[int, int]) -> bool:
    """Whether the image's default user is the app image config's (Developer Guide,
    studio-updated-jl-image-specifications: UID 1000 and GID 100 are the supported
    values). An image whose user the mock cannot tell (a manifest pushed without its
    config, a user given by name) is let through."""
    user = aws_services.image_user(aws_services.ecr_image_config(pinned_uri))
    if user is None:
        return True
    uid, gid = user
    return uid == expected[0] and (gid is None or gid == expected[1])
