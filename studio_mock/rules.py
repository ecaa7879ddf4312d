"""AWS's stated rules for the Studio operations, in one table.

Every row is a default, a range, a precondition or a behaviour that botocore's service
model (1.44.5) states in the documentation of an operation or of a request member. A row
quotes the words it rests on, so ``tests/test_rules.py`` can check that botocore still
says them, and then checks, for each row, that the mock does what the row says (in
process and against a server). The mock reads its defaults from here (page sizes, sort
orders, time filters) and raises its precondition errors through ``breach``.

Where AWS states a rule but not the error it answers, the error chosen here is the
course's assumption, and the row says so. A ``deviation`` row is a stated rule the mock
knowingly does not follow, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .exceptions import ResourceInUse, StudioClientError, ValidationException

_ERRORS: dict[str, type[StudioClientError]] = {
    "ValidationException": ValidationException,
    "ResourceInUse": ResourceInUse,
}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # default | range | filter | precondition | behaviour | deviation
    operations: tuple[str, ...]
    member: str  # request member, dotted ("" when the rule is about the whole operation)
    source: str  # where botocore says it: "Shape.Member", "Shape" or "Operation"
    quote: str  # the words botocore uses (checked against the model by the tests)
    value: Any = None  # default: the value; range: (low, high); filter: inclusive?
    error: str = ""  # the code a breach answers
    message: str = ""  # the mock's message for a breach (``str.format`` fields)
    assumption: str = ""  # where the mock goes beyond what botocore says

    def breach(self, **fields: Any) -> StudioClientError:
        return _ERRORS[self.error](self.message.format(**fields))


def _list_defaults(operation: str, by: str, order: str, shape: str | None = None) -> list[Rule]:
    shape = shape or f"{operation}Request"
    page = (
        "The default value for MaxResults is 10."
        if operation in ("ListDomains", "ListUserProfiles", "ListSpaces", "ListApps")
        else "The default value is 10."
    )
    rows = [
        Rule(
            id=f"{operation}-page-size",
            kind="default",
            operations=(operation,),
            member="MaxResults",
            source=f"{shape}.MaxResults",
            quote=page,
            value=10,
        ),
    ]
    if by:
        by_words = "The default is" if operation in _STUDIO_LISTS else "The default value is"
        rows += [
            Rule(
                id=f"{operation}-sort-by",
                kind="default",
                operations=(operation,),
                member="SortBy",
                source=f"{shape}.SortBy",
                quote=f"{by_words} {by}.",
                value=by,
            ),
            Rule(
                id=f"{operation}-sort-order",
                kind="default",
                operations=(operation,),
                member="SortOrder",
                source=f"{shape}.SortOrder",
                quote=f"{by_words} {order}.",
                value=order,
            ),
        ]
    return rows


_STUDIO_LISTS = ("ListUserProfiles", "ListSpaces", "ListApps")


def _filter(operation: str, member: str, words: str, inclusive: bool) -> Rule:
    return Rule(
        id=f"{operation}-{member}",
        kind="filter",
        operations=(operation,),
        member=member,
        source=f"{operation}Request.{member}",
        quote=words,
        value=inclusive,
    )


_IDLE = "AppLifecycleManagement.IdleSettings"
_IN_USE_ASSUMED = (
    "AWS states the condition, not the error code: ResourceInUse is the course's assumption."
)
_USER_LEVELS = (
    ("CreateDomain", "DefaultUserSettings"),
    ("UpdateDomain", "DefaultUserSettings"),
    ("CreateUserProfile", "UserSettings"),
    ("UpdateUserProfile", "UserSettings"),
)

RULES: list[Rule] = [
    # ------------------------------------------------------------------ list defaults
    *_list_defaults("ListDomains", "", ""),
    *_list_defaults("ListUserProfiles", "CreationTime", "Ascending"),
    *_list_defaults("ListSpaces", "CreationTime", "Ascending"),
    *_list_defaults("ListApps", "CreationTime", "Ascending"),
    *_list_defaults("ListImages", "CREATION_TIME", "DESCENDING"),
    *_list_defaults("ListImageVersions", "CREATION_TIME", "DESCENDING"),
    *_list_defaults("ListAppImageConfigs", "CreationTime", "Descending"),
    *_list_defaults("ListStudioLifecycleConfigs", "CreationTime", "Descending"),
    # ------------------------------------------------------------------ time filters
    _filter("ListImages", "CreationTimeAfter", "created on or after", True),
    _filter("ListImages", "CreationTimeBefore", "created on or before", True),
    _filter("ListImages", "LastModifiedTimeAfter", "modified on or after", True),
    _filter("ListImages", "LastModifiedTimeBefore", "modified on or before", True),
    _filter("ListImageVersions", "CreationTimeAfter", "created on or after", True),
    _filter("ListImageVersions", "CreationTimeBefore", "created on or before", True),
    _filter("ListImageVersions", "LastModifiedTimeAfter", "modified on or after", True),
    _filter("ListImageVersions", "LastModifiedTimeBefore", "modified on or before", True),
    _filter("ListAppImageConfigs", "CreationTimeAfter", "created on or after", True),
    _filter("ListAppImageConfigs", "CreationTimeBefore", "created on or before", True),
    _filter("ListAppImageConfigs", "ModifiedTimeAfter", "modified on or after", True),
    _filter("ListAppImageConfigs", "ModifiedTimeBefore", "modified on or before", True),
    _filter("ListStudioLifecycleConfigs", "CreationTimeAfter", "created on or after", True),
    _filter("ListStudioLifecycleConfigs", "CreationTimeBefore", "created on or before", True),
    _filter("ListStudioLifecycleConfigs", "ModifiedTimeAfter", "modified after the", False),
    _filter("ListStudioLifecycleConfigs", "ModifiedTimeBefore", "modified before the", False),
    # ------------------------------------------------------------------ other defaults
    Rule(
        id="domain-network-default",
        kind="default",
        operations=("CreateDomain",),
        member="AppNetworkAccessType",
        source="CreateDomainRequest.AppNetworkAccessType",
        quote="The default value is PublicInternetOnly.",
        value="PublicInternetOnly",
    ),
    Rule(
        id="domain-home-efs-default",
        kind="default",
        operations=("CreateDomain",),
        member="HomeEfsFileSystemCreation",
        source="CreateDomainRequest.HomeEfsFileSystemCreation",
        quote="Defaults to Enabled.",
        value="Enabled",
    ),
    Rule(
        id="domain-tag-propagation-default",
        kind="default",
        operations=("CreateDomain",),
        member="TagPropagation",
        source="CreateDomainRequest.TagPropagation",
        quote="Defaults to DISABLED.",
        value="DISABLED",
    ),
    Rule(
        id="domain-retention-default",
        kind="default",
        operations=("DeleteDomain",),
        member="RetentionPolicy.HomeEfsFileSystem",
        source="RetentionPolicy.HomeEfsFileSystem",
        quote="The default is Retain",
        value="Retain",
    ),
    Rule(
        id="presigned-url-expiry-default",
        kind="default",
        operations=("CreatePresignedDomainUrl",),
        member="ExpiresInSeconds",
        source="CreatePresignedDomainUrlRequest.ExpiresInSeconds",
        quote="This value defaults to 300.",
        value=300,
    ),
    Rule(
        id="presigned-url-session-default",
        kind="default",
        operations=("CreatePresignedDomainUrl",),
        member="SessionExpirationDurationInSeconds",
        source="CreatePresignedDomainUrlRequest.SessionExpirationDurationInSeconds",
        quote="This value defaults to 43200.",
        value=43200,
    ),
    Rule(
        id="image-version-latest",
        kind="default",
        operations=("DescribeImageVersion",),
        member="Version",
        source="DescribeImageVersionRequest.Version",
        quote="If not specified, the latest version is described.",
        value="latest",
    ),
    Rule(
        id="app-image-config-mount-path",
        kind="default",
        operations=("CreateAppImageConfig",),
        member="JupyterLabAppImageConfig.FileSystemConfig.MountPath",
        source="FileSystemConfig.MountPath",
        quote="If not specified, defaults to /home/sagemaker-user.",
        value="/home/sagemaker-user",
    ),
    Rule(
        id="app-image-config-uid",
        kind="default",
        operations=("CreateAppImageConfig",),
        member="JupyterLabAppImageConfig.FileSystemConfig.DefaultUid",
        source="FileSystemConfig.DefaultUid",
        quote="If not specified, defaults to 1000.",
        value=1000,
    ),
    Rule(
        id="app-image-config-gid",
        kind="default",
        operations=("CreateAppImageConfig",),
        member="JupyterLabAppImageConfig.FileSystemConfig.DefaultGid",
        source="FileSystemConfig.DefaultGid",
        quote="If not specified, defaults to 100.",
        value=100,
    ),
    # ------------------------------------------------------------------ ranges
    # botocore's shapes carry most ranges (checked for every request by shapes.py); these
    # rows restate the ones learners meet, and add those stated only in words.
    Rule(
        id="ebs-size-range",
        kind="range",
        operations=("CreateSpace", "UpdateSpace"),
        member="SpaceSettings.SpaceStorageSettings.EbsStorageSettings.EbsVolumeSizeInGb",
        source="EbsStorageSettings.EbsVolumeSizeInGb",
        quote="",
        value=(5, 16384),
        error="ValidationException",
    ),
    Rule(
        id="default-ebs-size-range",
        kind="range",
        operations=("CreateDomain", "UpdateDomain"),
        member="DefaultUserSettings.SpaceStorageSettings.DefaultEbsStorageSettings."
        "DefaultEbsVolumeSizeInGb",
        source="DefaultEbsStorageSettings.DefaultEbsVolumeSizeInGb",
        quote="",
        value=(5, 16384),
        error="ValidationException",
    ),
    *[
        Rule(
            id=f"idle-{field}-range-{op}",
            kind="range",
            operations=(op,),
            member=f"{where}.JupyterLabAppSettings.{_IDLE}.{field}",
            source=f"IdleSettings.{field}",
            quote="",
            value=(60, 525600),
            error="ValidationException",
        )
        for op, where in _USER_LEVELS
        for field in ("IdleTimeoutInMinutes", "MinIdleTimeoutInMinutes", "MaxIdleTimeoutInMinutes")
    ],
    Rule(
        id="space-idle-range",
        kind="range",
        operations=("CreateSpace", "UpdateSpace"),
        member=f"SpaceSettings.JupyterLabAppSettings.{_IDLE}.IdleTimeoutInMinutes",
        source="SpaceIdleSettings.IdleTimeoutInMinutes",
        quote="",
        value=(60, 525600),
        error="ValidationException",
    ),
    Rule(
        id="presigned-url-expiry-range",
        kind="range",
        operations=("CreatePresignedDomainUrl",),
        member="ExpiresInSeconds",
        source="CreatePresignedDomainUrlRequest.ExpiresInSeconds",
        quote="",
        value=(5, 300),
        error="ValidationException",
    ),
    Rule(
        id="presigned-url-session-range",
        kind="range",
        operations=("CreatePresignedDomainUrl",),
        member="SessionExpirationDurationInSeconds",
        source="CreatePresignedDomainUrlRequest.SessionExpirationDurationInSeconds",
        quote="",
        value=(1800, 43200),
        error="ValidationException",
    ),
    Rule(
        id="lifecycle-script-length",
        kind="range",
        operations=("CreateStudioLifecycleConfig",),
        member="StudioLifecycleConfigContent",
        source="CreateStudioLifecycleConfigRequest.StudioLifecycleConfigContent",
        quote="",
        value=(1, 16384),
        error="ValidationException",
    ),
    *[
        Rule(
            id=f"security-groups-one-less-{op}",
            kind="range",
            operations=(op,),
            member=f"{where}.SecurityGroups",
            source="UserSettings.SecurityGroups",
            quote="the number of security groups that you can specify is one less than the "
            "maximum number shown",
            value=(0, 4),
            error="ValidationException",
            message="{member}: SageMaker AI adds a security group of its own for NFS traffic, so "
            "at most 4 security groups can be specified, not {count}.",
        )
        for op, where in _USER_LEVELS
    ],
    Rule(
        id="kernel-gateway-images-profile",
        kind="range",
        operations=("CreateUserProfile", "UpdateUserProfile"),
        member="UserSettings.KernelGatewayAppSettings.CustomImages",
        source="KernelGatewayAppSettings.CustomImages",
        quote="On a user profile level: 5",
        value=(0, 5),
        error="ValidationException",
        message="{member}: a user profile can have at most 5 custom images, not {count}.",
    ),
    Rule(
        id="kernel-gateway-images-space",
        kind="range",
        operations=("CreateSpace", "UpdateSpace"),
        member="SpaceSettings.KernelGatewayAppSettings.CustomImages",
        source="KernelGatewayAppSettings.CustomImages",
        quote="On a space level: 5",
        value=(0, 5),
        error="ValidationException",
        message="{member}: a space can have at most 5 custom images, not {count}.",
    ),
    # ------------------------------------------------------------------ preconditions
    Rule(
        id="network-change-needs-no-apps",
        kind="precondition",
        operations=("UpdateDomain",),
        member="AppNetworkAccessType",
        source="UpdateDomainRequest.AppNetworkAccessType",
        quote="This configuration can only be modified if there are no apps in the InService, "
        "Pending, or Deleting state.",
        error="ResourceInUse",
        message="AppNetworkAccessType of domain '{domain}' can only be modified if there are no "
        "apps in the InService, Pending, or Deleting state; these are: {apps}. Stop them "
        "(DeleteApp) and wait until they are Deleted.",
        assumption=_IN_USE_ASSUMED,
    ),
    Rule(
        id="network-change-not-with-rstudio",
        kind="precondition",
        operations=("UpdateDomain",),
        member="AppNetworkAccessType",
        source="UpdateDomainRequest.AppNetworkAccessType",
        quote="The configuration cannot be updated if "
        "DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn is already set",
        error="ValidationException",
        message="AppNetworkAccessType of domain '{domain}' cannot be updated: its "
        "RStudioServerProDomainSettings.DomainExecutionRoleArn is set.",
    ),
    Rule(
        id="subnet-removal-needs-no-apps",
        kind="precondition",
        operations=("UpdateDomain",),
        member="SubnetIds",
        source="UpdateDomainRequest.SubnetIds",
        quote="If removing subnets, ensure there are no apps in the InService, Pending, or "
        "Deleting state.",
        error="ResourceInUse",
        message="SubnetIds of domain '{domain}': subnets {removed} can only be removed when no app "
        "is InService, Pending or Deleting; these are: {apps}.",
        assumption=_IN_USE_ASSUMED,
    ),
    Rule(
        id="role-identity-change-needs-no-apps",
        kind="precondition",
        operations=("UpdateDomain",),
        member="DomainSettingsForUpdate.ExecutionRoleIdentityConfig",
        source="DomainSettingsForUpdate.ExecutionRoleIdentityConfig",
        quote="This configuration can only be modified if there are no apps in the InService or "
        "Pending state.",
        error="ResourceInUse",
        message="ExecutionRoleIdentityConfig of domain '{domain}' can only be modified if there "
        "are no apps in the InService or Pending state; these are: {apps}.",
        assumption=_IN_USE_ASSUMED,
    ),
    Rule(
        id="home-efs-cannot-be-disabled",
        kind="precondition",
        operations=("UpdateDomain",),
        member="HomeEfsFileSystemCreation",
        source="UpdateDomainRequest.HomeEfsFileSystemCreation",
        quote="you cannot change from Enabled to Disabled",
        error="ValidationException",
        message="HomeEfsFileSystemCreation can change from Disabled to Enabled, not back: domain "
        "'{domain}' already has its home EFS file system.",
    ),
    Rule(
        id="vpc-only-needs-security-groups",
        kind="precondition",
        operations=("CreateDomain", "CreateUserProfile"),
        member="DefaultUserSettings.SecurityGroups",
        source="UserSettings.SecurityGroups",
        quote="Required when the CreateDomain.AppNetworkAccessType parameter is set to VpcOnly, "
        "unless specified as part of the DefaultUserSettings for the domain.",
        error="ValidationException",
        message="{where}.SecurityGroups is required when the domain's AppNetworkAccessType is "
        "VpcOnly (unless the domain's DefaultUserSettings name them): pass the security groups of "
        "the VPC's subnets.",
        assumption="AWS states the condition, not the error code: "
        "ValidationException is the course's assumption.",
    ),
    Rule(
        id="rstudio-vpc-only-needs-sg-management",
        kind="precondition",
        operations=("CreateDomain",),
        member="AppSecurityGroupManagement",
        source="CreateDomainRequest.AppSecurityGroupManagement",
        quote="Required when CreateDomain.AppNetworkAccessType is VPCOnly and "
        "DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn is provided.",
        error="ValidationException",
        message="AppSecurityGroupManagement is required for a VpcOnly domain with RStudio "
        "(DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn): set it to "
        "Service.",
    ),
    Rule(
        id="sso-fields-only-for-sso",
        kind="precondition",
        operations=("CreateUserProfile",),
        member="SingleSignOnUserValue",
        source="CreateUserProfileRequest.SingleSignOnUserValue",
        quote="If the Domain's AuthMode is not IAM Identity Center, this field cannot be "
        "specified.",
        error="ValidationException",
        message="Domain '{domain}' uses IAM authentication: SingleSignOnUserIdentifier and "
        "SingleSignOnUserValue cannot be specified.",
    ),
    Rule(
        id="sso-fields-required",
        kind="precondition",
        operations=("CreateUserProfile",),
        member="SingleSignOnUserValue",
        source="CreateUserProfileRequest.SingleSignOnUserValue",
        quote="If the Domain's AuthMode is IAM Identity Center, this field is required",
        error="ValidationException",
        message="Domain '{domain}' uses SSO: pass SingleSignOnUserIdentifier='UserName' and "
        "SingleSignOnUserValue (the user's IAM Identity Center user name).",
    ),
    Rule(
        id="sso-identifier-is-username",
        kind="precondition",
        operations=("CreateUserProfile",),
        member="SingleSignOnUserIdentifier",
        source="CreateUserProfileRequest.SingleSignOnUserIdentifier",
        quote='Currently, the only supported value is "UserName".',
        error="ValidationException",
        message="SingleSignOnUserIdentifier must be 'UserName', not '{value}'.",
    ),
    Rule(
        id="automount-default-as-domain",
        kind="precondition",
        operations=("CreateDomain", "UpdateDomain"),
        member="DefaultUserSettings.AutoMountHomeEFS",
        source="UserSettings.AutoMountHomeEFS",
        quote="The DefaultAsDomain value is only supported for user profiles.",
        error="ValidationException",
        message="{where}.AutoMountHomeEFS=DefaultAsDomain is valid on user profiles only; use "
        "Enabled or Disabled on a domain.",
    ),
    Rule(
        id="app-owner-exactly-one",
        kind="precondition",
        operations=("CreateApp", "DescribeApp", "DeleteApp"),
        member="SpaceName",
        source="CreateAppRequest.UserProfileName",
        quote="If this value is not set, then SpaceName must be set.",
        error="ValidationException",
        message="Pass exactly one of UserProfileName or SpaceName: JupyterLab and Code Editor apps "
        "run in a space (SpaceName); Canvas and RStudio run for a user profile.",
    ),
    Rule(
        id="list-apps-one-filter",
        kind="precondition",
        operations=("ListApps",),
        member="SpaceNameEquals",
        source="ListAppsRequest.SpaceNameEquals",
        quote="If UserProfileNameEquals is set, then this value cannot be set.",
        error="ValidationException",
        message="Filter on UserProfileNameEquals or on SpaceNameEquals, not both.",
    ),
    Rule(
        id="space-app-type-fixed",
        kind="precondition",
        operations=("UpdateSpace",),
        member="SpaceSettings.AppType",
        source="SpaceSettings.AppType",
        quote="you can't change the app type of your space",
        error="ValidationException",
        message="The AppType of space '{space}' is {app_type} and cannot change. Create a new "
        "space for another app type.",
    ),
    Rule(
        id="presigned-url-iam-only",
        kind="precondition",
        operations=("CreatePresignedDomainUrl",),
        member="",
        source="CreatePresignedDomainUrl",
        quote="This operation can only be called when the authentication mode equals IAM.",
        error="ValidationException",
        message="Domain '{domain}' uses SSO; presigned URLs work only for IAM domains. SSO users "
        "sign in through the IAM Identity Center portal.",
    ),
    Rule(
        id="image-delete-properties",
        kind="precondition",
        operations=("UpdateImage",),
        member="DeleteProperties",
        source="UpdateImageRequest.DeleteProperties",
        quote="Only the Description and DisplayName properties can be deleted.",
        error="ValidationException",
        message="DeleteProperties: only Description and DisplayName can be deleted, not {value}.",
    ),
    Rule(
        id="lifecycle-script-base64",
        kind="precondition",
        operations=("CreateStudioLifecycleConfig",),
        member="StudioLifecycleConfigContent",
        source="CreateStudioLifecycleConfigRequest.StudioLifecycleConfigContent",
        quote="This content must be base64 encoded.",
        error="ValidationException",
        message="StudioLifecycleConfigContent must be base64 encoded: encode the script, e.g. "
        "base64.b64encode(script.encode()).decode().",
    ),
    Rule(
        id="lifecycle-config-unused-to-delete",
        kind="precondition",
        operations=("DeleteStudioLifecycleConfig",),
        member="",
        source="DeleteStudioLifecycleConfig",
        quote="there must be no running apps using the Lifecycle Configuration. You must also "
        "remove the Lifecycle Configuration from UserSettings in all Domains and "
        "UserProfiles.",
        error="ResourceInUse",
        message="Lifecycle configuration '{name}' is still {uses}. Remove it from "
        "LifecycleConfigArns "
        "and DefaultResourceSpec everywhere, and stop the apps that use it, first.",
    ),
    Rule(
        id="idle-timeout-within-bounds",
        kind="precondition",
        operations=tuple(op for op, _ in _USER_LEVELS),
        member=f"DefaultUserSettings.JupyterLabAppSettings.{_IDLE}",
        source="IdleSettings.MinIdleTimeoutInMinutes",
        quote="The minimum value in minutes that custom idle shutdown can be set to by the user.",
        error="ValidationException",
        message="{where}: IdleTimeoutInMinutes ({idle}) must lie between MinIdleTimeoutInMinutes "
        "({low}) and MaxIdleTimeoutInMinutes ({high}).",
        assumption="That a timeout outside the bounds is refused (rather than clamped) is the "
        "course's assumption.",
    ),
    Rule(
        id="space-idle-within-bounds",
        kind="precondition",
        operations=("CreateSpace", "UpdateSpace"),
        member=f"SpaceSettings.JupyterLabAppSettings.{_IDLE}.IdleTimeoutInMinutes",
        source="IdleSettings.MaxIdleTimeoutInMinutes",
        quote="The maximum value in minutes that custom idle shutdown can be set to by the user.",
        error="ValidationException",
        message="Space '{space}': IdleTimeoutInMinutes {idle} is outside the bounds its "
        "{source} sets ({low} to {high} minutes).",
        assumption="Refusing (rather than clamping), and refusing a space timeout where idle "
        "shutdown is not ENABLED, are the course's assumptions.",
    ),
    Rule(
        id="default-ebs-not-above-maximum",
        kind="precondition",
        operations=("CreateDomain", "UpdateDomain", "CreateUserProfile", "UpdateUserProfile"),
        member="DefaultUserSettings.SpaceStorageSettings.DefaultEbsStorageSettings",
        source="DefaultEbsStorageSettings.MaximumEbsVolumeSizeInGb",
        quote="The maximum size of the EBS storage volume for a space.",
        error="ValidationException",
        message="{where}.SpaceStorageSettings.DefaultEbsStorageSettings: the default size "
        "({default} GB) is above the maximum ({maximum} GB).",
        assumption="AWS names a default and a maximum; that a default above the maximum is refused "
        "is the course's assumption.",
    ),
    # ------------------------------------------------------------------ behaviours
    Rule(
        id="profile-names-case-insensitive",
        kind="behaviour",
        operations=(
            "CreateUserProfile",
            "DescribeUserProfile",
            "CreateApp",
            "DescribeApp",
            "DeleteApp",
            "DeleteUserProfile",
        ),
        member="UserProfileName",
        source="CreateUserProfileRequest.UserProfileName",
        quote="This value is not case sensitive.",
    ),
    *[
        Rule(
            id=f"user-settings-not-for-shared-{member}",
            kind="behaviour",
            operations=("CreateSpace", "CreateApp"),
            member=f"UserSettings.{member}",
            source=f"UserSettings.{member}",
            quote="SageMaker doesn't apply these settings to shared spaces."
            if member != "ExecutionRole"
            else "SageMaker doesn't apply this setting to shared spaces.",
        )
        for member in (
            "ExecutionRole",
            "JupyterLabAppSettings",
            "SpaceStorageSettings",
            "CodeEditorAppSettings",
        )
    ],
    Rule(
        id="default-space-settings-for-shared",
        kind="behaviour",
        operations=("CreateSpace", "CreateApp"),
        member="DefaultSpaceSettings",
        source="DefaultSpaceSettings",
        quote="SageMaker applies these settings only to shared spaces.",
    ),
    Rule(
        id="domain-tags-on-apps",
        kind="behaviour",
        operations=("CreateApp",),
        member="Tags",
        source="CreateDomainRequest.Tags",
        quote="Tags that you specify for the Domain are also added to all Apps that the Domain "
        "launches.",
    ),
    Rule(
        id="profile-tags-on-apps",
        kind="behaviour",
        operations=("CreateApp",),
        member="Tags",
        source="CreateUserProfileRequest.Tags",
        quote="Tags that you specify for the User Profile are also added to all Apps that the User "
        "Profile launches.",
        assumption="Apps in a private space count as launched by its owner.",
    ),
    Rule(
        id="app-restart-keeps-metadata",
        kind="behaviour",
        operations=("CreateApp",),
        member="",
        source="DescribeAppResponse.CreationTime",
        quote="To be considered an update and retain application metadata, "
        "applications must be restarted within 24 hours after the previous application has "
        "been shut down.",
    ),
    Rule(
        id="activity-equals-health-check",
        kind="behaviour",
        operations=("DescribeApp",),
        member="",
        source="DescribeAppResponse.LastUserActivityTimestamp",
        quote="this value is set to the same value as LastHealthCheckTimestamp.",
        assumption="The mock health-checks a running app continuously: both timestamps "
        "read the simulated now while it runs, and keep the moment it stopped.",
    ),
    # ------------------------------------------------------------------ deviations
    Rule(
        id="domain-vpc-fallback",
        kind="deviation",
        operations=("CreateDomain",),
        member="VpcId",
        source="CreateDomainRequest.VpcId",
        quote="The field is optional when the AppNetworkAccessType parameter is set to "
        "PublicInternetOnly for domains created from Amazon SageMaker Unified Studio.",
        assumption="AWS requires VpcId and SubnetIds for a domain created outside Unified "
        "Studio (error unconfirmed). The mock cannot tell the two apart, so without them it "
        "uses the default VPC and its subnets, as the console proposes.",
    ),
    Rule(
        id="lifecycle-configs-immutable",
        kind="behaviour",
        operations=("DescribeStudioLifecycleConfig",),
        member="",
        source="DescribeStudioLifecycleConfigResponse.LastModifiedTime",
        quote="This value is equivalent to CreationTime because Amazon SageMaker AI Studio "
        "Lifecycle Configurations are immutable.",
    ),
]

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
assert len(BY_ID) == len(RULES), "rule ids must be unique"


def rule(rule_id: str) -> Rule:
    return BY_ID[rule_id]


def breach(rule_id: str, **fields: Any) -> StudioClientError:
    """The error a request that breaks ``rule_id`` gets."""
    return BY_ID[rule_id].breach(**fields)


@cache
def default(operation: str, member: str) -> Any:
    for row in RULES:
        if row.kind == "default" and operation in row.operations and row.member == member:
            return row.value
    raise KeyError(f"no stated default for {operation}.{member}")


@cache
def time_filters(operation: str) -> dict[str, bool]:
    """Time-filter members of a List operation -> whether the bound is inclusive."""
    return {
        row.member: bool(row.value)
        for row in RULES
        if row.kind == "filter" and operation in row.operations
    }


def _at(node: Any, path: list[str]) -> Any:
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def range_problems(operation: str, params: dict[str, Any]) -> list[StudioClientError]:
    """Breaches of the range rows that botocore states only in words (shapes.py checks
    the ranges its shapes carry)."""
    found = []
    for row in _worded_ranges(operation):
        value = _at(params, row.member.split("."))
        if value is None:
            continue
        count = len(value) if isinstance(value, list) else value
        low, high = row.value
        if not low <= count <= high:
            found.append(row.breach(member=row.member, count=count))
    return found


@cache
def _worded_ranges(operation: str) -> tuple[Rule, ...]:
    return tuple(
        row for row in RULES if row.kind == "range" and operation in row.operations and row.message
    )


def normalized(text: str) -> str:
    """Documentation text with tags and spacing removed, as the tests compare it."""
    text = " ".join(re.sub(r"<[^>]+>", " ", text or "").split())
    return re.sub(r" ([.,;:)])", r"\1", text)
