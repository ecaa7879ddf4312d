"""The domains lab's variant: one learner's team, its needs, its people and roles.

Everything the checks compare against is regenerated here from the learner's student id
(``labkit.rng("domains")``), never read from notebook variables a learner could have
changed.

Exercise 1 is a decision: the team's brief says how its people sign in and what it keeps
where, and the learner chooses ``AuthMode`` and ``HomeEfsFileSystemCreation`` from it.
The example domain the lab shows (IAM, and the default Enabled EFS) is never a team's
right answer, so copying the example's settings fails for every learner.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import PEOPLE, rng

LAB = "domains"
ACCOUNT = "123456789012"

_TEAMS = (
    "churn", "vision", "forecast", "genomics", "fraud", "speech", "pricing", "search",
    "retail", "climate", "robotics", "ledger",
)  # fmt: skip
_KINDS = ("studio", "ml", "lab", "research", "models")
# Exercise 2: the project that needs a role of its own (the data only that role may read).
_PROJECTS = (
    ("payroll forecast", "Payroll"),
    ("patient records study", "Clinical"),
    ("card fraud model", "Cards"),
    ("legal documents search", "Legal"),
    ("HR attrition model", "People"),
    ("audit sampling", "Audit"),
)

# Exercise 1: the sentences a team's brief is made of, each with the setting it implies.
# A variant holds only the sentences' positions, so that printing it shows no answer.
SIGN_IN: tuple[tuple[str, str], ...] = (
    (
        "Each member has an IAM user of their own and opens Studio from the SageMaker console.",
        "IAM",
    ),
    (
        "The team's course portal opens Studio for each member with a presigned link that "
        "a small script makes (CreatePresignedDomainUrl).",
        "IAM",
    ),
    (
        "Members sign in to the AWS console with their IAM users; the company has not set up "
        "IAM Identity Center.",
        "IAM",
    ),
    (
        "The company keeps its people in IAM Identity Center: members sign in through the "
        "AWS access portal with their company account, and have no IAM users.",
        "SSO",
    ),
    (
        "Members have no IAM users: they use the company's single sign-on, which is "
        "connected to IAM Identity Center, and each should find Studio in their access "
        "portal.",
        "SSO",
    ),
)
HOME_EFS: tuple[tuple[str, str], ...] = (
    (
        "Each member wants a folder of their own that shows up in every one of their "
        "private spaces (the home EFS folder Studio mounts automatically).",
        "Enabled",
    ),
    (
        "The team moves from Studio Classic, where everything lived on the home EFS, and "
        "wants each member's own EFS folder to show up in their private spaces.",
        "Enabled",
    ),
    (
        "The team is new to Studio and never used Studio Classic: it keeps its work on each "
        "space's own volume and in S3, and wants no file system it does not use.",
        "Disabled",
    ),
    (
        "Nobody on the team will use an EFS folder: notebooks live on the spaces' volumes "
        "and data in S3. Skip anything that would sit unused.",
        "Disabled",
    ),
)
# (AuthMode, HomeEfsFileSystemCreation) a team may need: never the example's IAM + Enabled.
CHOICES = (("IAM", "Disabled"), ("SSO", "Enabled"), ("SSO", "Disabled"))


@dataclass(frozen=True)
class Variant:
    """One learner's domains lab."""

    student: str
    # exercise 1: the team's domain, chosen from its brief
    team: str
    domain_name: str
    team_role: str
    sign_in: int  # the brief's sentence on signing in (a position in SIGN_IN)
    efs: int  # and on what the team keeps where (in HOME_EFS)
    # exercise 2: two profiles in the course domain, one with a role of its own
    profiles: tuple[str, str]
    own_role_profile: str
    own_role: str
    project: str
    # exercise 3: the hidden check's domain, profiles and roles
    check_default_role: str
    check_new_role: str
    check_plain: str
    check_custom: str
    check_custom_role: str
    check_missing: str

    @property
    def auth_mode(self) -> str:
        """Exercise 1's AuthMode: what the brief's way of signing in needs."""
        return SIGN_IN[self.sign_in][1]

    @property
    def home_efs(self) -> str:
        """Exercise 1's HomeEfsFileSystemCreation: what the brief's use of files needs."""
        return HOME_EFS[self.efs][1]

    @property
    def default_profile(self) -> str:
        """Exercise 2's profile that keeps the domain's default role."""
        return next(p for p in self.profiles if p != self.own_role_profile)

    def brief(self) -> str:
        return (
            f"Team {self.team}: its domain is {self.domain_name}, its members' code runs as "
            f"{self.team_role}.\n- How members sign in: {SIGN_IN[self.sign_in][0]}\n"
            f"- What they keep where: {HOME_EFS[self.efs][0]}"
        )

    def profiles_brief(self) -> str:
        a, b = self.profiles
        return (
            f"{a} and {b} join the course domain. {self.own_role_profile} works on the "
            f"{self.project}, whose data only {self.own_role} may read; "
            f"{self.default_profile} works on the course's shared data, with the domain's role."
        )


def _role(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def variant(student: str | None = None) -> Variant:
    """This learner's lab (the current student id unless ``student`` is given)."""
    r = rng(LAB, student)
    team = r.choice(_TEAMS)
    auth_mode, home_efs = r.choice(CHOICES)
    people = r.sample(PEOPLE, 5)
    project, role_word = r.choice(_PROJECTS)
    check_words = r.sample(("Alpha", "Bravo", "Delta", "Echo", "Kilo", "Lima", "Tango"), 3)
    cap = team.capitalize()
    own = r.choice(people[:2])
    return Variant(
        student=student or _current(),
        team=team,
        domain_name=f"{team}-{r.choice(_KINDS)}-{r.randint(10, 99)}",
        team_role=_role(f"{cap}StudioRole{r.randint(1, 9)}"),
        sign_in=r.choice([i for i, (_, mode) in enumerate(SIGN_IN) if mode == auth_mode]),
        efs=r.choice([i for i, (_, choice) in enumerate(HOME_EFS) if choice == home_efs]),
        profiles=(people[0], people[1]),
        own_role_profile=own,
        own_role=_role(f"{role_word}{own.capitalize()}Role{r.randint(1, 99)}"),
        project=project,
        check_default_role=_role(f"{check_words[0]}Default{r.randint(100, 999)}"),
        check_new_role=_role(f"{check_words[1]}NewDefault{r.randint(100, 999)}"),
        check_plain=f"{people[2]}-plain",
        check_custom=f"{people[3]}-own",
        check_custom_role=_role(f"{check_words[2]}Own{r.randint(100, 999)}"),
        check_missing=f"{people[4]}-gone",
    )


def _current() -> str:
    from . import student_id

    return student_id()
