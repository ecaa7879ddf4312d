"""The incidents lab: three broken Studio domains, built for one learner's variant.

Each ``open_ticket_N`` builds what a user reports (inside ``mock_studio``) and returns
what the user would tell a help desk: names, nothing about the cause. ``variant()``
regenerates the learner's variant from their student id (``labkit.rng``), so the
grader's hidden tests know the truth without trusting anything the notebook defines.

``read_only_session()`` is the help desk's first tool: a boto3 session whose every call
is decided by a read-only IAM policy, evaluated with ``studio_mock.iam`` (Describe, List
and Get allowed; anything else refused with AccessDeniedException), so that nothing can
be changed by accident while investigating.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

import labkit
from labkit.images_lab import push
from studio_mock import advance_clock, wait_for_status, write_file, write_home_efs_file
from studio_mock.iam import evaluate, load_policy

LAB = "incidents"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/StudioExecutionRole"
GB = 1024**3

# The codes a diagnosis chooses from: every one is a real cause of such a ticket somewhere.
CAUSES_1 = {
    "automount-off-domain": "AutoMountHomeEFS is Disabled in the domain's default user settings",
    "automount-off-profile": "AutoMountHomeEFS is Disabled in the user's own profile settings",
    "shared-space": "the user works in a shared space, where the home EFS is never mounted",
    "no-home-efs": "the domain has no home EFS file system (never created, or deleted)",
    "space-deleted": "the space that held the notebooks, and its EBS volume, were deleted",
}
CAUSES_2 = {
    "forgotten-endpoint": "a real-time inference endpoint is still InService",
    "retained-efs": "the home EFS of a deleted domain was kept (RetentionPolicy Retain)",
    "idle-app": "an app nobody uses is still InService, and no idle shutdown stops it",
    "space-volumes": "the stopped spaces' EBS volumes",
    "endpoint-config": "an endpoint configuration or model left without an endpoint",
    "s3-bucket": "an S3 bucket",
}
CAUSES_3 = {
    "lifecycle-script-error": "a lifecycle configuration's script ends with a non-zero exit code",
    "lifecycle-timeout": "a lifecycle configuration's script runs longer than 5 minutes",
    "image-not-in-ecr": "the image version's container image is gone from Amazon ECR",
    "wrong-uid-gid": "the image's default user is not the UID/GID its app image config gives",
    "wrong-mount-path": "the app image config's MountPath is not the image user's home folder",
    "instance-quota": "the account's quota for the instance type is used up",
}

READ_ONLY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "HelpDeskReadOnly",
            "Effect": "Allow",
            "Action": [
                "sagemaker:Describe*",
                "sagemaker:List*",
                "elasticfilesystem:Describe*",
                "logs:Describe*",
                "logs:Get*",
                "logs:FilterLogEvents",
                "ecr:Describe*",
                "ecr:List*",
                "ecr:BatchGetImage",
                "s3:List*",
                "s3:Get*",
            ],
            "Resource": "*",
        }
    ],
}

_PEOPLE = ("amara", "bruno", "chen", "dalia", "emeka", "farah", "goran", "hana", "ines", "jonas")
_WORDS = ("churn", "fraud", "forecast", "vision", "speech", "pricing", "supply", "genomics")
_NOTEBOOKS = ("eda.ipynb", "features.ipynb", "train.ipynb", "report.ipynb", "clean.py")


@dataclass(frozen=True)
class Variant:
    student: str
    # ticket 1
    cause_1: str
    user_1: str
    colleague_1: str
    space_1: str
    notebooks_1: tuple[str, ...]
    # ticket 2
    causes_2: tuple[str, ...]
    team_2: tuple[str, ...]
    endpoint_2: str
    endpoint_instance_2: str
    endpoint_count_2: int
    efs_gb_2: int
    idle_space_2: str
    # ticket 3
    cause_3: str
    user_3: str
    space_3: str
    image_3: str
    lifecycle_3: str
    image_user_3: str  # USER in the Dockerfile of the image's version 2 (if it is the cause)


def variant(student: str | None = None) -> Variant:
    """This learner's variant (the grader regenerates it from the same student id)."""
    r = labkit.rng(LAB, student)
    people = r.sample(_PEOPLE, 6)
    words = r.sample(_WORDS, 3)
    team = tuple(people[2:5])
    return Variant(
        student=student or labkit.student_id(),
        cause_1=r.choice(("automount-off-domain", "automount-off-profile", "shared-space")),
        user_1=people[0],
        colleague_1=people[1],
        space_1=f"{words[0]}-{r.randrange(10, 99)}",
        notebooks_1=tuple(sorted(r.sample(_NOTEBOOKS, r.randint(2, 4)))),
        causes_2=tuple(
            sorted(r.sample(("forgotten-endpoint", "retained-efs", "idle-app"), r.randint(1, 2)))
        ),
        team_2=team,
        endpoint_2=f"{words[1]}-{r.choice(('prod', 'demo', 'test'))}-{r.randrange(100, 999)}",
        endpoint_instance_2=r.choice(("ml.m5.large", "ml.c5.xlarge", "ml.g4dn.xlarge")),
        endpoint_count_2=r.randint(1, 2),
        efs_gb_2=r.randrange(40, 400, 10),
        idle_space_2=f"{r.choice(team)}-{words[1]}",
        cause_3=r.choice(
            ("lifecycle-script-error", "lifecycle-timeout", "image-not-in-ecr", "wrong-uid-gid")
        ),
        user_3=people[5],
        space_3=f"{people[5]}-{words[2]}",
        image_3=f"{words[2]}-lab-image",
        lifecycle_3=f"{words[2]}-setup-{r.randrange(1, 9)}",
        image_user_3=r.choice(("", "1001:100", "1000:1000", "0:0")),
    )


# ---------------------------------------------------------------- the help desk's client
def read_only_session() -> boto3.Session:
    """A session for investigating: every call it makes is decided by READ_ONLY_POLICY."""
    policy = load_policy(READ_ONLY_POLICY, "help desk's read-only policy")
    session = boto3.Session()

    def guard(model: Any, **_: Any) -> None:
        action = f"{model.service_model.signing_name}:{model.name}"
        if not evaluate(policy, action, "*").allowed:
            raise ClientError(
                {
                    "Error": {
                        "Code": "AccessDeniedException",
                        "Message": (
                            "User: arn:aws:sts::123456789012:assumed-role/HelpDeskReadOnly/you "
                            f"is not authorized to perform: {action} because no "
                            "identity-based policy allows the action (investigate with this "
                            "client; change things with the administrator's)"
                        ),
                    }
                },
                model.name,
            )

    session.events.register("before-call", guard)
    return session


# ---------------------------------------------------------------- helpers
def _start(sm: Any, domain_id: str, space: str, app_type: str = "JupyterLab", **spec: Any) -> None:
    app = dict(DomainId=domain_id, SpaceName=space, AppType=app_type, AppName="default")
    sm.create_app(**app, **({"ResourceSpec": spec} if spec else {}))
    wait_for_status(sm.describe_app, "InService", **app)


def _stop(sm: Any, domain_id: str, space: str, app_type: str = "JupyterLab") -> None:
    app = dict(DomainId=domain_id, SpaceName=space, AppType=app_type, AppName="default")
    sm.delete_app(**app)
    wait_for_status(sm.describe_app, "Deleted", **app)


def _space(sm: Any, domain_id: str, name: str, owner: str, sharing: str = "Private") -> None:
    sm.create_space(
        DomainId=domain_id,
        SpaceName=name,
        OwnershipSettings={"OwnerUserProfileName": owner},
        SpaceSharingSettings={"SharingType": sharing},
        SpaceSettings={"AppType": "JupyterLab"},
    )
    wait_for_status(sm.describe_space, "InService", DomainId=domain_id, SpaceName=name)


def _domain(sm: Any, name: str, **user_settings: Any) -> str:
    domain_id = sm.create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE, **user_settings},
    )["DomainId"]
    wait_for_status(sm.describe_domain, "InService", DomainId=domain_id)
    return domain_id


def _profile(sm: Any, domain_id: str, name: str, **user_settings: Any) -> None:
    extra = {"UserSettings": user_settings} if user_settings else {}
    sm.create_user_profile(DomainId=domain_id, UserProfileName=name, **extra)
    wait_for_status(sm.describe_user_profile, "InService", DomainId=domain_id, UserProfileName=name)


def domain_named(sm: Any, name: str) -> str | None:
    """The id of the live domain called ``name`` (for the checks)."""
    for domain in sm.list_domains(MaxResults=100)["Domains"]:
        if domain["DomainName"] == name and domain["Status"] != "Deleting":
            return domain["DomainId"]
    return None


# ---------------------------------------------------------------- ticket 1
def ticket_1_domain(v: Variant) -> str:
    return f"{v.space_1.split('-')[0]}-research"


def open_ticket_1(sm: Any, v: Variant | None = None) -> dict[str, str]:
    """Classic notebooks on the home EFS that the user cannot find in the new Studio."""
    v = v or variant()
    off = {"AutoMountHomeEFS": "Disabled"}
    domain_id = _domain(
        sm, ticket_1_domain(v), **(off if v.cause_1 == "automount-off-domain" else {})
    )
    _profile(sm, domain_id, v.user_1, **(off if v.cause_1 == "automount-off-profile" else {}))
    _profile(sm, domain_id, v.colleague_1)
    for name in v.notebooks_1:  # what Studio Classic kept in the user's EFS home folder
        write_home_efs_file(domain_id, v.user_1, name, json.dumps({"cells": [], "name": name}))
    write_home_efs_file(domain_id, v.colleague_1, "notes.md", "# my notes")
    sharing = "Shared" if v.cause_1 == "shared-space" else "Private"
    _space(sm, domain_id, v.space_1, v.user_1, sharing)
    _start(sm, domain_id, v.space_1)
    write_file(domain_id, v.space_1, "scratch.py", "print('new Studio')")
    return {"domain_id": domain_id, "user": v.user_1, "space": v.space_1}


def truth_1(v: Variant, domain_id: str) -> tuple[str, str]:
    """(cause, the resource whose setting is the cause)"""
    where = {
        "automount-off-domain": domain_id,
        "automount-off-profile": v.user_1,
        "shared-space": v.space_1,
    }
    return v.cause_1, where[v.cause_1]


# ---------------------------------------------------------------- ticket 2
def ticket_2_domain(v: Variant) -> str:
    return f"{v.endpoint_2.split('-')[0]}-analytics"


def open_ticket_2(sm: Any, v: Variant | None = None) -> dict[str, Any]:
    """A team whose spaces are all stopped, they believe, and a bill that does not stop."""
    v = v or variant()
    # last year's domain, deleted; its EFS held the team's Classic homes
    old_id = _domain(sm, f"{ticket_2_domain(v)}-2024")
    _profile(sm, old_id, v.team_2[0])
    write_home_efs_file(old_id, v.team_2[0], "data/raw.parquet", "PAR1", size_bytes=v.efs_gb_2 * GB)
    sm.delete_user_profile(DomainId=old_id, UserProfileName=v.team_2[0])
    advance_clock(minutes=10)
    keep = "Retain" if "retained-efs" in v.causes_2 else "Delete"
    sm.delete_domain(DomainId=old_id, RetentionPolicy={"HomeEfsFileSystem": keep})
    advance_clock(minutes=30)

    domain_id = _domain(sm, ticket_2_domain(v))
    for person in v.team_2:
        _profile(sm, domain_id, person)
        _space(sm, domain_id, f"{person}-work", person)
        _start(sm, domain_id, f"{person}-work")
        write_file(domain_id, f"{person}-work", "analysis.ipynb", '{"cells": []}')
        _stop(sm, domain_id, f"{person}-work")
    owner = v.idle_space_2.split("-")[0]
    _space(sm, domain_id, v.idle_space_2, owner)
    _start(sm, domain_id, v.idle_space_2)
    if "idle-app" not in v.causes_2:
        _stop(sm, domain_id, v.idle_space_2)

    # a model deployed once; its endpoint is still up only in some variants
    model = f"{v.endpoint_2}-model"
    sm.create_model(
        ModelName=model,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{model}:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName=f"{v.endpoint_2}-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InstanceType": v.endpoint_instance_2,
                "InitialInstanceCount": v.endpoint_count_2,
            }
        ],
    )
    if "forgotten-endpoint" in v.causes_2:
        sm.create_endpoint(EndpointName=v.endpoint_2, EndpointConfigName=f"{v.endpoint_2}-config")
    advance_clock(hours=24 * 30)  # a month goes by
    return {"domain_id": domain_id, "team": list(v.team_2)}


def truth_2(v: Variant, retained_efs_id: str | None) -> dict[str, str]:
    """cause -> the resource that bills (endpoint name, file system id, space name)"""
    where = {
        "forgotten-endpoint": v.endpoint_2,
        "retained-efs": retained_efs_id or "",
        "idle-app": v.idle_space_2,
    }
    return {cause: where[cause] for cause in v.causes_2}


def home_efs_ids() -> set[str]:
    """EFS file systems that are some domain's home (tagged by SageMaker)."""
    efs = boto3.client("efs")
    found = set()
    for fs in efs.describe_file_systems()["FileSystems"]:
        if any(t["Key"] == "ManagedByAmazonSageMakerResource" for t in fs.get("Tags", [])):
            found.add(fs["FileSystemId"])
    return found


# ---------------------------------------------------------------- ticket 3
def ticket_3_domain(v: Variant) -> str:
    return f"{v.image_3.split('-')[0]}-platform"


def _script(lines: list[str]) -> str:
    return base64.b64encode(("#!/bin/bash\n" + "\n".join(lines) + "\n").encode()).decode()


def open_ticket_3(sm: Any, v: Variant | None = None) -> dict[str, str]:
    """A space on the team's custom image whose app ends Failed."""
    v = v or variant()
    ecr = boto3.client("ecr")
    # 1.1 was rebuilt on another base image; as the cause, without `USER 1000:100`
    users = {
        "1.0": "1000:100",
        "1.1": v.image_user_3 if v.cause_3 == "wrong-uid-gid" else "1000:100",
    }
    image_arn = sm.create_image(ImageName=v.image_3, RoleArn=ROLE)["ImageArn"]
    for tag in ("1.0", "1.1"):
        sm.create_image_version(
            ImageName=v.image_3,
            BaseImage=push(ecr, v.image_3, tag, user=users[tag]),
            ClientToken=f"{v.image_3}-{tag.replace('.', '-')}",
        )
        wait_for_status(sm.describe_image_version, "CREATED", ImageName=v.image_3)
    sm.create_app_image_config(
        AppImageConfigName=f"{v.image_3}-config", JupyterLabAppImageConfig={}
    )
    if v.cause_3 == "image-not-in-ecr":  # someone cleaned up the repository
        ecr.batch_delete_image(repositoryName=v.image_3, imageIds=[{"imageTag": "1.1"}])
    script = {
        "lifecycle-script-error": [
            "echo 'installing the team tools'",
            "echo 'ERROR: No matching distribution found for teamtools==9.9'",
            "exit 1",
        ],
        "lifecycle-timeout": [
            "echo 'downloading the reference data set'",
            "sleep 540",
            "echo done",
        ],
        "image-not-in-ecr": ["echo 'configuring git'", "exit 0"],
        "wrong-uid-gid": ["echo 'configuring git'", "exit 0"],
    }[v.cause_3]
    lcc_arn = sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName=v.lifecycle_3,
        StudioLifecycleConfigContent=_script(script),
        StudioLifecycleConfigAppType="JupyterLab",
    )["StudioLifecycleConfigArn"]
    jupyter = {
        "CustomImages": [{"ImageName": v.image_3, "AppImageConfigName": f"{v.image_3}-config"}],
        "LifecycleConfigArns": [lcc_arn],
        "DefaultResourceSpec": {"LifecycleConfigArn": lcc_arn},
    }
    domain_id = _domain(sm, ticket_3_domain(v), JupyterLabAppSettings=jupyter)
    _profile(sm, domain_id, v.user_3)
    _space(sm, domain_id, v.space_3, v.user_3)
    sm.create_app(
        DomainId=domain_id,
        SpaceName=v.space_3,
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={
            "SageMakerImageArn": image_arn,
            "SageMakerImageVersionArn": f"{image_arn.replace(':image/', ':image-version/')}/2",
            "InstanceType": "ml.t3.medium",
        },
    )
    advance_clock(minutes=15)  # it tried, and failed
    return {"domain_id": domain_id, "user": v.user_3, "space": v.space_3}


def truth_3(v: Variant, image_arn: str, lifecycle_arn: str) -> tuple[str, str]:
    """(cause, the resource: the lifecycle configuration's name, or the ARN of the image
    version that cannot be pulled or runs as the wrong user)"""
    if v.cause_3 in ("image-not-in-ecr", "wrong-uid-gid"):  # version 2 is the broken one
        return v.cause_3, f"{image_arn.replace(':image/', ':image-version/')}/2"
    return v.cause_3, v.lifecycle_3
