"""The policy lab's world, and the judge that tries a learner's policy on it.

A learner writes IAM policy documents; the checks put each one on the roles of several
users and decide a matrix of requests (user x action x space) with the mock's own
evaluator (``studio_mock.access.decide``: the same resource ARNs and condition keys as
the mock's API calls). A request decided otherwise than the requirement says is a
*counterexample*, reported in plain words.

Everything a check relies on is regenerated here from the learner's student id
(``labkit.rng("policy")``) and from the mock itself, never read from notebook variables
a learner could have changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import boto3

from studio_mock.access import Caller, decide
from studio_mock.iam import Evaluation, Policy, PolicyError, load_policy

from . import NOTEBOOKS, PEOPLE, rng

LAB = "policy"
ROLE = "StudioUserRole"
_ROLE_ARN = "arn:aws:iam::{account}:role/" + ROLE

_TEAMS = (
    "vision", "nlp", "forecast", "genomics", "fraud", "churn", "search", "robotics",
    "speech", "pricing",
)  # fmt: skip
# The bugs of the colleague's policy in the diagnosis exercise (see colleague_policy).
BUGS = (
    "space-arn",
    "user-in-app-arn",
    "lowercase-shared",
    "owner-on-shared",
    "deny-without-sharing-type",
    "deny-wildcard-action",
)


@dataclass(frozen=True)
class Space:
    name: str
    owner: str
    sharing: str  # "Private" or "Shared"
    domain: str  # the domain's name

    def words(self, main_domain: str) -> str:
        """ "ana's shared space 'vision-eda'" (and which domain, if not the team's)."""
        where = "" if self.domain == main_domain else f" in the other domain '{self.domain}'"
        return f"{self.owner}'s {self.sharing.lower()} space '{self.name}'{where}"


@dataclass(frozen=True)
class Variant:
    """One learner's lab: who, which spaces, and which rules and bugs."""

    student: str
    domain: str  # the team's domain
    other_domain: str  # a second domain whose users have the same role
    owner: str  # in the team's domain: owns spaces
    member: str  # in the team's domain: owns spaces too
    newcomer: str  # in the team's domain: owns nothing
    outsider: str  # in the other domain
    spaces: tuple[Space, ...]
    members_update_shared: bool  # exercise 2: may any member update a shared space?
    bug: str  # exercise 4: what is wrong with the colleague's policy

    @property
    def team(self) -> tuple[str, str, str]:
        return (self.owner, self.member, self.newcomer)

    @property
    def users(self) -> tuple[str, ...]:
        return (*self.team, self.outsider)

    def domain_of(self, user: str) -> str:
        return self.other_domain if user == self.outsider else self.domain

    def space(self, owner: str, sharing: str) -> Space:
        return next(s for s in self.spaces if s.owner == owner and s.sharing == sharing)


def variant(student: str | None = None) -> Variant:
    """The learner's variant (``labkit.student_id()`` unless ``student`` is given)."""
    from . import student_id

    random = rng(LAB, student)
    owner, member, newcomer, outsider = random.sample(PEOPLE, 4)
    team, other_team = random.sample(_TEAMS, 2)
    domain, other_domain = f"{team}-lab", f"{other_team}-lab"
    topics = random.sample(NOTEBOOKS, 5)
    spaces = (
        Space(f"{owner}-{topics[0]}", owner, "Private", domain),
        Space(f"{team}-{topics[1]}", owner, "Shared", domain),
        Space(f"{member}-{topics[2]}", member, "Private", domain),
        Space(f"{team}-{topics[3]}", member, "Shared", domain),
        Space(f"{other_team}-{topics[4]}", outsider, "Shared", other_domain),
        Space(f"{outsider}-{topics[0]}", outsider, "Private", other_domain),
    )
    return Variant(
        student=student or student_id(),
        domain=domain,
        other_domain=other_domain,
        owner=owner,
        member=member,
        newcomer=newcomer,
        outsider=outsider,
        spaces=spaces,
        members_update_shared=random.random() < 0.5,
        bug=random.choice(BUGS),
    )


@dataclass(frozen=True)
class World:
    """A variant made real in the mock: its domains' ids, the account and Region."""

    variant: Variant
    domain_ids: dict[str, str]  # domain name -> id
    account: str
    region: str

    @property
    def arn_prefix(self) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.account}"

    def profile_arn(self, user: str, domain: str | None = None) -> str:
        domain_id = self.domain_ids[domain or self.variant.domain_of(user)]
        return f"{self.arn_prefix}:user-profile/{domain_id}/{user}"


def build(sm: Any, v: Variant) -> World:
    """Create the variant's two domains, profiles and spaces with the admin client."""
    ids = {}
    for name in (v.domain, v.other_domain):
        ids[name] = sm.create_domain(
            DomainName=name,
            AuthMode="IAM",
            DefaultUserSettings={"ExecutionRole": _ROLE_ARN.format(account="123456789012")},
        )["DomainId"]
    for user in v.users:
        sm.create_user_profile(DomainId=ids[v.domain_of(user)], UserProfileName=user)
    for space in v.spaces:
        sm.create_space(
            DomainId=ids[space.domain],
            SpaceName=space.name,
            OwnershipSettings={"OwnerUserProfileName": space.owner},
            SpaceSharingSettings={"SharingType": space.sharing},
            SpaceSettings={"AppType": "JupyterLab"},
        )
    return world(v, sm)


def world(v: Variant | None = None, sm: Any = None) -> World:
    """The variant's world as the mock holds it, found by the domains' names."""
    v = v or variant()
    sm = sm or boto3.client("sagemaker")
    found = {d["DomainName"]: d for d in sm.list_domains(MaxResults=100)["Domains"]}
    missing = [n for n in (v.domain, v.other_domain) if n not in found]
    if missing:
        raise LookupError(
            f"The lab's domains {missing} are gone from the mock. Run the lab again from "
            "the top (Kernel -> Restart Kernel and Run All Cells)."
        )
    arn = found[v.domain]["DomainArn"].split(":")
    return World(v, {n: found[n]["DomainId"] for n in (v.domain, v.other_domain)}, arn[4], arn[3])


# ------------------------------------------------------------------ requests


@dataclass(frozen=True)
class Request:
    """One thing a user tries. ``space`` is the space it touches; for CreateSpace, the
    space to be created; for CreatePresignedDomainUrl, ``profile`` is who to sign in as;
    ``app`` is "space" (the space's JupyterLab app) or "canvas" (the user's own)."""

    user: str
    action: str
    space: Space | None = None
    profile: str | None = None
    app: str = "space"

    def words(self, main_domain: str) -> str:
        if self.action == "ListSpaces":
            return f"{self.user} lists the spaces"
        if self.action == "CreatePresignedDomainUrl":
            if self.profile == self.user:
                return f"{self.user} opens Studio as themselves (CreatePresignedDomainUrl)"
            return f"{self.user} opens Studio as {self.profile} (CreatePresignedDomainUrl)"
        if self.app == "canvas":
            return f"{self.user} starts their own Canvas app (CreateApp)"
        assert self.space is not None
        verb = {
            "CreateApp": "starts (CreateApp) the app of",
            "DeleteApp": "stops (DeleteApp) the app of",
            "CreateSpace": "creates (CreateSpace)",
            "UpdateSpace": "updates (UpdateSpace)",
            "DeleteSpace": "deletes (DeleteSpace)",
            "DescribeSpace": "describes (DescribeSpace)",
        }[self.action]
        return f"{self.user} {verb} {self.space.words(main_domain)}"


@dataclass(frozen=True)
class Case:
    request: Request
    allowed: bool  # what the requirement says
    rule: str  # the requirement's words for it


def _resource_and_keys(w: World, r: Request) -> tuple[str, dict[str, Any]]:
    """The ARN and condition keys the mock's API puts in this request."""
    if r.action == "ListSpaces":
        return "*", {}
    if r.action == "CreatePresignedDomainUrl":
        return w.profile_arn(r.profile or r.user, w.variant.domain_of(r.user)), {}
    if r.app == "canvas":  # an app of a user profile, not of a space: no space keys
        domain_id = w.domain_ids[w.variant.domain_of(r.user)]
        return f"{w.arn_prefix}:app/{domain_id}/{r.user}/canvas/default", {}
    assert r.space is not None
    domain_id = w.domain_ids[r.space.domain]
    keys = {
        "sagemaker:SpaceSharingType": r.space.sharing,
        "sagemaker:OwnerUserProfileArn": w.profile_arn(r.space.owner, r.space.domain),
    }
    if r.action in ("CreateApp", "DeleteApp"):
        return f"{w.arn_prefix}:app/{domain_id}/{r.space.name}/jupyterlab/default", keys
    return f"{w.arn_prefix}:space/{domain_id}/{r.space.name}", keys


def judge(policy: Policy | dict[str, Any] | str, w: World, r: Request) -> Evaluation:
    """The mock's decision on one request, the user's role having ``policy`` (a loaded
    Policy, or a document as a dict or JSON text)."""
    if not isinstance(policy, Policy):
        policy = load_policy(policy, "your policy")
    caller = Caller(
        w.account, w.region, w.domain_ids[w.variant.domain_of(r.user)], r.user, ROLE, policy
    )
    resource, keys = _resource_and_keys(w, r)
    return decide(caller, r.action, resource, keys)


def matrix(
    w: World,
    actions: Iterable[str],
    rule: Callable[[str, str, Space], tuple[bool, str]],
    users: Iterable[str] | None = None,
    spaces: Iterable[Space] | None = None,
) -> list[Case]:
    """Every user x space x action, each decided by ``rule(user, action, space)``, which
    returns (allowed?, the requirement's words)."""
    chosen = tuple(spaces or w.variant.spaces)
    return [
        Case(Request(user, action, space), *rule(user, action, space))
        for user in (users or w.variant.users)
        for space in chosen
        for action in actions
    ]


def counterexamples(policy: Policy, w: World, cases: Iterable[Case]) -> list[str]:
    """Each case the policy decides otherwise than the requirement, in words: one for
    each broken rule first, then the rest."""
    first, rest, rules = [], [], set()
    for case in cases:
        result = judge(policy, w, case.request)
        if result.allowed == case.allowed:
            continue
        what = case.request.words(w.variant.domain)
        if result.allowed:
            text = (
                f"{what}: your policy allows it ({result.statement.label}), "
                f"but the requirement says: {case.rule}."
            )
        else:
            how = "an explicit deny" if result.statement else "no statement allows it"
            by = f" in {result.statement.label}" if result.statement else ""
            text = (
                f"{what}: your policy refuses it ({how}{by}), but the requirement says: "
                f"{case.rule}."
            )
        (rest if case.rule in rules else first).append(text)
        rules.add(case.rule)
    return first + rest


def verdict(document: Any, w: World, cases: Sequence[Case], shown: int = 3) -> str:
    """ "" when the policy meets every case, else the first counterexamples in words.
    An invalid policy is reported as IAM would refuse it."""
    try:
        policy = load_policy(document, "your policy")
    except (PolicyError, TypeError, FileNotFoundError) as err:
        return f"IAM would not accept this policy. {err}"
    wrong = counterexamples(policy, w, cases)
    if not wrong:
        return ""
    text = f"{len(wrong)} of {len(cases)} requests are decided against the requirement:"
    text += "".join(f"\n  - {line}" for line in wrong[:shown])
    if len(wrong) > shown:
        text += f"\n  ... and {len(wrong) - shown} more."
    if policy.warnings:
        text += "\nThe policy is valid, but:" + "".join(f"\n  - {p}" for p in policy.warnings)
    return text


# ------------------------------------------------------------------ the colleague's policy


def colleague_policy(w: World) -> dict[str, Any]:
    """A policy meant to meet exercise 1's requirement, with the variant's one bug."""
    bug, arn = w.variant.bug, w.arn_prefix
    me = arn + ":user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}"
    shared = {
        "Sid": "SharedSpaceApps",
        "Effect": "Allow",
        "Action": ["sagemaker:CreateApp", "sagemaker:DeleteApp"],
        "Resource": arn + ":app/${sagemaker:DomainId}/*",
        "Condition": {"StringEquals": {"sagemaker:SpaceSharingType": "Shared"}},
    }
    if bug == "space-arn":
        shared["Resource"] = arn + ":space/${sagemaker:DomainId}/*"
    elif bug == "user-in-app-arn":
        shared["Resource"] = arn + ":app/${sagemaker:DomainId}/${sagemaker:UserProfileName}/*"
    elif bug == "lowercase-shared":
        shared["Condition"] = {"StringEquals": {"sagemaker:SpaceSharingType": "shared"}}
    elif bug == "owner-on-shared":
        shared["Condition"] = {
            "StringEquals": {"sagemaker:SpaceSharingType": "Shared"},
            "ArnLike": {"sagemaker:OwnerUserProfileArn": me},
        }
    statements: list[dict[str, Any]] = [
        {
            "Sid": "SeeSpaces",
            "Effect": "Allow",
            "Action": ["sagemaker:ListSpaces", "sagemaker:DescribeSpace"],
            "Resource": "*",
        },
        {
            "Sid": "OpenStudioAsYourself",
            "Effect": "Allow",
            "Action": "sagemaker:CreatePresignedDomainUrl",
            "Resource": me,
        },
        shared,
        {
            "Sid": "OwnPrivateSpaceApps",
            "Effect": "Allow",
            "Action": ["sagemaker:CreateApp", "sagemaker:DeleteApp"],
            "Resource": arn + ":app/${sagemaker:DomainId}/*",
            "Condition": {
                "StringEquals": {"sagemaker:SpaceSharingType": "Private"},
                "ArnLike": {"sagemaker:OwnerUserProfileArn": me},
            },
        },
    ]
    if bug == "deny-without-sharing-type":
        statements.append(
            {
                "Sid": "ProtectPrivateSpaces",
                "Effect": "Deny",
                "Action": ["sagemaker:CreateApp", "sagemaker:DeleteApp"],
                "Resource": "*",
                "Condition": {"ArnNotLike": {"sagemaker:OwnerUserProfileArn": me}},
            }
        )
    elif bug == "deny-wildcard-action":
        statements.append(
            {
                "Sid": "NoChangesToOthersSpaces",
                "Effect": "Deny",
                "Action": ["sagemaker:Create*", "sagemaker:Update*", "sagemaker:Delete*"],
                "Resource": arn + ":*",
                "Condition": {"ArnNotLike": {"sagemaker:OwnerUserProfileArn": me}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
