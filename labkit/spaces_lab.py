"""The spaces lab's variant: one learner's names, prices, needs and refusal.

Everything the checks compare against is regenerated here from the learner's student id
(``labkit.rng("spaces")``), never read from notebook variables a learner could have
changed. The one thing that cannot be regenerated, the identity of the space that
exercise 3 asks the learner to change, is recorded by :func:`prepare_train` when the
setup cell makes that space, and kept across reloads of this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from studio_mock import prices, set_quota, simulation, wait_for_status, write_file

from . import PEOPLE, PROJECTS, rng

LAB = "spaces"

_SCRIPTS = ("train.py", "prepare.py", "features.py", "fit_model.py", "tune.py", "evaluate.py")

# Instance types a JupyterLab space can run on: (vCPUs, memory in GiB), as AWS lists them.
SPECS: dict[str, tuple[int, int]] = {
    "ml.t3.medium": (2, 4),
    "ml.t3.large": (2, 8),
    "ml.t3.xlarge": (4, 16),
    "ml.m5.large": (2, 8),
    "ml.m5.xlarge": (4, 16),
    "ml.m5.2xlarge": (8, 32),
    "ml.c5.large": (2, 4),
    "ml.c5.xlarge": (4, 8),
}
_NEEDS = ((2, 6), (2, 8), (4, 8), (4, 12))  # (vCPUs, GiB) a piece of work needs
_BIGGER = ("ml.m5.xlarge", "ml.t3.xlarge", "ml.m5.2xlarge", "ml.c5.xlarge")

# Exercise 4: the rules a refused call can break (the letters the learner answers with).
RULES: dict[str, str] = {
    "A": "A space runs one app at a time.",
    "B": "A space cannot be deleted while its app is not fully stopped.",
    "C": "A space's name is unique in its domain.",
    "D": "A space's app type is fixed when the space is created.",
    "E": "A space's volume must be no larger than the domain's maximum.",
    "F": "The account's quota of running apps on that instance type is used up.",
    "G": "Only the owner of a private space may act on it (an IAM permission).",
    "H": "The space is still being created: wait until it is InService.",
}
# The refusals a learner can be given: (error code, the rule it breaks).
REFUSALS: dict[str, tuple[str, str]] = {
    "second-app": ("ResourceInUse", "A"),
    "name-taken": ("ResourceInUse", "C"),
    "app-type": ("ValidationException", "D"),
    "quota": ("ResourceLimitExceeded", "F"),
}


@dataclass(frozen=True)
class Variant:
    """One learner's spaces lab."""

    student: str
    owner: str  # owns the exercise spaces
    colleague: str  # a second user profile
    # exercise 1: the cheapest configuration that meets a need
    lab_space: str
    prices: tuple[tuple[str, float], ...]  # (instance type, $ per hour), this learner's table
    gb_month: float  # $ per GB-month of a space's volume
    need_vcpus: int
    need_memory: int  # GiB
    data_gb: int  # what the work keeps on the volume
    room_gb: int  # and the room it needs for its outputs
    # exercise 3: a running space to move to a bigger instance, keeping a file
    train_space: str
    small_type: str
    big_type: str
    script: str
    script_text: str
    # exercise 4: a refused call to explain
    refusal: str
    refusal_space: str

    @property
    def price(self) -> dict[str, float]:
        return dict(self.prices)

    def meets(self, instance_type: str) -> bool:
        vcpus, memory = SPECS[instance_type]
        return vcpus >= self.need_vcpus and memory >= self.need_memory

    @property
    def best_instance(self) -> str:
        """Exercise 1's instance type: the cheapest in the table that meets the need."""
        fitting = [(p, t) for t, p in self.prices if self.meets(t)]
        return min(fitting)[1]

    @property
    def volume_gb(self) -> int:
        """Exercise 1's volume size: what the work needs, and not a gigabyte more (the
        volume is billed whole, and can grow later)."""
        return max(5, self.data_gb + self.room_gb)

    @property
    def refusal_answer(self) -> dict[str, str]:
        code, rule = REFUSALS[self.refusal]
        return {"code": code, "rule": rule}

    def price_table(self) -> str:
        lines = [f"{'instance type':<16}{'vCPUs':>6}{'memory (GiB)':>14}{'$ per hour':>12}"]
        for instance_type, price in self.prices:
            vcpus, memory = SPECS[instance_type]
            lines.append(f"{instance_type:<16}{vcpus:>6}{memory:>14}{price:>12.3f}")
        lines.append(f"a space's volume: ${self.gb_month:.3f} per GB-month")
        return "\n".join(lines)


def _table(r) -> tuple[tuple[tuple[str, float], ...], int, int]:
    """A price table of five types and a need that the cheapest of them does not meet,
    met by at least two, with one cheapest answer."""
    while True:
        types = sorted(r.sample(sorted(SPECS), 5))
        table = tuple(
            (t, round(prices.STUDIO_INSTANCE_HOURLY[t] * r.uniform(0.8, 1.3), 3)) for t in types
        )
        need_vcpus, need_memory = r.choice(_NEEDS)
        fitting = sorted(p for t, p in table if _fits(t, need_vcpus, need_memory))
        cheapest = min(table, key=lambda row: row[1])[0]
        if (
            len(fitting) >= 2
            and fitting[0] != fitting[1]
            and not _fits(cheapest, need_vcpus, need_memory)
        ):
            return table, need_vcpus, need_memory


def _fits(instance_type: str, vcpus: int, memory: int) -> bool:
    have_vcpus, have_memory = SPECS[instance_type]
    return have_vcpus >= vcpus and have_memory >= memory


def variant(student: str | None = None) -> Variant:
    """This learner's lab (the current student id unless ``student`` is given)."""
    r = rng(LAB, student)
    owner, colleague = r.sample(PEOPLE, 2)
    topic, train_topic, other_topic = r.sample(PROJECTS, 3)
    table, need_vcpus, need_memory = _table(r)
    script = r.choice(_SCRIPTS)
    return Variant(
        student=student or _current(),
        owner=owner,
        colleague=colleague,
        lab_space=f"{owner}-{topic}",
        prices=table,
        gb_month=round(prices.SPACE_EBS_GB_MONTH * r.uniform(0.9, 1.2), 3),
        need_vcpus=need_vcpus,
        need_memory=need_memory,
        data_gb=r.randint(8, 40),
        room_gb=r.randint(3, 12),
        train_space=f"{owner}-{train_topic}-train",
        small_type="ml.t3.medium",
        big_type=r.choice(_BIGGER),
        script=script,
        script_text=f"# {script}: {train_topic} model, run {r.randint(100, 999)}\nprint('go')\n",
        refusal=r.choice(sorted(REFUSALS)),
        refusal_space=f"{colleague}-{other_topic}",
    )


def _current() -> str:
    from . import student_id

    return student_id()


# --- exercise 3: the space to change, and its identity --------------------------------

# (domain id, space name) -> (CreationTime, volume id) of the space the setup cell made.
# Kept across importlib.reload, so that checks can reload the lab's code and still know it.
_MADE: dict[tuple[str, str], tuple[Any, str]] = globals().get("_MADE", {})


def _volume_id(domain_id: str, space_name: str) -> str:
    """The id of the space's EBS volume, which AWS does not show and the mock keeps."""
    backend = simulation._backend_of(domain_id)
    return backend.get_space(domain_id, space_name).volume.volume_id


def prepare_train(sm, domain_id: str, v: Variant) -> dict[str, Any]:
    """Exercise 3's starting point: the owner's private space, running on the small
    instance type and holding the script; its identity is recorded."""
    sm.create_space(
        DomainId=domain_id,
        SpaceName=v.train_space,
        OwnershipSettings={"OwnerUserProfileName": v.owner},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={
            "AppType": "JupyterLab",
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": v.small_type}},
        },
    )
    key = dict(DomainId=domain_id, SpaceName=v.train_space, AppType="JupyterLab")
    sm.create_app(**key, AppName="default")
    wait_for_status(sm.describe_app, "InService", **key, AppName="default")
    write_file(domain_id, v.train_space, v.script, v.script_text)
    created = sm.describe_space(DomainId=domain_id, SpaceName=v.train_space)["CreationTime"]
    # the first space made under this name in this domain is the one the learner was given:
    # running this again after deleting it does not make a new one the original
    _MADE.setdefault((domain_id, v.train_space), (created, _volume_id(domain_id, v.train_space)))
    return {**key, "AppName": "default"}


def same_space(sm, domain_id: str, space_name: str) -> str | None:
    """None if ``space_name`` is still the space :func:`prepare_train` made; otherwise
    what shows it is another one."""
    made = _MADE.get((domain_id, space_name))
    if made is None:
        return f"the lab's setup never made '{space_name}': run the cell that prepares it"
    created, volume = made
    now = sm.describe_space(DomainId=domain_id, SpaceName=space_name)["CreationTime"]
    if now != created or _volume_id(domain_id, space_name) != volume:
        return (
            f"'{space_name}' is a new space (created {now:%H:%M:%S}, not {created:%H:%M:%S}) "
            "with a new, empty volume (to start again from the space you were given, restart "
            "the kernel and run the lab from the top)"
        )
    return None


# --- exercise 4: a refused call ------------------------------------------------------


def refused_call(sm, domain_id: str, v: Variant) -> tuple[str, ClientError]:
    """Set up the learner's situation, make the call that AWS refuses, and return the call
    as written and the error it raised."""
    space = v.refusal_space
    listed = sm.list_spaces(DomainIdEquals=domain_id, SpaceNameContains=space)["Spaces"]
    if not any(s["SpaceName"] == space for s in listed):  # the cell may run twice
        sm.create_space(
            DomainId=domain_id,
            SpaceName=space,
            OwnershipSettings={"OwnerUserProfileName": v.colleague},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "JupyterLab"},
        )
    key = dict(DomainId=domain_id, SpaceName=space, AppType="JupyterLab")
    apps = sm.list_apps(DomainIdEquals=domain_id, SpaceNameEquals=space)["Apps"]
    if v.refusal in ("second-app", "app-type") and not any(
        a["Status"] == "InService" for a in apps
    ):
        sm.create_app(**key, AppName="default")
        wait_for_status(sm.describe_app, "InService", **key, AppName="default")
    if v.refusal == "second-app":
        call = (
            f"sm.create_app(DomainId=course_id, SpaceName={space!r}, AppType='JupyterLab', "
            "AppName='second')"
        )
        attempt = lambda: sm.create_app(**key, AppName="second")  # noqa: E731
    elif v.refusal == "name-taken":
        call = (
            f"sm.create_space(DomainId=course_id, SpaceName={space!r}, "
            f"OwnershipSettings={{'OwnerUserProfileName': {v.owner!r}}}, "
            "SpaceSharingSettings={'SharingType': 'Private'}, "
            "SpaceSettings={'AppType': 'JupyterLab'})"
        )
        attempt = lambda: sm.create_space(  # noqa: E731
            DomainId=domain_id,
            SpaceName=space,
            OwnershipSettings={"OwnerUserProfileName": v.owner},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "JupyterLab"},
        )
    elif v.refusal == "app-type":
        call = (
            f"sm.update_space(DomainId=course_id, SpaceName={space!r}, "
            "SpaceSettings={'AppType': 'CodeEditor'})"
        )
        attempt = lambda: sm.update_space(  # noqa: E731
            DomainId=domain_id, SpaceName=space, SpaceSettings={"AppType": "CodeEditor"}
        )
    else:  # quota: the account may run no JupyterLab app on a GPU type
        set_quota("ml.g4dn.xlarge", 0)
        call = (
            f"sm.create_app(DomainId=course_id, SpaceName={space!r}, AppType='JupyterLab', "
            "AppName='default', ResourceSpec={'InstanceType': 'ml.g4dn.xlarge'})"
        )
        attempt = lambda: sm.create_app(  # noqa: E731
            **key, AppName="default", ResourceSpec={"InstanceType": "ml.g4dn.xlarge"}
        )
    try:
        attempt()
    except ClientError as error:  # the refusal is the point: hand it to the learner
        return call, error
    raise AssertionError(f"the lab expected AWS to refuse {call}, and it did not")
