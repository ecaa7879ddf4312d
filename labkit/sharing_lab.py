"""The sharing lab's world, and the record of a learner's prediction.

Each learner's domain has their own people, space names, sharing types, running states
and volume sizes, drawn from ``labkit.rng("sharing")``. The hidden checks regenerate the
expected answers here, from the student id, never from notebook variables.

Exercise 3 is *predict, then verify*: the learner writes ``predict_denied(attempt)``,
their model of IAM, and ``predict`` records what it says about each attempt **while
every AWS call is refused**; ``verify`` shows the truth (the mock tries each attempt)
only after a prediction is recorded, and the hidden check scores the recorded
prediction. What this can and cannot enforce:

- the grader re-runs the submitted notebook top to bottom in a fresh kernel, so the only
  prediction it can score is the one the notebook's cells record in that run, before
  that run's verify cell;
- a prediction that *tries* the attempts (a call as the user, or ``truth``) fails while
  ``predict`` runs it, and ``predict`` records nothing once ``truth`` has run in the
  kernel before a prediction (say, at the top of the answer cell, its result kept for
  the function to read), so "try every action in code and hand in the outcomes" earns
  nothing in the graded run;
- in one kernel, once ``verify`` has shown the outcomes, ``predict`` refuses a new
  prediction: changing a prediction after seeing the truth takes a kernel restart;
- everything in a kernel can be changed by the code of the answer cell: a learner who
  reloads this module to clear its record, or who rebuilds each attempt with their own
  calls at the top of the answer cell, gets past these checks; they close the easy
  routes, not every route;
- what no notebook can stop: a learner who has seen the outcomes (here, or by trying the
  calls by hand in a scratch cell), restarts the kernel and writes the labels into their
  function. Grading sees only the final notebook, not how it was written. Nor can it stop
  a learner who reads this file's rules instead of the book's: the same rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import NOTEBOOKS, PEOPLE, rng, student_id

LAB = "sharing"
ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"
_TEAMS = ("vision", "nlp", "forecast", "genomics", "fraud", "churn", "search", "speech")
_SIZES = (5, 10, 15, 20, 25, 30, 40, 50, 75, 100)


@dataclass(frozen=True)
class Space:
    name: str
    owner: str
    sharing: str  # "Private" or "Shared"
    running: bool
    ebs_gb: int


@dataclass(frozen=True)
class Variant:
    """One learner's domain: three people and their spaces."""

    student: str
    team: str
    owner: str  # owns a running private space and a shared space
    peer: str  # owns a private and a shared space; Exercise 3 acts as this user
    newcomer: str  # owns nothing
    spaces: tuple[Space, ...]
    pair: str  # the shared space of Exercise 5, created by peer
    action_labels: tuple[str, ...]  # Exercise 3's actions, in the order shown

    @property
    def people(self) -> tuple[str, str, str]:
        return (self.owner, self.peer, self.newcomer)

    def space(self, name: str) -> Space:
        (found,) = [s for s in self.spaces if s.name == name]
        return found

    def first(self, owner: str, sharing: str) -> Space:
        return next(s for s in self.spaces if s.owner == owner and s.sharing == sharing)

    def listed_in_studio(self, profile: str) -> set[str]:
        """Exercise 1: what the Studio UI of ``profile`` lists."""
        me = profile.lower()
        return {s.name for s in self.spaces if s.sharing == "Shared" or s.owner == me}

    def may_delete(self, profile: str) -> set[str]:
        """Exercise 2: what ``profile`` may delete under the recommended policy."""
        return {s.name for s in self.spaces if s.owner == profile.lower()}


def variant(student: str | None = None) -> Variant:
    random = rng(LAB, student)
    owner, peer, newcomer = random.sample(PEOPLE, 3)
    team = random.choice(_TEAMS)
    topics = random.sample(NOTEBOOKS, 7)
    sizes = [random.choice(_SIZES) for _ in range(7)]
    spaces = [
        Space(f"{owner}-{topics[0]}", owner, "Private", True, sizes[0]),
        Space(f"{peer}-{topics[1]}", peer, "Private", random.random() < 0.5, sizes[1]),
        Space(f"{team}-{topics[2]}", owner, "Shared", False, sizes[2]),
        Space(f"{team}-{topics[3]}", peer, "Shared", random.random() < 0.5, sizes[3]),
    ]
    for i in range(4, 4 + random.randint(0, 2)):  # a few more, anyone's, either kind
        who, sharing = random.choice((owner, peer)), random.choice(("Private", "Shared"))
        prefix = team if sharing == "Shared" else who
        spaces.append(Space(f"{prefix}-{topics[i]}", who, sharing, random.random() < 0.5, sizes[i]))
    random.shuffle(spaces)
    v = Variant(student or student_id(), team, owner, peer, newcomer, tuple(spaces), "", ())
    chosen = [a.label for a, _ in random.sample(_pool(v), 8)]  # 8 of 15, in a random order
    return Variant(
        v.student, team, owner, peer, newcomer, v.spaces, f"pair-{topics[6]}", tuple(chosen)
    )


def build(sm: Any, v: Variant, name: str, only: set[str] | None = None) -> str:
    """Create the variant's domain (profiles, spaces, running apps); return its id.
    ``only``: create only these of its spaces (a smaller copy, where others do not
    matter)."""
    domain_id = sm.create_domain(
        DomainName=name, AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    for person in v.people:
        sm.create_user_profile(DomainId=domain_id, UserProfileName=person)
    for s in v.spaces:
        if only is not None and s.name not in only:
            continue
        sm.create_space(
            DomainId=domain_id,
            SpaceName=s.name,
            OwnershipSettings={"OwnerUserProfileName": s.owner},
            SpaceSharingSettings={"SharingType": s.sharing},
            SpaceSettings={
                "AppType": "JupyterLab",
                "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": s.ebs_gb}},
            },
        )
        if s.running:
            sm.create_app(
                DomainId=domain_id, SpaceName=s.name, AppType="JupyterLab", AppName="default"
            )
    return domain_id


# ------------------------------------------------------------------ Exercise 3


@dataclass(frozen=True)
class Attempt:
    """One thing the peer tries, as facts a prediction may use (not a call to make)."""

    label: str
    operation: str  # the API operation, e.g. "CreateApp"
    words: str
    space: str | None = None  # the space it touches (or creates)
    space_owner: str | None = None  # that space's owner (for CreateSpace: the owner asked)
    sharing: str | None = None  # that space's sharing type
    profile: str | None = None  # for CreatePresignedDomainUrl: the profile it signs in as


Call = Callable[[Any, str], Any]  # (the peer's client, domain id) -> response


def _app(space: str) -> dict[str, str]:
    return {"SpaceName": space, "AppType": "JupyterLab", "AppName": "default"}


def _new_space(name: str, owner: str) -> Call:
    return lambda c, d: c.create_space(
        DomainId=d,
        SpaceName=name,
        OwnershipSettings={"OwnerUserProfileName": owner},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={"AppType": "JupyterLab"},
    )


def _pool(v: Variant) -> list[tuple[Attempt, Call]]:
    """Everything the peer might try, each with the call that tries it. On purpose, the
    lab keeps no list of which are denied: the truth is what the mock answers (``truth``),
    and a prediction is made from the rules."""
    me, him = v.peer, v.owner
    o_priv, o_shared = v.first(him, "Private"), v.first(him, "Shared")
    p_priv, p_shared = v.first(me, "Private"), v.first(me, "Shared")
    verb, call = ("stop", "delete_app") if p_priv.running else ("start", "create_app")

    def on(space: Space, label: str, operation: str, words: str) -> Attempt:
        return Attempt(
            f"{label}-{space.name}", operation, words, space.name, space.owner, space.sharing
        )

    return [
        (
            on(o_priv, "open", "CreatePresignedDomainUrl", f"open {him}'s private space"),
            lambda c, d: c.create_presigned_domain_url(
                DomainId=d, UserProfileName=me, SpaceName=o_priv.name
            ),
        ),
        (
            on(o_priv, "stop", "DeleteApp", f"stop {him}'s running private space"),
            lambda c, d: c.delete_app(DomainId=d, **_app(o_priv.name)),
        ),
        (
            on(o_priv, "delete", "DeleteSpace", f"delete {him}'s private space"),
            lambda c, d: c.delete_space(DomainId=d, SpaceName=o_priv.name),
        ),
        (
            on(o_shared, "rename", "UpdateSpace", f"rename the shared space {him} created"),
            lambda c, d: c.update_space(
                DomainId=d, SpaceName=o_shared.name, SpaceDisplayName=f"{me}'s now"
            ),
        ),
        (
            Attempt(
                f"create-private-for-{him}",
                "CreateSpace",
                f"create a private space owned by {him}",
                f"gift-for-{him}",
                him,
                "Private",
            ),
            _new_space(f"gift-for-{him}", him),
        ),
        (
            Attempt(
                f"open-studio-as-{him}",
                "CreatePresignedDomainUrl",
                f"open Studio signed in as {him}",
                profile=him,
            ),
            lambda c, d: c.create_presigned_domain_url(DomainId=d, UserProfileName=him),
        ),
        (
            Attempt("change-domain-role", "UpdateDomain", "change the domain's execution role"),
            lambda c, d: c.update_domain(DomainId=d, DefaultUserSettings={"ExecutionRole": ROLE}),
        ),
        (
            Attempt("list-spaces", "ListSpaces", "list the domain's spaces"),
            lambda c, d: c.list_spaces(DomainIdEquals=d),
        ),
        (
            on(o_priv, "describe", "DescribeSpace", f"describe {him}'s private space"),
            lambda c, d: c.describe_space(DomainId=d, SpaceName=o_priv.name),
        ),
        (
            on(o_shared, "start", "CreateApp", f"start the shared space {him} created"),
            lambda c, d: c.create_app(DomainId=d, **_app(o_shared.name)),
        ),
        (
            on(
                o_shared, "open", "CreatePresignedDomainUrl", f"open the shared space {him} created"
            ),
            lambda c, d: c.create_presigned_domain_url(
                DomainId=d, UserProfileName=me, SpaceName=o_shared.name
            ),
        ),
        (
            on(p_shared, "delete", "DeleteSpace", f"delete the shared space {me} created"),
            lambda c, d: c.delete_space(DomainId=d, SpaceName=p_shared.name),
        ),
        (
            on(
                p_priv,
                verb,
                "DeleteApp" if p_priv.running else "CreateApp",
                f"{verb} {me}'s own private space",
            ),
            lambda c, d: getattr(c, call)(DomainId=d, **_app(p_priv.name)),
        ),
        (
            on(p_priv, "rename", "UpdateSpace", f"rename {me}'s own private space"),
            lambda c, d: c.update_space(DomainId=d, SpaceName=p_priv.name, SpaceDisplayName="mine"),
        ),
        (
            Attempt(
                f"create-private-for-{me}",
                "CreateSpace",
                f"create a private space owned by {me}",
                f"{me}-extra",
                me,
                "Private",
            ),
            _new_space(f"{me}-extra", me),
        ),
    ]


def _chosen(v: Variant) -> dict[str, tuple[Attempt, Call]]:
    return {a.label: (a, call) for a, call in _pool(v) if a.label in v.action_labels}


def attempts(v: Variant | None = None) -> list[Attempt]:
    """Exercise 3's attempts, in the learner's order."""
    v = v or variant()
    chosen = _chosen(v)
    return [chosen[label][0] for label in v.action_labels]


def _outcome(call: Callable[..., Any]) -> str:
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    return "allowed"


def truth(v: Variant | None = None, sm: Any = None) -> dict[str, str]:
    """Each attempt made by the peer, each on a fresh copy of the domain (its people and
    the one space the attempt touches): label -> "allowed" or the error code."""
    from studio_mock import user_session  # the mock is running when a lab calls this

    v = v or variant()
    sm = sm or boto3.client("sagemaker")
    if _record["prediction"] is None:
        _record["tried"] = True  # the outcomes, before any prediction: see predict
    found = {}
    for label, (attempt, call) in _chosen(v).items():
        domain_id = build(sm, v, f"try-{uuid.uuid4().hex[:8]}", only={attempt.space})
        client = user_session(domain_id, v.peer).client("sagemaker")
        found[label] = _outcome(lambda c=call, k=client, d=domain_id: c(k, d))
    return {label: found[label] for label in v.action_labels}


def denied(v: Variant | None = None, sm: Any = None) -> set[str]:
    """The labels of the attempts IAM denies (for the hidden check)."""
    return {label for label, got in truth(v, sm).items() if got == "AccessDeniedException"}


_record: dict[str, Any] = {"prediction": None, "revealed": False, "failure": None, "tried": False}


class _NoCalls:
    """While a prediction is made, every AWS call raises: a prediction cannot try."""

    def __enter__(self) -> None:
        from botocore.client import BaseClient

        self._real = BaseClient._make_api_call

        def refuse(client: Any, operation: str, params: Any) -> Any:
            raise RuntimeError(
                f"{operation}: no AWS calls while predicting. Predict from the rules "
                "and the attempt's facts; the next cell tries the calls."
            )

        BaseClient._make_api_call = refuse

    def __exit__(self, *_: Any) -> None:
        from botocore.client import BaseClient

        BaseClient._make_api_call = self._real


def predict(predict_denied: Callable[[Attempt], Any]) -> str:
    """Record which attempts ``predict_denied`` says IAM denies (before ``verify``)."""
    if _record["revealed"]:
        return (
            "The outcomes were shown in this kernel already: a prediction made now would be "
            "a copy, so none is recorded. Restart the kernel to predict again."
        )
    if _record["tried"]:
        _record["failure"] = RuntimeError(
            "The outcomes were computed in this kernel before a prediction was recorded "
            "(sharing_lab.truth or denied): that is trying, not predicting."
        )
        return f"{_record['failure']} Nothing recorded; restart the kernel to predict."
    if not callable(predict_denied):
        return "predict_denied should be a function of one attempt; nothing recorded."
    said = set()
    try:
        with _NoCalls():
            for attempt in attempts():
                if predict_denied(attempt):
                    said.add(attempt.label)
    except Exception as error:  # the learner's function: report it plainly
        _record["failure"] = error
        return f"Your prediction failed ({type(error).__name__}: {error}); nothing recorded."
    _record["prediction"] = frozenset(said)
    return f"Prediction recorded: you predict {len(said)} of {len(attempts())} attempts denied."


def verify(sm: Any = None) -> dict[str, str] | None:
    """Show what IAM does with each attempt, once a prediction is recorded."""
    if _record["prediction"] is None:
        print("Record a prediction first (the cell above); then the outcomes are shown.")
        return None
    _record["revealed"] = True
    found = truth(sm=sm)
    predicted, right = _record["prediction"], 0
    for label, got in found.items():
        ok = (got == "AccessDeniedException") == (label in predicted)
        right += ok
        guess = "denied" if label in predicted else "allowed"
        print(f"{label:<30}{got:<24}you predicted {guess:<8}{'right' if ok else 'WRONG'}")
    print(f"\n{right} of {len(found)} predicted right.")
    return found


def recorded_prediction() -> frozenset[str]:
    """The prediction recorded in this kernel (only before any outcome was shown); if
    none was, the reason: the error the learner's function raised, or AssertionError."""
    if _record["prediction"] is None:
        if _record["failure"] is not None:
            raise _record["failure"]
        raise AssertionError(
            "No prediction was recorded: define predict_denied and run the two cells above."
        )
    return _record["prediction"]
