"""The images lab: its variants, the space exercise 3 asks the learner to diagnose (the
mock's own refusals, a naive fix that fails for every learner), and the gaming routes
closed: a copied answer, and replacing the broken space instead of repairing it.

The lab's code cells run here in-process (tests/lab_exec.py); the lab's grading over 20
learners and its wrong answers are tests/test_lab_seeds.py's.
"""

from __future__ import annotations

import dataclasses
import uuid

import boto3
import lab_exec
import nbformat
import pytest
from botocore.exceptions import ClientError

from autograder.config import REPO
from labkit import images_lab
from studio_mock import mock_studio, wait_for_status

NOTEBOOK = REPO / "solutions" / "images" / "images.ipynb"
SEEDS = [f"learner-{i:02d}" for i in range(20)]
ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"

CELLS = lab_exec.code_cells("images")


def run_lab(student: str, monkeypatch, replace: dict[str, str] | None = None) -> dict[str, str]:
    return lab_exec.run_lab(CELLS, student, monkeypatch, replace)


def _cell(grade_id: str) -> str:
    (source,) = [s for i, s, _ in CELLS if i == grade_id]
    return source


# ------------------------------------------------------------------ variants


def _answers(v: images_lab.Variant) -> dict[str, dict[str, object]]:
    """What each exercise expects, by the names and numbers in it."""
    return {
        "exercise 1": {"image": v.team_image, "base image": f"{v.team_repo}:{v.team_tag}"},
        "exercise 2": {"config": v.team_config, "env": (v.env_name, v.env_value)},
        "exercise 3": {"space": v.custom_space, "image": v.course_image},
        "exercise 4": {
            "image": v.inspect_image,
            "pinned": (v.pinned, v.inspect_tags[v.pinned - 1]),
            "latest": (len(v.inspect_tags), v.inspect_tags[-1]),
        },
        "exercise 5": {"env": (v.env_name, v.env_value)},
    }


def test_two_learners_get_different_answers_for_every_exercise():
    lab_exec.assert_learners_differ(_answers, images_lab.variant)


def test_over_20_learners_every_answer_varies():
    variants = [images_lab.variant(s) for s in SEEDS]
    assert len({v.team_image for v in variants}) >= 12
    assert len({(v.team_repo, v.team_tag) for v in variants}) >= 15
    assert len({(v.env_name, v.env_value) for v in variants}) >= 12
    assert len({v.custom_space for v in variants}) >= 15
    assert {v.cause for v in variants} == set(images_lab.CAUSES)
    assert len({v.inspect_image for v in variants}) >= 8
    assert {v.pinned for v in variants} >= {1, 2}
    assert {len(v.inspect_tags) for v in variants} >= {2, 3, 4}


@pytest.mark.parametrize("student", SEEDS)
def test_the_letter_the_refusal_seems_to_ask_for_is_never_the_answer(student):
    v = images_lab.variant(student)
    assert v.fix in images_lab.FIXES and v.fix not in ("A", "E")
    names = [v.team_image, v.course_image, v.inspect_image]
    assert len(set(names)) == 3, "one learner's images have three different names"


def test_the_notebook_shows_the_fixes_the_checks_use():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (text,) = [c.source for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "md-18"]
    for letter, fix in images_lab.FIXES.items():
        assert f"| `{letter}` | {fix} |" in text


def test_the_lab_draws_its_variant_from_labkit_so_it_is_graded_over_many_learners():
    setup = _cell("setup")
    assert 'labkit.announce("images")' in setup and "images_lab.variant()" in setup
    for check in ("test-register-image", "test-app-image-config", "test-attach-and-launch"):
        assert "importlib.reload(_il)" in _cell(check) and "_il.variant()" in _cell(check)


# ------------------------------------------------------------------ exercise 3


def _course(v: images_lab.Variant):
    sm, ecr = boto3.client("sagemaker"), boto3.client("ecr")
    domain_id = sm.create_domain(
        DomainName="d", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    sm.create_user_profile(DomainId=domain_id, UserProfileName=v.owner)
    return sm, ecr, domain_id


@pytest.mark.parametrize("cause", sorted(images_lab.CAUSES))
def test_each_cause_is_the_mock_s_own_refusal_and_the_naive_fix_fails(cause):
    v = dataclasses.replace(images_lab.variant("learner-00"), cause=cause)
    with mock_studio():
        sm, ecr, domain_id = _course(v)
        attempt = images_lab.broken_start(sm, ecr, domain_id, ROLE, v)
        assert images_lab.broken_start(sm, ecr, domain_id, ROLE, v) == attempt  # run twice
        refused = [answer for _, answer in attempt if answer != "ok"]
        assert refused and all(a.startswith("ValidationException - ") for a in refused)
        assert v.custom_space in attempt[-1][0] and attempt[-1][1] != "ok"
        # what the words of the last refusal seem to ask for: attach it in
        # DefaultUserSettings, with the config it has, and start again
        image_arn = sm.describe_image(ImageName=v.course_image)["ImageArn"]
        with pytest.raises(ClientError):
            sm.update_domain(
                DomainId=domain_id,
                DefaultUserSettings={
                    "JupyterLabAppSettings": {
                        "CustomImages": [
                            {"ImageName": v.course_image, "AppImageConfigName": v.course_config}
                        ]
                    }
                },
            )
            sm.create_app(
                DomainId=domain_id,
                SpaceName=v.custom_space,
                AppType="JupyterLab",
                AppName="default",
                ResourceSpec={"SageMakerImageArn": image_arn},
            )
        # the solution reads the attempt, names the fix and makes it
        namespace = {
            "sm": sm,
            "uuid": uuid,
            "course_id": domain_id,
            "attempt": attempt,
            "COURSE_SPACE": v.custom_space,
            "COURSE_IMAGE": v.course_image,
            "COURSE_URI": images_lab.uri_of(ecr, v.course_repo, v.course_tag),
            "COURSE_IMAGE_ARN": image_arn,
        }
        exec(_cell("attach-and-launch"), namespace)
        assert namespace["diagnosis"] == v.fix
        app = sm.describe_app(
            DomainId=domain_id, SpaceName=v.custom_space, AppType="JupyterLab", AppName="default"
        )
        assert app["ResourceSpec"]["SageMakerImageVersionArn"].endswith(f"/{v.course_image}/1")
        assert images_lab.same_space(sm, domain_id, v.custom_space) is None


def test_a_shared_space_and_a_private_one_are_refused_in_the_same_words():
    """So the refusal's message alone does not say which fix: the space does."""
    messages = {}
    for cause in ("shared-space", "wrong-config"):
        v = dataclasses.replace(images_lab.variant("learner-03"), cause=cause)
        with mock_studio():
            sm, ecr, domain_id = _course(v)
            message = images_lab.broken_start(sm, ecr, domain_id, ROLE, v)[-1][1]
        messages[cause] = message.replace(domain_id, "<domain>")
    assert "not attached" in messages["shared-space"]
    assert messages["shared-space"] == messages["wrong-config"]


def _shared_student() -> str:
    return next(s for s in SEEDS if images_lab.variant(s).cause == "shared-space")


# The learner whose shared space will not start deletes it and makes a private one of the
# same name, which the image attached in DefaultUserSettings reaches.
REPLACE_THE_SPACE = """
diagnosis = "B"
sm.delete_space(DomainId=course_id, SpaceName=COURSE_SPACE)
wait_for_status(sm.describe_space, "ResourceNotFound", DomainId=course_id, SpaceName=COURSE_SPACE)
private_space(course_id, COURSE_SPACE)
sm.create_app(
    DomainId=course_id,
    SpaceName=COURSE_SPACE,
    AppType="JupyterLab",
    AppName="default",
    ResourceSpec={"SageMakerImageArn": COURSE_IMAGE_ARN},
)
"""


def test_replacing_the_shared_space_with_a_private_one_loses_exercise_3_and_only_it(
    monkeypatch,
):
    student = _shared_student()
    outcomes = run_lab(student, monkeypatch, {"attach-and-launch": REPLACE_THE_SPACE})
    failed = {cell: why for cell, why in outcomes.items() if why != "passed"}
    assert list(failed) == ["test-attach-and-launch"], (student, failed)
    assert "is a new space" in failed["test-attach-and-launch"]


def test_the_same_space_is_told_from_a_recreated_one():
    v = images_lab.variant(_shared_student())
    with mock_studio():
        sm, ecr, domain_id = _course(v)
        images_lab.broken_start(sm, ecr, domain_id, ROLE, v)
        assert images_lab.same_space(sm, domain_id, v.custom_space) is None
        sm.delete_space(DomainId=domain_id, SpaceName=v.custom_space)
        wait_for_status(
            sm.describe_space, "ResourceNotFound", DomainId=domain_id, SpaceName=v.custom_space
        )
        sm.create_space(
            DomainId=domain_id,
            SpaceName=v.custom_space,
            OwnershipSettings={"OwnerUserProfileName": v.owner},
            SpaceSharingSettings={"SharingType": "Shared"},
            SpaceSettings={"AppType": "JupyterLab"},
        )
        assert "new space" in (images_lab.same_space(sm, domain_id, v.custom_space) or "")


# ------------------------------------------------------------------ copied answers


def _copied(v: images_lab.Variant) -> dict[str, str]:
    """Exercises 1 and 2 as another learner wrote them, with their names spelt out."""
    return {
        "register-image": f"""
uri = push_image({v.team_repo!r}, {v.team_tag!r})
sm.create_image(ImageName={v.team_image!r}, RoleArn=ROLE)
team_version_arn = sm.create_image_version(
    ImageName={v.team_image!r}, BaseImage=uri, ClientToken="copied"
)["ImageVersionArn"]
""",
        "app-image-config": f"""
sm.create_app_image_config(
    AppImageConfigName={v.team_config!r},
    JupyterLabAppImageConfig={{
        "ContainerConfig": {{"ContainerEnvironmentVariables": {{{v.env_name!r}: {v.env_value!r}}}}}
    }},
)
""",
    }


def test_an_answer_copied_from_another_learner_fails(monkeypatch):
    copied = _copied(images_lab.variant("learner-00"))
    outcomes = run_lab("learner-01", monkeypatch, copied)
    failed = {cell for cell, why in outcomes.items() if why != "passed"}
    assert failed == {"test-register-image", "test-app-image-config"}, outcomes
