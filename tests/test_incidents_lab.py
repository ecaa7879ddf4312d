"""The incidents lab's variants: different learners get different names and causes, the
solution gets full marks whichever causes a student id draws, and a diagnosis copied
from another learner loses its points."""

from __future__ import annotations

import copy
import re

import boto3
import lab_exec
import nbformat
import pytest
from botocore.exceptions import ClientError

from autograder.config import REPO
from autograder.nbgrader_run import ScratchCourse
from labkit import incidents
from studio_mock import mock_studio

SOURCE = REPO / "solutions" / "incidents" / "incidents.ipynb"
# between them these ids draw every cause of every ticket (checked below)
STUDENTS = ("alice", "s2", "s5", "s41")


def test_two_learners_get_different_names_and_causes():
    a, b = incidents.variant("alice"), incidents.variant("carol")
    assert a.user_1 != b.user_1 and a.space_1 != b.space_1
    assert a.endpoint_2 != b.endpoint_2 and a.efs_gb_2 != b.efs_gb_2
    assert a.image_3 != b.image_3 and a.lifecycle_3 != b.lifecycle_3
    assert (a.cause_1, a.causes_2) != (b.cause_1, b.causes_2)
    assert incidents.variant("alice") == a  # the grader regenerates the same variant


def test_the_chosen_students_cover_every_cause():
    drawn = [incidents.variant(s) for s in STUDENTS]
    assert {v.cause_1 for v in drawn} == {
        "automount-off-domain",
        "automount-off-profile",
        "shared-space",
    }
    assert {c for v in drawn for c in v.causes_2} == {
        "forgotten-endpoint",
        "retained-efs",
        "idle-app",
    }
    assert {v.cause_3 for v in drawn} == {
        "lifecycle-script-error",
        "lifecycle-timeout",
        "image-not-in-ecr",
        "wrong-uid-gid",
    }
    for v in drawn:  # every drawn cause is a listed code
        assert v.cause_1 in incidents.CAUSES_1 and v.cause_3 in incidents.CAUSES_3
        assert set(v.causes_2) <= set(incidents.CAUSES_2)


def test_the_read_only_client_reads_and_refuses_changes():
    with mock_studio(timing="instant"):
        admin = boto3.client("sagemaker")
        domain_id = admin.create_domain(
            DomainName="d", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": incidents.ROLE}
        )["DomainId"]
        session = incidents.read_only_session()
        ro_sm, ro_efs = session.client("sagemaker"), session.client("efs")
        assert ro_sm.describe_domain(DomainId=domain_id)["DomainId"] == domain_id
        fs_id = ro_sm.describe_domain(DomainId=domain_id)["HomeEfsFileSystemId"]
        assert ro_efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"]
        for call in (
            lambda: ro_sm.update_domain(
                DomainId=domain_id, DefaultUserSettings={"AutoMountHomeEFS": "Enabled"}
            ),
            lambda: ro_sm.delete_domain(DomainId=domain_id),
            lambda: ro_efs.delete_file_system(FileSystemId=fs_id),
        ):
            with pytest.raises(ClientError) as refused:
                call()
            assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
        # nothing changed
        described = admin.describe_domain(DomainId=domain_id)
        assert "AutoMountHomeEFS" not in described["DefaultUserSettings"]
        assert described["Status"] == "InService"


def _with_answer(nb: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    changed = copy.deepcopy(nb)
    (cell,) = [
        c for c in changed.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    ]
    cell.source = source
    return changed


@pytest.fixture(scope="module")
def grades(tmp_path_factory):
    course = ScratchCourse(tmp_path_factory.mktemp("incidents"), "incidents")
    solution = nbformat.read(SOURCE, as_version=4)
    for student in STUDENTS:
        course.submit(student, {SOURCE.name: solution})
    # copier-s4 copies alice's diagnoses of tickets 1 and 3 (their names and causes)
    alice = incidents.variant("alice")
    copied = _with_answer(
        solution,
        "diagnosis-1",
        f"diagnosis_1 = {{'cause': {alice.cause_1!r}, 'resource': {alice.user_1!r}}}",
    )
    copied = _with_answer(
        copied,
        "diagnosis-3",
        f"diagnosis_3 = {{'cause': {alice.cause_3!r}, 'resource': {alice.lifecycle_3!r}}}",
    )
    course.submit("copier-s4", {SOURCE.name: copied})
    return {s: course.autograde(s) for s in (*STUDENTS, "copier-s4")}


@pytest.mark.parametrize("student", STUDENTS)
def test_the_solution_gets_full_marks_for_each_variant(grades, student):
    got = grades[student]
    assert got, f"{student}: nothing was graded"
    short = {g.grade_id: g.auto_score for g in got.values() if g.auto_score != g.max_score}
    assert not short, f"{student} ({incidents.variant(student)}): the solution loses {short}"
    assert sum(g.max_score for g in got.values()) == 16


def test_a_copied_diagnosis_loses_its_points(grades):
    # the copier's id must draw other causes than alice's, or the copy would be right
    copier, alice = incidents.variant("copier-s4"), incidents.variant("alice")
    assert copier.cause_1 != alice.cause_1 or copier.user_1 != alice.user_1
    assert (copier.cause_3, copier.lifecycle_3) != (alice.cause_3, alice.lifecycle_3)
    lost = {g.grade_id for g in grades["copier-s4"].values() if g.auto_score != g.max_score}
    assert lost == {"test-diagnosis-1", "test-diagnosis-3"}, lost


def test_the_release_hides_how_each_ticket_was_broken():
    release = (REPO / "labs" / "incidents" / "incidents.ipynb").read_text()
    for word in ('AutoMountHomeEFS\\": \\"Disabled', "RetentionPolicy={", "exit 1"):
        assert word not in release, f"the release shows {word!r}"
    assert re.search(r"labkit\.announce\(\\\"incidents\\\"\)", release)


# ---------------------------------------------------------------- ticket 3's wrong user
CELLS = lab_exec.code_cells("incidents")
UID_STUDENT = "s5"  # draws wrong-uid-gid (checked below)


def test_the_wrong_user_is_read_from_the_image_and_named_in_aws_words(monkeypatch):
    assert incidents.variant(UID_STUDENT).cause_3 == "wrong-uid-gid"
    reached = {}
    replace = {
        "diagnosis-3": """
failed = ro_sm.describe_app(DomainId=ticket3["domain_id"], SpaceName=ticket3["space"],
                            AppType="JupyterLab", AppName="default")
reached_reason = failed["FailureReason"]
diagnosis_3 = {"cause": "wrong-uid-gid",
               "resource": failed["ResourceSpec"]["SageMakerImageVersionArn"]}
""",
    }
    outcomes = lab_exec.run_lab(CELLS, UID_STUDENT, monkeypatch, replace, keep=reached)
    assert outcomes["test-diagnosis-3"] == "passed", outcomes["test-diagnosis-3"]
    assert outcomes["test-fix-3"] == "passed", outcomes["test-fix-3"]
    assert (
        "Ensure that the UID/GID provided in the AppImageConfig matches the default "
        in (reached["reached_reason"])
    )


def test_making_the_config_match_a_root_image_loses_the_fix(monkeypatch):
    """The error's words suggest changing the app image config to the image's user: the
    app starts, but 1000/100 are the values AWS supports, so the fix is in the image."""
    v = incidents.variant(UID_STUDENT)
    uid, gid = (int(n) for n in (v.image_user_3 or "0:0").split(":"))
    system = {"DefaultUid": uid, "DefaultGid": gid}
    replace = {
        "fix-3": f"""
d3, space3 = ticket3["domain_id"], ticket3["space"]
app3 = dict(DomainId=d3, SpaceName=space3, AppType="JupyterLab", AppName="default")
failed = sm.describe_app(**app3)
config = "{v.image_3}-config"
sm.update_app_image_config(
    AppImageConfigName=config,
    JupyterLabAppImageConfig={{"FileSystemConfig": {system!r}}},
)
sm.delete_app(**app3)
wait_for_status(sm.describe_app, "Deleted", **app3)
spec = {{k: x for k, x in failed["ResourceSpec"].items() if k != "LifecycleConfigArn"}}
sm.create_app(**app3, ResourceSpec=spec)
wait_for_status(sm.describe_app, "InService", **app3)
""",
    }
    outcomes = lab_exec.run_lab(CELLS, UID_STUDENT, monkeypatch, replace)
    assert "fix the image, not the config" in outcomes["test-fix-3"], outcomes["test-fix-3"]
    assert {k for k, o in outcomes.items() if o != "passed"} == {"test-fix-3"}, outcomes
