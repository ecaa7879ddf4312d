"""SageMaker's IAM vocabulary for the operations the mock serves.

From the Service Authorization Reference, "Actions, resources, and condition keys for
Amazon SageMaker AI" (https://docs.aws.amazon.com/service-authorization/latest/reference/
list_amazonsagemaker.html, read 2 December 2026): for each action, its resource type and
the condition keys its requests can carry. ``authorize`` uses it to keep a call site from
putting a key in a request that AWS would not, and the validator to warn about a
condition that can never see its key.
"""

from __future__ import annotations

from functools import lru_cache

# Keys that belong to the resource a request touches (the resource types' own keys).
RESOURCE_TAG_KEYS = ("aws:ResourceTag/", "sagemaker:ResourceTag/")
_CREATE_TAGS = ("aws:RequestTag/", "aws:TagKeys")
_IMAGES = ("sagemaker:InstanceTypes", "sagemaker:ImageArns", "sagemaker:ImageVersionArns")
_LIFECYCLE = ("sagemaker:StudioLifecycleConfigArns",)
_NETWORK = ("sagemaker:VpcSecurityGroupIds", "sagemaker:VpcSubnets")
_SPACE = ("sagemaker:OwnerUserProfileArn", "sagemaker:SpaceSharingType")

# action -> (resource type or None when the action takes Resource "*", condition keys)
ACTIONS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "CreateDomain": (
        "domain",
        (
            *_CREATE_TAGS,
            "sagemaker:AppNetworkAccessType",
            *_NETWORK,
            "sagemaker:DomainSharingOutputKmsKey",
            "sagemaker:VolumeKmsKey",
            *_IMAGES,
            *_LIFECYCLE,
        ),
    ),
    "DescribeDomain": ("domain", ()),
    "ListDomains": (None, ()),
    "UpdateDomain": (
        "domain",
        (
            *_NETWORK,
            "sagemaker:DomainSharingOutputKmsKey",
            "sagemaker:AppNetworkAccessType",
            *_IMAGES,
            *_LIFECYCLE,
        ),
    ),
    "DeleteDomain": ("domain", ()),
    "CreateUserProfile": (
        "user-profile",
        (*_CREATE_TAGS, *_NETWORK, "sagemaker:DomainSharingOutputKmsKey", *_IMAGES, *_LIFECYCLE),
    ),
    "DescribeUserProfile": ("user-profile", ()),
    "ListUserProfiles": (None, ()),
    "UpdateUserProfile": (
        "user-profile",
        (*_NETWORK, "sagemaker:DomainSharingOutputKmsKey", *_IMAGES, *_LIFECYCLE),
    ),
    "DeleteUserProfile": ("user-profile", ()),
    "CreateSpace": (
        "space",
        (*_CREATE_TAGS, *_IMAGES, *_SPACE, "sagemaker:RemoteAccess", *_LIFECYCLE),
    ),
    "DescribeSpace": ("space", ()),
    "ListSpaces": (None, ()),
    "UpdateSpace": ("space", (*_IMAGES, *_SPACE, "sagemaker:RemoteAccess", *_LIFECYCLE)),
    "DeleteSpace": ("space", _SPACE),
    "CreateApp": ("app", (*_CREATE_TAGS, *_IMAGES, *_SPACE, *_LIFECYCLE)),
    "DescribeApp": ("app", ()),
    "ListApps": (None, ()),
    "DeleteApp": ("app", _SPACE),
    "CreatePresignedDomainUrl": ("user-profile", ()),
    "CreateImage": ("image", _CREATE_TAGS),
    "DescribeImage": ("image", ()),
    "ListImages": (None, ()),
    "UpdateImage": ("image", ()),
    "DeleteImage": ("image", ()),
    "CreateImageVersion": ("image", ()),
    "DescribeImageVersion": ("image-version", ()),
    "ListImageVersions": ("image", ()),
    "DeleteImageVersion": ("image-version", ()),
    "CreateAppImageConfig": ("app-image-config", _CREATE_TAGS),
    "DescribeAppImageConfig": ("app-image-config", ()),
    "ListAppImageConfigs": (None, ()),
    "UpdateAppImageConfig": ("app-image-config", ()),
    "DeleteAppImageConfig": ("app-image-config", ()),
    "CreateStudioLifecycleConfig": ("studio-lifecycle-config", _CREATE_TAGS),
    "DescribeStudioLifecycleConfig": ("studio-lifecycle-config", ()),
    "ListStudioLifecycleConfigs": (None, ()),
    "DeleteStudioLifecycleConfig": ("studio-lifecycle-config", ()),
    # AddTags is also authorized, with sagemaker:TaggingAction, when a Create* carries Tags
    "AddTags": ("any", (*_CREATE_TAGS, "sagemaker:TaggingAction")),
    "ListTags": ("any", ()),
    "DeleteTags": ("any", ("aws:TagKeys",)),
}

# Keys whose request value is a list (type ArrayOf... in the reference): they need
# ForAnyValue/ForAllValues. The other keys named here are single-valued.
MULTIVALUED_KEYS = {
    k.lower()
    for k in (
        "aws:TagKeys",
        *_IMAGES,
        *_LIFECYCLE,
        *_NETWORK,
        "sagemaker:AcceleratorTypes",
    )
}
SINGLE_VALUED_KEYS = {
    k.lower()
    for k in (
        *_SPACE,
        "sagemaker:AppNetworkAccessType",
        "sagemaker:DomainSharingOutputKmsKey",
        "sagemaker:VolumeKmsKey",
        "sagemaker:RemoteAccess",
        "sagemaker:TaggingAction",
        "sagemaker:DomainId",
        "sagemaker:UserProfileName",
    )
}
# Keys describing who calls (the caller's Studio session), present on every request.
CALLER_KEYS = {"sagemaker:domainid", "sagemaker:userprofilename"}


def is_single_valued(key: str) -> bool:
    name = key.lower()
    return name in SINGLE_VALUED_KEYS or name.startswith(
        ("aws:resourcetag/", "aws:requesttag/", "sagemaker:resourcetag/")
    )


@lru_cache(maxsize=4096)
def supports_key(action: str, key: str) -> bool | None:
    """Can a request for ``sagemaker:<action>`` carry ``key``? None when this table
    does not say (an action or a global key it does not describe)."""
    found = ACTIONS.get(action)
    if found is None:
        return None
    resource_type, keys = found
    name = key.lower()
    if name in CALLER_KEYS:
        return True
    if name.startswith(tuple(k.lower() for k in RESOURCE_TAG_KEYS)):
        return resource_type is not None
    if name.startswith(("sagemaker:", "aws:requesttag/")) or name == "aws:tagkeys":
        return any(
            name == k.lower() or (k.endswith("/") and name.startswith(k.lower())) for k in keys
        )
    return None
