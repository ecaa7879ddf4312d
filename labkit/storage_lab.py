"""The storage lab's variant: one learner's owners, sizes, team needs, subnets and counts.

Everything the checks compare against is regenerated here from the learner's student id
(``labkit.rng("storage")``), never read from notebook variables a learner could have
changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio_mock.models.common import DEFAULT_EBS_GB, MAXIMUM_EBS_GB

from . import PEOPLE, rng

LAB = "storage"

_TOPICS = ("scans", "traffic", "genomes", "satellite", "audio", "logs", "reviews", "sensors")

# Exercise 5: the illustrative latencies the lab's text states (milliseconds per metadata
# operation); round numbers, the same for everyone.
EBS_MS = 0.5
EFS_MS = 5.0


@dataclass(frozen=True)
class Variant:
    """One learner's storage lab."""

    student: str
    owner: str  # the user profile whose private space exercise 1 is about
    colleague: str  # a second user profile, whose limits exercise 1 must leave alone
    # exercise 1: a volume the domain's maximum does not allow
    data_space: str
    data_gb: int  # the data the work keeps on the volume
    room_gb: int  # and the room it needs for its outputs
    # exercise 2: the team's needs, from which the domain's four limits follow
    private_usual: tuple[int, int]  # (data GB, outputs GB) of most people's private work
    private_largest: tuple[int, int]  # the same for the largest private work
    shared_member_gb: int  # what each member keeps in a shared project
    shared_usual_members: int
    shared_largest_members: int
    # exercise 3: sizes the check grows a volume through
    grow_from: int
    grow_to: int
    shrink_ask: int
    over_max: int
    # exercise 4: which of the default VPC's subnets the check's domains use (indices into
    # their sorted ids), and which of them already has a mount target
    subnet_picks: tuple[int, ...]
    kept_pick: int
    # exercise 5: a pip install's file operations
    files: int
    ops_per_file: int

    @property
    def volume_gb(self) -> int:
        """Exercise 1's size: the data and the room, not a gigabyte more (a volume is billed
        whole, and can grow later)."""
        return self.data_gb + self.room_gb

    @property
    def limits(self) -> dict[str, tuple[int, int]]:
        """Exercise 2's answer: (default, maximum) GB for private and for shared spaces.
        The default fits the usual need with nobody asking; the maximum lets the largest fit."""
        return {
            "private": (sum(self.private_usual), sum(self.private_largest)),
            "shared": (
                self.shared_usual_members * self.shared_member_gb,
                self.shared_largest_members * self.shared_member_gb,
            ),
        }

    @property
    def operations(self) -> int:
        return self.files * self.ops_per_file

    @property
    def ebs_seconds(self) -> float:
        return self.operations * EBS_MS / 1000

    @property
    def efs_seconds(self) -> float:
        return self.operations * EFS_MS / 1000

    def team_needs(self) -> str:
        """Exercise 2's needs, as the lab prints them."""
        (pd, po), (ld, lo) = self.private_usual, self.private_largest
        each = self.shared_member_gb
        return "\n".join(
            [
                f"private work, usual:    {pd} GB of data + {po} GB of outputs",
                f"private work, largest:  {ld} GB of data + {lo} GB of outputs",
                f"shared project, usual:  {self.shared_usual_members} members, {each} GB each",
                f"shared project, largest: {self.shared_largest_members} members, {each} GB each",
            ]
        )


def variant(student: str | None = None) -> Variant:
    """This learner's lab (the current student id unless ``student`` is given)."""
    r = rng(LAB, student)
    owner, colleague = r.sample(PEOPLE, 2)
    topic = r.choice(_TOPICS)
    grow_from = r.randint(6, 20)
    grow_to = r.randint(grow_from + 10, 90)
    picks = tuple(sorted(r.sample(range(6), r.randint(2, 5))))
    return Variant(
        student=student or _current(),
        owner=owner,
        colleague=colleague,
        data_space=f"{owner}-{topic}",
        # always above the domain's maximum, so that the size alone is refused
        data_gb=r.randint(MAXIMUM_EBS_GB - 15, MAXIMUM_EBS_GB + 60),
        room_gb=r.randint(16, 40),
        private_usual=(r.randint(6, 20), r.randint(3, 10)),
        private_largest=(5 * r.randint(24, 60), 5 * r.randint(2, 8)),
        shared_member_gb=r.randint(8, 25),
        shared_usual_members=r.randint(3, 5),
        shared_largest_members=r.randint(8, 16),
        grow_from=grow_from,
        grow_to=grow_to,
        shrink_ask=r.randint(5, grow_to - 1),
        over_max=r.randint(MAXIMUM_EBS_GB + 1, 2 * MAXIMUM_EBS_GB),
        subnet_picks=picks,
        kept_pick=r.randrange(len(picks)),
        files=500 * r.randint(30, 120),
        ops_per_file=r.randint(2, 6),
    )


def _current() -> str:
    from . import student_id

    return student_id()


def private_limits(sm, domain_id: str, profile: str) -> tuple[int, int]:
    """(default, maximum) GB of ``profile``'s private spaces, read as AWS applies them:
    the profile's own UserSettings, else the domain's DefaultUserSettings, else the
    defaults (5 GB, and the course's assumed 100 GB maximum)."""
    path = ("SpaceStorageSettings", "DefaultEbsStorageSettings")
    levels = [
        sm.describe_user_profile(DomainId=domain_id, UserProfileName=profile).get(
            "UserSettings", {}
        ),
        sm.describe_domain(DomainId=domain_id).get("DefaultUserSettings", {}),
    ]
    default = maximum = None
    for level in levels:
        found = level
        for key in path:
            found = (found or {}).get(key)
        if found:
            default = default or found.get("DefaultEbsVolumeSizeInGb")
            maximum = maximum or found.get("MaximumEbsVolumeSizeInGb")
    return default or DEFAULT_EBS_GB, maximum or MAXIMUM_EBS_GB
