"""The images lab's variant: one learner's image names, tags, settings and broken space.

Everything the checks compare against is regenerated here from the learner's student id
(``labkit.rng("images")``), never read from notebook variables a learner could have
changed. The one thing that cannot be regenerated, the identity of the space exercise 3
asks the learner to repair, is recorded by :func:`broken_start` when the lab's cell makes
that space, and kept across reloads of this module.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from . import PEOPLE, rng

LAB = "images"

_TEAMS = (
    "churn", "vision", "forecast", "genomics", "fraud", "speech", "pricing", "search",
    "retail", "energy", "credit", "climate",
)  # fmt: skip
_IMAGE_WORDS = ("lab", "kit", "env", "studio")
_ENV_NAMES = ("TEAM", "PROJECT", "SQUAD", "COST_CENTER", "WORKLOAD", "GROUP")
_ENV_VALUES = (
    "forecasting", "recommenders", "nlp-research", "risk-models", "ops-analytics",
    "marketing-ds", "supply-chain", "bio-stats",
)  # fmt: skip

# Exercise 3: what may stop a space from starting on a custom image (the letters the
# learner answers with). Only B, C and D are ever the cause: A is what the refusal seems
# to say at first sight, E is a failure that shows later, as a Failed app.
FIXES: dict[str, str] = {
    "A": "Nobody attached the image: attaching it in the domain's DefaultUserSettings, with "
    "its config, is all it needs.",
    "B": "The space is shared, and shared spaces take their images from the domain's "
    "DefaultSpaceSettings: attach it there.",
    "C": "The image has no version yet: create one from the image in ECR.",
    "D": "The app image config is not a JupyterLab config, so the image was never attached: "
    "attach it with a JupyterLab app image config.",
    "E": "The image was deleted from ECR after its version was made: push it again.",
}
CAUSES: dict[str, str] = {"shared-space": "B", "no-version": "C", "wrong-config": "D"}


@dataclass(frozen=True)
class Variant:
    """One learner's images lab."""

    student: str
    owner: str  # the user profile in the course domain
    # exercises 1 and 2: the team's image, its ECR repository and tag, and its config
    team_repo: str
    team_tag: str
    team_image: str
    env_name: str
    env_value: str
    # exercise 3: a space that will not start on the course image, and why
    course_repo: str
    course_tag: str
    course_image: str
    custom_space: str
    cause: str
    # exercise 4: an image with several versions, one of them pinned
    inspect_image: str
    inspect_tags: tuple[str, ...]  # the ECR tag of version 1, 2, ...
    pinned: int  # the version the "pinned" space runs

    @property
    def team_config(self) -> str:
        return f"{self.team_image}-config"

    @property
    def course_config(self) -> str:
        return f"{self.course_image}-config"

    @property
    def fix(self) -> str:
        """Exercise 3's answer: the letter of the fix."""
        return CAUSES[self.cause]

    @property
    def shared(self) -> bool:
        return self.cause == "shared-space"


def variant(student: str | None = None) -> Variant:
    """This learner's lab (the current student id unless ``student`` is given)."""
    r = rng(LAB, student)
    team, course_team, inspect_team = r.sample(_TEAMS, 3)
    owner = r.choice(PEOPLE)
    versions = r.randint(2, 4)
    first = r.randint(1, 3)
    minor = r.randint(0, 9)
    return Variant(
        student=student or _current(),
        owner=owner,
        team_repo=f"{team}-jupyterlab",
        team_tag=f"{r.randint(1, 4)}.{r.randint(0, 12)}",
        team_image=f"{team}-{r.choice(_IMAGE_WORDS)}",
        env_name=r.choice(_ENV_NAMES),
        env_value=r.choice(_ENV_VALUES),
        course_repo=f"{course_team}-base",
        course_tag=f"{r.randint(1, 3)}.{r.randint(0, 9)}",
        course_image=f"{course_team}-jl",
        custom_space=f"{owner}-{course_team}",
        cause=r.choice(sorted(CAUSES)),
        inspect_image=f"{inspect_team}-tools",
        inspect_tags=tuple(f"{first + i}.{minor}" for i in range(versions)),
        pinned=r.randint(1, versions - 1),
    )


def _current() -> str:
    from . import student_id

    return student_id()


def image_config(name: str, user: str) -> bytes:
    """An image's configuration, as ``docker push`` uploads it: the default user and
    working folder its processes start with (what ``docker inspect`` shows)."""
    return json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"User": user, "WorkingDir": "/home/sagemaker-user"},
            "rootfs": {
                "type": "layers",
                "diff_ids": ["sha256:" + hashlib.sha256(f"diff {name}".encode()).hexdigest()],
            },
        },
        sort_keys=True,
    ).encode()


def manifest(name: str, config: bytes | None = None) -> str:
    """A Docker image manifest (schema 2) whose digests depend on ``name`` (and on the
    image's configuration, when it is given)."""
    config = config if config is not None else f"config {name}".encode()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": len(config),
                "digest": "sha256:" + hashlib.sha256(config).hexdigest(),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 31357624,
                    "digest": "sha256:" + hashlib.sha256(f"layer {name}".encode()).hexdigest(),
                }
            ],
        }
    )


def push(ecr, repository: str, tag: str, user: str = "1000:100") -> str:
    """Push an image to ECR as ``docker push`` does (its configuration as a blob, then its
    manifest), creating the repository if needed; return '<uri>:<tag>'. ``user`` is the
    image's default user (Dockerfile ``USER``; "" is root)."""
    try:
        uri = ecr.create_repository(repositoryName=repository)["repository"]["repositoryUri"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "RepositoryAlreadyExistsException":
            raise
        uri = ecr.describe_repositories(repositoryNames=[repository])["repositories"][0][
            "repositoryUri"
        ]
    config = image_config(f"{repository}:{tag}", user)
    upload = ecr.initiate_layer_upload(repositoryName=repository)["uploadId"]
    ecr.upload_layer_part(
        repositoryName=repository,
        uploadId=upload,
        partFirstByte=0,
        partLastByte=len(config) - 1,
        layerPartBlob=config,
    )
    ecr.complete_layer_upload(
        repositoryName=repository,
        uploadId=upload,
        layerDigests=["sha256:" + hashlib.sha256(config).hexdigest()],
    )
    ecr.put_image(
        repositoryName=repository,
        imageTag=tag,
        imageManifest=manifest(f"{repository}:{tag}", config),
    )
    return f"{uri}:{tag}"


def uri_of(ecr, repository: str, tag: str) -> str:
    """The ECR URI of ``repository:tag``, as ECR gives it (not as a notebook kept it)."""
    found = ecr.describe_repositories(repositoryNames=[repository])["repositories"][0]
    return f"{found['repositoryUri']}:{tag}"


# --- exercise 3: a space that will not start ----------------------------------------

# (domain id, space name) -> CreationTime of the space broken_start made, and the calls it
# showed. Kept across importlib.reload, so that checks can reload the lab's code and still
# know them.
_MADE: dict[tuple[str, str], Any] = globals().get("_MADE", {})
_CALLS: dict[tuple[str, str], list[tuple[str, str]]] = globals().get("_CALLS", {})


def broken_start(sm, ecr, domain_id: str, role: str, v: Variant) -> list[tuple[str, str]]:
    """An administrator's attempt to start the learner's space on the course image, which
    AWS refuses for the learner's cause. Returns each call as written and what it answered
    ("ok", or the error's code and message). Run again, it shows the same calls and makes
    none."""
    key = (domain_id, v.custom_space)
    if key in _CALLS:  # the cell may run twice: the first attempt is the one to diagnose
        return _CALLS[key]
    calls: list[tuple[str, str]] = []

    def call(text: str, action) -> None:
        try:
            action()
        except ClientError as error:
            found = error.response["Error"]
            calls.append((text, f"{found['Code']} - {found['Message']}"))
        else:
            calls.append((text, "ok"))

    uri = push(ecr, v.course_repo, v.course_tag)
    image_arn = sm.create_image(ImageName=v.course_image, RoleArn=role)["ImageArn"]
    calls.append((f"sm.create_image(ImageName={v.course_image!r}, RoleArn=ROLE)", "ok"))
    if v.cause != "no-version":
        call(
            f"sm.create_image_version(ImageName={v.course_image!r}, BaseImage={uri!r}, "
            f"ClientToken='{v.course_image}-1')",
            lambda: sm.create_image_version(
                ImageName=v.course_image, BaseImage=uri, ClientToken=f"{v.course_image}-1"
            ),
        )
    kind = "CodeEditorAppImageConfig" if v.cause == "wrong-config" else "JupyterLabAppImageConfig"
    call(
        f"sm.create_app_image_config(AppImageConfigName={v.course_config!r}, {kind}={{}})",
        lambda: sm.create_app_image_config(AppImageConfigName=v.course_config, **{kind: {}}),
    )
    sharing = "Shared" if v.shared else "Private"
    call(
        f"sm.create_space(DomainId=course_id, SpaceName={v.custom_space!r}, "
        f"OwnershipSettings={{'OwnerUserProfileName': {v.owner!r}}}, "
        f"SpaceSharingSettings={{'SharingType': {sharing!r}}}, "
        "SpaceSettings={'AppType': 'JupyterLab'})",
        lambda: sm.create_space(
            DomainId=domain_id,
            SpaceName=v.custom_space,
            OwnershipSettings={"OwnerUserProfileName": v.owner},
            SpaceSharingSettings={"SharingType": sharing},
            SpaceSettings={"AppType": "JupyterLab"},
        ),
    )
    _MADE[key] = sm.describe_space(DomainId=domain_id, SpaceName=v.custom_space)["CreationTime"]
    attach = {"ImageName": v.course_image, "AppImageConfigName": v.course_config}
    call(
        "sm.update_domain(DomainId=course_id, DefaultUserSettings={'JupyterLabAppSettings': "
        f"{{'CustomImages': [{attach!r}]}}}})",
        lambda: sm.update_domain(
            DomainId=domain_id,
            DefaultUserSettings={"JupyterLabAppSettings": {"CustomImages": [attach]}},
        ),
    )
    call(
        f"sm.create_app(DomainId=course_id, SpaceName={v.custom_space!r}, "
        "AppType='JupyterLab', AppName='default', "
        f"ResourceSpec={{'SageMakerImageArn': {image_arn!r}}})",
        lambda: sm.create_app(
            DomainId=domain_id,
            SpaceName=v.custom_space,
            AppType="JupyterLab",
            AppName="default",
            ResourceSpec={"SageMakerImageArn": image_arn},
        ),
    )
    if calls[-1][1] == "ok":
        raise AssertionError(f"the lab expected AWS to refuse to start {v.custom_space}")
    _CALLS[key] = calls
    return calls


def same_space(sm, domain_id: str, space_name: str) -> str | None:
    """None if ``space_name`` is still the space :func:`broken_start` made; otherwise what
    shows it is another one."""
    made = _MADE.get((domain_id, space_name))
    if made is None:
        return f"the lab never made '{space_name}': run the cell that prepares it"
    now = sm.describe_space(DomainId=domain_id, SpaceName=space_name)["CreationTime"]
    if now != made:
        return (
            f"'{space_name}' is a new space (created {now:%H:%M:%S}, not {made:%H:%M:%S}): "
            "repair the space you were given, do not replace it (to start again, restart the "
            "kernel and run the lab from the top)"
        )
    return None
