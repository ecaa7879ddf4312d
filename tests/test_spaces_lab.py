"""The spaces lab: its variants, the refusals it hands out, and the gaming route of
exercise 3 (delete the space, recreate it, copy the file back) closed by the space's
identity.

The lab's code cells run here in-process, as in tests/test_policy_lab.py; the lab's
grading over 20 learners and its wrong answers are tests/test_lab_seeds.py's.
"""

from __future__ import annotations

import dataclasses

import boto3
import lab_exec
import nbformat
import pytest

from autograder.config import REPO
from autograder.synthetic import wrong_variants
from labkit import spaces_lab
from studio_mock import mock_studio, wait_for_status, write_file

NOTEBOOK = REPO / "solutions" / "spaces" / "spaces.ipynb"
SEEDS = [f"learner-{i:02d}" for i in range(20)]
ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"


CELLS = lab_exec.code_cells("spaces")


def run_lab(student: str, monkeypatch, replace: dict[str, str] | None = None) -> dict[str, str]:
    return lab_exec.run_lab(CELLS, student, monkeypatch, replace)


def _domain_with(sm, *profiles: str) -> str:
    """A domain holding these user profiles, as the lab's setup cell makes it."""
    domain_id = sm.create_domain(
        DomainName="d", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    for name in profiles:
        sm.create_user_profile(DomainId=domain_id, UserProfileName=name)
    return domain_id


# ------------------------------------------------------------------ variants


def _answers(v: spaces_lab.Variant) -> dict[str, dict[str, object]]:
    """What each exercise with names or numbers expects (exercise 2, the UI's word for an
    app status, has neither: its answer is the same for everyone)."""
    return {
        "exercise 1": {
            "space": v.lab_space,
            "owner": v.owner,
            "prices": v.prices,
            "instance type": v.best_instance,
            "volume": v.volume_gb,
        },
        "exercise 3": {
            "space": v.train_space,
            "instance type": v.big_type,
            "script": v.script,
            "script text": v.script_text,
        },
        "exercise 4": {"space": v.refusal_space, "answer": v.refusal_answer},
    }


def test_two_learners_get_different_answers_for_every_exercise():
    lab_exec.assert_learners_differ(_answers, spaces_lab.variant)


def test_over_20_learners_every_answer_varies():
    variants = [spaces_lab.variant(s) for s in SEEDS]
    assert len({v.best_instance for v in variants}) >= 3
    assert len({v.volume_gb for v in variants}) >= 10
    assert len({v.big_type for v in variants}) >= 3
    assert {v.refusal for v in variants} == set(spaces_lab.REFUSALS)
    assert len({tuple(v.refusal_answer.values()) for v in variants}) == len(spaces_lab.REFUSALS)


@pytest.mark.parametrize("student", SEEDS)
def test_the_price_table_asks_for_judgement(student):
    v = spaces_lab.variant(student)
    cheapest = min(v.prices, key=lambda row: row[1])[0]
    fitting = sorted(p for t, p in v.prices if v.meets(t))
    assert not v.meets(cheapest), "the cheapest type in the table must not be the answer"
    assert len(fitting) >= 2 and fitting[0] < fitting[1], "one cheapest type among several"
    assert 5 <= v.volume_gb <= 100 and v.owner != v.colleague


def test_the_notebook_shows_the_rules_the_checks_use():
    (text,) = [s for i, s, _ in _md_cells() if i == "md-26"]
    for letter, rule in spaces_lab.RULES.items():
        assert f"| `{letter}` | {rule} |" in text


def _md_cells():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return [(c.metadata["nbgrader"]["grade_id"], c.source, None) for c in nb.cells]


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize("case", sorted(spaces_lab.REFUSALS))
def test_each_refusal_is_the_mock_s_own_and_the_solution_explains_it(case):
    v = dataclasses.replace(spaces_lab.variant("learner-00"), refusal=case)
    with mock_studio():
        sm = boto3.client("sagemaker")
        domain_id = _domain_with(sm, v.owner, v.colleague)
        call, error = spaces_lab.refused_call(sm, domain_id, v)
        again, _ = spaces_lab.refused_call(sm, domain_id, v)  # the cell can run twice
    assert again == call and v.refusal_space in call
    assert error.response["Error"]["Code"] == v.refusal_answer["code"]
    (solution,) = [s for i, s, _ in CELLS if i == "explain-refusal"]
    namespace = {"error": error}
    exec(solution, namespace)
    assert namespace["refusal"] == v.refusal_answer


# ------------------------------------------------------------------ exercise 3


def test_the_same_space_is_told_from_a_recreated_one():
    v = spaces_lab.variant("learner-00")
    with mock_studio():
        sm = boto3.client("sagemaker")
        domain_id = _domain_with(sm, v.owner)
        key = spaces_lab.prepare_train(sm, domain_id, v)
        assert spaces_lab.same_space(sm, domain_id, v.train_space) is None
        sm.delete_app(**key)  # a stop and a restart keep the space
        wait_for_status(sm.describe_app, "Deleted", **key)
        sm.create_app(**key, ResourceSpec={"InstanceType": v.big_type})
        wait_for_status(sm.describe_app, "InService", **key)
        assert spaces_lab.same_space(sm, domain_id, v.train_space) is None
        sm.delete_app(**key)  # a deletion and a recreation do not, whatever the files say
        wait_for_status(sm.describe_app, "Deleted", **key)
        sm.delete_space(DomainId=domain_id, SpaceName=v.train_space)
        wait_for_status(
            sm.describe_space, "ResourceNotFound", DomainId=domain_id, SpaceName=v.train_space
        )
        sm.create_space(
            DomainId=domain_id,
            SpaceName=v.train_space,
            OwnershipSettings={"OwnerUserProfileName": v.owner},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "JupyterLab"},
        )
        sm.create_app(**key)
        wait_for_status(sm.describe_app, "InService", **key)
        write_file(domain_id, v.train_space, v.script, v.script_text)
        assert "new space" in (spaces_lab.same_space(sm, domain_id, v.train_space) or "")


def test_deleting_and_recreating_the_space_loses_exercise_3_and_only_it(monkeypatch):
    gaming = wrong_variants("spaces")["change-instance"]
    for student in SEEDS[:2]:
        outcomes = run_lab(student, monkeypatch, {"change-instance": gaming})
        failed = {cell: why for cell, why in outcomes.items() if why != "passed"}
        assert list(failed) == ["test-change-instance"], (student, failed)
        # the file is back, so it is the space's identity that tells: not the file check
        assert "not the space you were given" in failed["test-change-instance"]


def test_the_solution_passes_every_check(monkeypatch):
    outcomes = run_lab("learner-07", monkeypatch)
    assert set(outcomes.values()) == {"passed"}, outcomes
    assert len(outcomes) == 4


def test_the_lab_draws_its_variant_from_labkit_so_it_is_graded_over_many_learners():
    (setup,) = [s for i, s, _ in CELLS if i == "setup"]
    assert 'labkit.announce("spaces")' in setup and "spaces_lab.variant()" in setup


def test_preparing_the_space_again_after_deleting_it_does_not_make_it_the_original():
    v = spaces_lab.variant("learner-02")
    with mock_studio():
        sm = boto3.client("sagemaker")
        domain_id = _domain_with(sm, v.owner)
        key = spaces_lab.prepare_train(sm, domain_id, v)
        sm.delete_app(**key)
        wait_for_status(sm.describe_app, "Deleted", **key)
        sm.delete_space(DomainId=domain_id, SpaceName=v.train_space)
        wait_for_status(
            sm.describe_space, "ResourceNotFound", DomainId=domain_id, SpaceName=v.train_space
        )
        spaces_lab.prepare_train(sm, domain_id, v)  # the setup cell, run again
        assert "new space" in (spaces_lab.same_space(sm, domain_id, v.train_space) or "")
