"""The policy lab: its variants, its judge against the mock's API, and its grading over
many learners.

The lab's code cells are run here in-process, one learner after another (the same code
nbgrader runs, without a kernel per learner): the solution passes every check for every
seed, and each wrong answer of tests/lab_variants/policy.py fails its own exercise's
checks and no other's. test_labs.py grades the lab through nbgrader as well.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator

import boto3
import lab_exec
import nbformat
import pytest
from botocore.exceptions import ClientError

from autograder.config import REPO
from autograder.nbgrader_run import ScratchCourse
from autograder.synthetic import wrong_variants
from labkit import policy_lab
from studio_mock import mock_studio, user_session
from studio_mock.iam import load_policy

NOTEBOOK = REPO / "solutions" / "policy" / "policy.ipynb"
SEEDS = [f"learner-{i}" for i in range(24)]  # 24: every bug of the diagnosis occurs


WRONG = wrong_variants("policy")


CELLS = lab_exec.code_cells("policy")
TESTS = [cell_id for cell_id, _, meta in CELLS if meta.get("grade")]


def run_lab(student: str, monkeypatch, replace: dict[str, str] | None = None) -> dict[str, str]:
    return lab_exec.run_lab(CELLS, student, monkeypatch, replace)


# ------------------------------------------------------------------ variants


def test_two_learners_get_different_names_and_the_same_learner_the_same():
    ana, ben = policy_lab.variant("ana-id"), policy_lab.variant("ben-id")
    assert policy_lab.variant("ana-id") == ana
    assert (ana.domain, ana.users, ana.spaces) != (ben.domain, ben.users, ben.spaces)
    assert {s.name for s in ana.spaces} != {s.name for s in ben.spaces}


def test_variants_cover_both_update_rules_and_every_bug():
    variants = [policy_lab.variant(s) for s in SEEDS]
    assert {v.members_update_shared for v in variants} == {True, False}
    assert {v.bug for v in variants} == set(policy_lab.BUGS)
    for v in variants:  # four different people, six different spaces
        assert len(set(v.users)) == 4 and len({s.name for s in v.spaces}) == 6


# ------------------------------------------------------------------ the judge


@pytest.fixture
def world() -> Iterator[policy_lab.World]:
    with mock_studio():
        yield policy_lab.build(boto3.client("sagemaker"), policy_lab.variant("fidelity"))


def _solution_policies(w: policy_lab.World) -> dict[str, dict]:
    """The solution's policies, made by the notebook's own cells."""
    namespace = {"ARN": w.arn_prefix, "variant": w.variant}
    for cell_id, source, _ in CELLS:
        if cell_id in ("start-policy", "manage-policy", "guardrail"):
            exec(source, namespace)
    broad = {"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}
    return {
        "start and manage": {
            "Version": "2012-10-17",
            "Statement": namespace["start_policy"]["Statement"]
            + namespace["manage_policy"]["Statement"],
        },
        "guarded": {
            "Version": "2012-10-17",
            "Statement": [broad, *namespace["guardrail"]["Statement"]],
        },
    }


@functools.cache
def _client(domain_id: str, user: str, policy: str):
    return user_session(domain_id, user, policy=policy).client("sagemaker")


def _live(w: policy_lab.World, policy: dict, r: policy_lab.Request) -> bool:
    """Make the request through the mock's API: False when IAM refuses it (any other
    error comes after the authorization, so IAM allowed it)."""
    v = w.variant
    client = _client(w.domain_ids[v.domain_of(r.user)], r.user, json.dumps(policy))
    if r.action == "ListSpaces":
        call = lambda: client.list_spaces(DomainIdEquals=w.domain_ids[v.domain])  # noqa: E731
    elif r.action == "CreatePresignedDomainUrl":
        call = lambda: client.create_presigned_domain_url(  # noqa: E731
            DomainId=w.domain_ids[v.domain_of(r.user)], UserProfileName=r.profile
        )
    elif r.app == "canvas":
        call = lambda: client.create_app(  # noqa: E731
            DomainId=w.domain_ids[v.domain_of(r.user)],
            UserProfileName=r.user,
            AppType="Canvas",
            AppName="default",
        )
    else:
        space = {"DomainId": w.domain_ids[r.space.domain], "SpaceName": r.space.name}
        app = {**space, "AppType": "JupyterLab", "AppName": "default"}
        call = {
            "DescribeSpace": lambda: client.describe_space(**space),
            "UpdateSpace": lambda: client.update_space(**space, SpaceDisplayName="renamed"),
            "DeleteSpace": lambda: client.delete_space(**space),
            "CreateApp": lambda: client.create_app(**app),
            "DeleteApp": lambda: client.delete_app(**app),
            "CreateSpace": lambda: client.create_space(
                **space,
                OwnershipSettings={"OwnerUserProfileName": r.space.owner},
                SpaceSharingSettings={"SharingType": r.space.sharing},
                SpaceSettings={"AppType": "JupyterLab"},
            ),
        }[r.action]
    try:
        call()
    except ClientError as err:
        return err.response["Error"]["Code"] != "AccessDeniedException"
    return True


def test_the_judge_decides_as_the_mocks_api(world):
    """For the solution's policies, every request of every user on every space: the
    judge's ARN and keys are those of the real calls."""
    v, sm = world.variant, boto3.client("sagemaker")
    for space in v.spaces:  # a running app in each space: DeleteApp needs one, and a
        # DeleteSpace that IAM allows then stops at ResourceInUse instead of deleting
        sm.create_app(
            DomainId=world.domain_ids[space.domain],
            SpaceName=space.name,
            AppType="JupyterLab",
            AppName="default",
        )
    R = policy_lab.Request
    requests = [
        R(u, a, s) for a in ("DescribeSpace", "UpdateSpace") for u in v.users for s in v.spaces
    ]
    requests += [R(u, "ListSpaces") for u in v.users]
    requests += [R(u, "CreateApp", app="canvas") for u in v.users]
    requests += [
        R(u, "CreatePresignedDomainUrl", profile=p)
        for u in v.users
        for p in v.users
        if v.domain_of(u) == v.domain_of(p)
    ]
    requests += [
        R(u, "CreateSpace", policy_lab.Space(f"new-{u}-{o}-{t}", o, t, v.domain_of(o)))
        for u in v.users
        for o in v.users
        for t in ("Private", "Shared")
    ]
    # DeleteApp last: once an app stops, DeleteSpace would really delete its space
    requests += [
        R(u, a, s)
        for a in ("CreateApp", "DeleteSpace", "DeleteApp")
        for u in v.users
        for s in v.spaces
    ]
    checked = 0
    for name, document in _solution_policies(world).items():
        policy = load_policy(document)
        for r in requests:
            if r.action == "DeleteApp" and name != "guarded":
                continue  # one policy stops the apps; the others would find them stopped
            expected = policy_lab.judge(policy, world, r).allowed
            assert _live(world, document, r) == expected, (name, r.words(v.domain))
            checked += 1
    assert checked > 250


def test_every_bug_of_the_colleague_refuses_the_call_as_the_answers_say(monkeypatch):
    explicit = {"deny-without-sharing-type", "deny-wildcard-action"}
    seen = set()
    for student in SEEDS:
        v = policy_lab.variant(student)
        if v.bug in seen:
            continue
        seen.add(v.bug)
        with mock_studio():
            w = policy_lab.build(boto3.client("sagemaker"), v)
            policy = policy_lab.colleague_policy(w)
            client = user_session(w.domain_ids[v.domain], v.member, policy=policy).client(
                "sagemaker"
            )
            with pytest.raises(ClientError) as refused:
                client.create_app(
                    DomainId=w.domain_ids[v.domain],
                    SpaceName=v.space(v.owner, "Shared").name,
                    AppType="JupyterLab",
                    AppName="default",
                )
            message = refused.value.response["Error"]["Message"]
            assert ("with an explicit deny" in message) == (v.bug in explicit), v.bug
    assert seen == set(policy_lab.BUGS)


def test_counterexamples_name_the_request_and_the_rule(world):
    v = world.variant
    everything = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
    }
    case = policy_lab.Case(
        policy_lab.Request(v.member, "DeleteSpace", v.space(v.owner, "Shared")),
        False,
        "only a space's owner deletes it",
    )
    text = policy_lab.verdict(everything, world, [case])
    assert text.startswith("1 of 1 requests")
    assert f"{v.member} deletes (DeleteSpace) {v.owner}'s shared space" in text
    assert "your policy allows it" in text and "only a space's owner deletes it" in text
    assert policy_lab.verdict({"Statement": "nonsense"}, world, [case]).startswith(
        "IAM would not accept this policy."
    )


# ------------------------------------------------------------------ grading


# the solution for 20 learners and each wrong answer for 3: tests/test_lab_seeds.py, on
# the notebook itself, as for every lab with per-learner variants


def test_the_feedback_for_a_wrong_policy_is_a_counterexample(monkeypatch):
    outcomes = run_lab("learner-3", monkeypatch, {"start-policy": WRONG["start-policy"]})
    message = outcomes["test-start-policy"]
    assert "in the other domain" in message, message
    assert "users work only in the spaces of their own domain" in message, message


def test_the_solution_gets_full_marks_through_nbgrader_for_three_learners(tmp_path):
    students = ["learner-1", "learner-2", "learner-4"]
    chosen = [policy_lab.variant(s) for s in students]
    # different names, both update rules, an explicit and an implicit deny to diagnose
    assert len({v.domain for v in chosen}) == 3
    assert {v.members_update_shared for v in chosen} == {True, False}
    assert {v.bug.startswith("deny-") for v in chosen} == {True, False}
    course = ScratchCourse(tmp_path, "policy")
    source = nbformat.read(NOTEBOOK, as_version=4)
    for student in students:
        course.submit(student, {"policy.ipynb": source})
        grades = course.autograde(student)
        assert grades and all(g.auto_score == g.max_score for g in grades.values()), (
            student,
            grades,
        )


def test_a_diagnosis_is_right_by_any_element_whose_change_alone_fixes_the_refusal(monkeypatch):
    student = "solution"  # a learner whose colleague denies with wildcard actions
    assert policy_lab.variant(student).bug == "deny-wildcard-action"
    answer = (
        'diagnosis = {{"denial": "explicit", "statement": "NoChangesToOthersSpaces", '
        '"element": "{}"}}'
    )
    for element, passes in (("Action", True), ("Resource", True), ("Condition", False)):
        outcomes = run_lab(student, monkeypatch, {"diagnosis": answer.format(element)})
        assert (outcomes["test-diagnosis"] == "passed") == passes, (element, outcomes)
