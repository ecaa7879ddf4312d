"""The apps lab's variant: one learner's user profiles, RStudio role, requests to judge
and HyperPod clusters.

Everything the checks compare against is regenerated here from the learner's student id
(``labkit.rng("apps")``), never read from notebook variables a learner could have
changed. Exercise 2's key is not written down at all: whether AWS accepts a request, and
with which error code it refuses it, is what the mock answers when the check makes the
same call in a scratch domain (:func:`attempt`); only the rule a refusal breaks, which
no error code says, comes from :data:`REQUESTS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from studio_mock import wait_for_status

from . import PEOPLE, PROJECTS, rng

LAB = "apps"
ACCOUNT = "123456789012"

_TEAMS = ("stats", "biostat", "econ", "survey", "trials", "actuarial", "epi", "quant")
_ROLES = (
    "RStudioDomainExecutionRole", "PositWorkbenchRole", "RStudioServerRole",
    "RStudioAdminRole", "StatsRStudioRole", "RServerExecutionRole",
)  # fmt: skip

# Exercise 2: the rules a refused request can break (the letters the learner answers with).
RULES: dict[str, str] = {
    "A": "JupyterLab and Code Editor apps run in a space: create_app names a SpaceName.",
    "B": "A space holds JupyterLab or Code Editor only: Canvas and RStudio have no space.",
    "C": "A space runs only the app type it was created with.",
    "D": "A space runs one app at a time.",
    "E": "RStudio starts only on a domain that has RStudio's settings.",
    "F": "Studio Classic's app types can no longer be created.",
    "G": "The account's quota of running apps on that instance type is used up.",
    "H": "The caller lacks an IAM permission for the call.",
}

# The requests a learner can be given: kind -> the rule it breaks (None: AWS accepts it).
REQUESTS: dict[str, str | None] = {
    "code-editor": None,  # a Code Editor app in a stopped Code Editor space
    "canvas": None,  # Canvas for a user profile
    "jupyterlab": None,  # a JupyterLab app in a JupyterLab space that runs nothing
    "restart": None,  # a JupyterLab app again, after the space's app was stopped
    "rstudio": None,  # RStudio's server app on a domain with RStudio's settings
    "jupyterlab-for-profile": "A",
    "canvas-space": "B",
    "jupyterlab-in-code-space": "C",
    "code-editor-in-lab-space": "C",
    "second-app": "D",
    "rstudio-off": "E",
    "jupyter-server": "F",
    "kernel-gateway": "F",
}
ACCEPTED = tuple(k for k, rule in REQUESTS.items() if rule is None)
REFUSED = tuple(k for k, rule in REQUESTS.items() if rule is not None)

# HyperPod instance types (moto's list, as AWS's API reference gives them)
_HEAD_TYPES = ("ml.c5.xlarge", "ml.c5.2xlarge", "ml.m5.xlarge", "ml.m5.2xlarge", "ml.t3.xlarge")
_GPU_TYPES = (
    "ml.g5.xlarge", "ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g5.8xlarge", "ml.g5.12xlarge",
    "ml.g5.48xlarge", "ml.p4d.24xlarge", "ml.p5.48xlarge", "ml.trn1.32xlarge",
)  # fmt: skip
_MODELS = ("llm", "vision", "speech", "code", "chat", "rerank", "embed", "diffusion")

Groups = tuple[tuple[str, str, int], ...]  # (group name, instance type, count)


@dataclass(frozen=True)
class Request:
    """One request of exercise 2: the situation before it, and the call."""

    kind: str
    situation: str
    call: str
    space: str  # the space the situation or the call names
    # what the situation and the call are, for code that decides (the lab's solution)
    operation: str  # "create_app" or "create_space"
    app_type: str
    runs_in: str  # "space" or "user profile": what the call names
    space_type: str | None  # the app type of the space the call names, if it exists
    space_running: bool  # that space runs an app now
    rstudio_domain: bool  # the domain has RStudio's settings


@dataclass(frozen=True)
class Variant:
    """One learner's apps lab."""

    student: str
    profile: str  # the course domain's user profile (sections 1, 2, 4 and exercise 2)
    # exercise 1: the domain to enable RStudio on, its user, the role
    stats_domain: str
    licensed_domain: str
    r_user: str
    rstudio_role: str
    # exercise 2: requests to judge
    requests: tuple[Request, ...]
    # exercise 3: the profile the check starts applications for
    check_profile: str
    # exercise 4: the account's HyperPod clusters, and the check's own
    clusters: tuple[tuple[str, Groups], ...]
    check_groups: Groups

    @property
    def capacity(self) -> dict[str, dict[str, int]]:
        """Exercise 4's answer for the clusters the lab makes."""
        return {name: add_up(groups) for name, groups in self.clusters}

    @property
    def check_capacity(self) -> dict[str, int]:
        return add_up(self.check_groups)

    def show_requests(self) -> str:
        lines = []
        for n, r in enumerate(self.requests, 1):
            lines += [f"Request {n}. {r.situation}", f"    {r.call}", ""]
        return "\n".join(lines).rstrip()


def rule_broken(request: Request) -> str | None:
    """The letter of the rule the request breaks (None: AWS accepts it). Whether AWS
    refuses it, and with which code, the check asks the mock (:func:`attempt`)."""
    return REQUESTS[request.kind]


def add_up(groups: Groups) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, instance_type, count in groups:
        counts[instance_type] = counts.get(instance_type, 0) + count
    return counts


def _request(kind: str, profile: str, space: str) -> Request:
    """The request ``kind`` for ``profile``, naming the space ``space`` if it needs one."""
    app = "sm.create_app(DomainId=domain_id, "
    in_space = lambda t: f"{app}SpaceName={space!r}, AppType={t!r}, AppName='default')"  # noqa: E731
    for_profile = lambda t: f"{app}UserProfileName={profile!r}, AppType={t!r}, AppName='default')"  # noqa: E731
    course = "On the course domain (no RStudio settings)"
    table: dict[str, tuple[str, str, str, str, str | None, bool, bool]] = {
        # kind: (situation, call, operation, app type, space type, running, RStudio domain)
        "code-editor": (
            f"{course}, {space!r} is {profile}'s private Code Editor space; it runs nothing.",
            in_space("CodeEditor"), "create_app", "CodeEditor", "CodeEditor", False, False,
        ),
        "canvas": (
            f"{course}, {profile} is a user profile that runs no app.",
            for_profile("Canvas"), "create_app", "Canvas", None, False, False,
        ),
        "jupyterlab": (
            f"{course}, {space!r} is {profile}'s private JupyterLab space; it runs nothing.",
            in_space("JupyterLab"), "create_app", "JupyterLab", "JupyterLab", False, False,
        ),
        "restart": (
            f"{course}, {space!r} is {profile}'s private JupyterLab space. Its app 'default' "
            "ran this morning, was stopped with delete_app and is now Deleted.",
            in_space("JupyterLab"), "create_app", "JupyterLab", "JupyterLab", False, False,
        ),
        "rstudio": (
            f"On a domain created with RStudio's settings (like section 3's), {profile} is a "
            "user profile that runs no app.",
            for_profile("RStudioServerPro"), "create_app", "RStudioServerPro", None, False, True,
        ),
        "jupyterlab-for-profile": (
            f"{course}, {profile} is a user profile; {space!r} is {profile}'s private "
            "JupyterLab space and runs nothing.",
            for_profile("JupyterLab"), "create_app", "JupyterLab", "JupyterLab", False, False,
        ),
        "canvas-space": (
            f"{course}, {profile} is a user profile; there is no space named {space!r} yet.",
            f"sm.create_space(DomainId=domain_id, SpaceName={space!r}, "
            f"OwnershipSettings={{'OwnerUserProfileName': {profile!r}}}, "
            "SpaceSharingSettings={'SharingType': 'Private'}, SpaceSettings={'AppType': 'Canvas'})",
            "create_space", "Canvas", None, False, False,
        ),
        "jupyterlab-in-code-space": (
            f"{course}, {space!r} is {profile}'s private Code Editor space; it runs nothing.",
            in_space("JupyterLab"), "create_app", "JupyterLab", "CodeEditor", False, False,
        ),
        "code-editor-in-lab-space": (
            f"{course}, {space!r} is {profile}'s private JupyterLab space; it runs nothing.",
            in_space("CodeEditor"), "create_app", "CodeEditor", "JupyterLab", False, False,
        ),
        "second-app": (
            f"{course}, {space!r} is {profile}'s private JupyterLab space; its app 'default' "
            "is InService.",
            f"{app}SpaceName={space!r}, AppType='JupyterLab', AppName='second')",
            "create_app", "JupyterLab", "JupyterLab", True, False,
        ),
        "rstudio-off": (
            f"{course}, {profile} is a user profile that runs no app.",
            for_profile("RStudioServerPro"), "create_app", "RStudioServerPro", None, False, False,
        ),
        "jupyter-server": (
            f"{course}, {profile} is a user profile that runs no app.",
            for_profile("JupyterServer"), "create_app", "JupyterServer", None, False, False,
        ),
        "kernel-gateway": (
            f"{course}, {profile} is a user profile that runs no app.",
            for_profile("KernelGateway"), "create_app", "KernelGateway", None, False, False,
        ),
    }  # fmt: skip
    situation, call, operation, app_type, space_type, running, rstudio = table[kind]
    runs_in = "space" if "SpaceName=" in call else "user profile"
    return Request(
        kind, situation, call, space, operation, app_type, runs_in, space_type, running, rstudio
    )


def _requests(r, profile: str) -> tuple[Request, ...]:
    """Four requests: one or two that AWS accepts, the others refused, each for a
    different rule; never RStudio both on and off (the check uses one domain)."""
    while True:
        accepted = r.sample(ACCEPTED, r.choice((1, 2)))
        rules = r.sample(sorted(set(REQUESTS[k] for k in REFUSED)), 4 - len(accepted))
        refused = [r.choice([k for k in REFUSED if REQUESTS[k] == rule]) for rule in rules]
        if not ("rstudio" in accepted and "rstudio-off" in refused):
            break
    kinds = [*accepted, *refused]
    r.shuffle(kinds)
    topics = r.sample(PROJECTS, len(kinds))
    return tuple(_request(k, profile, f"{profile}-{t}") for k, t in zip(kinds, topics, strict=True))


def _cluster(r, model: str, stage: str) -> tuple[str, Groups]:
    groups: list[tuple[str, str, int]] = []
    if stage == "train":
        groups.append(("controller", r.choice(_HEAD_TYPES), 1))
        gpu = r.choice(_GPU_TYPES)
        groups.append(("workers", gpu, r.randint(2, 8)))
        if r.random() < 0.5:  # a second group of the same type
            groups.append(("workers-spot", gpu, r.randint(1, 4)))
    else:
        groups.append(("gpu", r.choice(_GPU_TYPES), r.randint(1, 4)))
    return f"{model}-{stage}", tuple(groups)


def variant(student: str | None = None) -> Variant:
    """This learner's lab (the current student id unless ``student`` is given)."""
    r = rng(LAB, student)
    profile, r_user, check_profile = r.sample(PEOPLE, 3)
    team = r.choice(_TEAMS)
    model_a, model_b = r.sample(_MODELS, 2)
    shared = r.choice(_GPU_TYPES)
    other = r.choice(_HEAD_TYPES)
    check_groups = (
        ("a", shared, r.randint(1, 4)),
        ("b", other, r.randint(1, 3)),
        ("c", shared, r.randint(1, 4)),
    )
    return Variant(
        student=student or _current(),
        profile=profile,
        stats_domain=team,
        licensed_domain=f"{team}-licensed",
        r_user=r_user,
        rstudio_role=f"arn:aws:iam::{ACCOUNT}:role/{r.choice(_ROLES)}",
        requests=_requests(r, profile),
        check_profile=check_profile,
        clusters=(_cluster(r, model_a, "train"), _cluster(r, model_b, "eval")),
        check_groups=check_groups,
    )


def _current() -> str:
    from . import student_id

    return student_id()


# --- exercise 2: what AWS (the mock) answers ------------------------------------------


def needs_rstudio(v: Variant) -> bool:
    """Whether exercise 2's check domain is made with RStudio's settings."""
    return any(r.rstudio_domain for r in v.requests)


def attempt(sm, domain_id: str, profile: str, request: Request) -> str | tuple[str, str]:
    """Set up the request's situation in ``domain_id`` (whose user profile ``profile``
    exists), make its call, and return "accepted" or AWS's (error code, message)."""
    space = request.space
    if request.space_type is not None:
        _make_space(sm, domain_id, profile, space, request.space_type)
    key = dict(DomainId=domain_id, SpaceName=space, AppName="default")
    if request.kind in ("second-app", "restart"):
        sm.create_app(**key, AppType="JupyterLab")
        wait_for_status(sm.describe_app, "InService", **key, AppType="JupyterLab")
    if request.kind == "restart":
        sm.delete_app(**key, AppType="JupyterLab")
        wait_for_status(sm.describe_app, "Deleted", **key, AppType="JupyterLab")
    try:
        if request.operation == "create_space":
            sm.create_space(
                DomainId=domain_id,
                SpaceName=space,
                OwnershipSettings={"OwnerUserProfileName": profile},
                SpaceSharingSettings={"SharingType": "Private"},
                SpaceSettings={"AppType": request.app_type},
            )
        elif request.runs_in == "space":
            name = "second" if request.kind == "second-app" else "default"
            sm.create_app(
                DomainId=domain_id, SpaceName=space, AppType=request.app_type, AppName=name
            )
        else:
            sm.create_app(
                DomainId=domain_id,
                UserProfileName=profile,
                AppType=request.app_type,
                AppName="default",
            )
    except ClientError as error:  # the refusal is the answer
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    return "accepted"


def _make_space(sm, domain_id: str, owner: str, space: str, app_type: str) -> None:
    sm.create_space(
        DomainId=domain_id,
        SpaceName=space,
        OwnershipSettings={"OwnerUserProfileName": owner},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={"AppType": app_type},
    )
