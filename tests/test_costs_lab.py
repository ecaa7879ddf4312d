"""The costs lab: its variants, the decision of exercise 4 (which the naive answers get
wrong for every learner), and the gaming route closed there (delete everything, then
make the app's endpoint again).

The lab's code cells run here in-process (tests/lab_exec.py); the lab's grading over 20
learners and its wrong answers are tests/test_lab_seeds.py's.
"""

from __future__ import annotations

import boto3
import lab_exec
import pytest

from autograder.synthetic import wrong_variants
from labkit import costs_lab
from studio_mock import mock_studio, prices

SEEDS = [f"learner-{i:02d}" for i in range(20)]
ROLE = costs_lab.ROLE
CELLS = lab_exec.code_cells("costs")


def run_lab(student: str, monkeypatch, replace: dict[str, str] | None = None) -> dict[str, str]:
    return lab_exec.run_lab(CELLS, student, monkeypatch, replace)


# ------------------------------------------------------------------ variants


def _answers(v: costs_lab.Variant) -> dict[str, dict[str, object]]:
    """What each exercise expects, by the learner's names and numbers."""
    p = v.project
    return {
        "exercise 1": {"space": v.stop_space, "file": v.stop_file},
        "exercise 2": {
            "made-up answer": v.made_up_answer,
            "endpoint": v.endpoint,
            "cluster": v.cluster_name,
            "bucket": v.bucket,
        },
        "exercise 3": {
            "endpoint": v.endpoint,
            "month": round(v.endpoint_monthly, 2),
            "check month": round(v.check_monthly, 2),
        },
        "exercise 4": {
            "app endpoint": p.app_endpoint,
            "app model": p.app_model,
            "kept": (p.app_variants, p.volume_gb),
            "month after": round(p.month_after, 2),
        },
    }


def test_two_learners_get_different_answers_for_every_exercise():
    lab_exec.assert_learners_differ(_answers, costs_lab.variant)


def test_over_20_learners_every_answer_varies():
    variants = [costs_lab.variant(s) for s in SEEDS]
    assert len({v.stop_space for v in variants}) >= 15
    assert {v.stop_app_type for v in variants} == {"JupyterLab", "CodeEditor"}
    assert len({tuple(v.made_up_answer) for v in variants}) == 20
    assert len({round(v.endpoint_monthly, 2) for v in variants}) >= 10
    assert len({round(v.check_monthly, 2) for v in variants}) >= 12
    assert len({round(v.project.month_after, 2) for v in variants}) >= 18
    assert len({v.project.app_endpoint for v in variants}) >= 10
    assert len({(v.run_hours, v.leftover_hours, v.night_hours) for v in variants}) >= 15


@pytest.mark.parametrize("student", SEEDS)
def test_each_variant_asks_what_the_exercise_teaches(student):
    v = costs_lab.variant(student)
    # exercise 2: the dearest item of the made-up report no longer bills
    dearest = max(v.made_up, key=lambda item: item[3])
    assert dearest[4] is False and len(v.made_up_answer) == len(v.made_up) - 1
    # exercise 3: ignoring InitialInstanceCount gets the check's endpoint wrong
    one_each = sum(prices.ENDPOINT_INSTANCE_HOURLY[t] for _, t, _ in v.check_variants) * 730
    assert abs(one_each - v.check_monthly) > 1
    assert len(v.check_variants) == 2


@pytest.mark.parametrize("student", SEEDS)
def test_exercise_4_needs_judgement_the_naive_answers_are_wrong(student):
    p = costs_lab.variant(student).project
    endpoints = p.endpoints
    # the staging endpoint serves the app's model: cleaning each endpoint up with its
    # models deletes a model the app's config still names
    assert endpoints[p.staging_endpoint][0] == endpoints[p.app_endpoint][0] == p.app_model
    assert endpoints[p.old_endpoint][0] == p.old_model != p.app_model
    # keep everything: the month is far dearer; delete everything: the app is gone, and
    # only the space's volume would bill
    assert p.month_before > p.month_after + 100
    assert abs(p.month_after - p.volume_monthly) > 10
    # forgetting the stopped space's volume is a different number
    assert abs(p.month_after - costs_lab.monthly(p.app_variants)) >= 0.5
    # every name of the project contains the project's, and nothing else's does
    v = costs_lab.variant(student)
    names = [*endpoints, p.space, p.cluster, p.bucket, p.app_model, p.old_model]
    assert all(p.name in name for name in names)
    others = [v.work_space, v.endpoint, v.model, v.cluster_name, v.bucket, v.stop_space]
    assert not any(p.name in name for name in others)


# ------------------------------------------------------------------ the lab, run


def test_the_solution_passes_every_check(monkeypatch):
    outcomes = run_lab("learner-07", monkeypatch)
    assert set(outcomes.values()) == {"passed"}, outcomes
    assert len(outcomes) == 4


def test_the_naive_clean_up_loses_exercise_4_and_only_it(monkeypatch):
    naive = wrong_variants("costs")["wrap-up"]
    for student in SEEDS[:2]:
        outcomes = run_lab(student, monkeypatch, {"wrap-up": naive})
        failed = {cell: why for cell, why in outcomes.items() if why != "passed"}
        assert list(failed) == ["test-wrap-up"], (student, failed)
        assert (
            "staging" in failed["test-wrap-up"]
            or "served the same model" in (failed["test-wrap-up"])
        )


DELETE_EVERYTHING = """
for endpoint in sm.list_endpoints(NameContains=PROJECT)["Endpoints"]:
    name = endpoint["EndpointName"]
    config_name = sm.describe_endpoint(EndpointName=name)["EndpointConfigName"]
    config = sm.describe_endpoint_config(EndpointConfigName=config_name)
    sm.delete_endpoint(EndpointName=name)
    sm.delete_endpoint_config(EndpointConfigName=config_name)
    for model_name in {pv["ModelName"] for pv in config["ProductionVariants"]}:
        try:
            sm.delete_model(ModelName=model_name)
        except ClientError:
            pass
emr.terminate_job_flows(JobFlowIds=[PROJECT_CLUSTER])
for obj in s3.list_objects_v2(Bucket=PROJECT_BUCKET).get("Contents", []):
    s3.delete_object(Bucket=PROJECT_BUCKET, Key=obj["Key"])
s3.delete_bucket(Bucket=PROJECT_BUCKET)
MONTH_AFTER = sum(
    i.hourly for i in cost_report().items if i.billing and PROJECT in i.name
) * HOURS_PER_MONTH
"""

KEEP_EVERYTHING = """
MONTH_AFTER = sum(
    i.hourly for i in cost_report().items if i.billing and PROJECT in i.name
) * HOURS_PER_MONTH
"""

# the gaming route: delete everything, then make the app's model, config and endpoint
# again from what was read before, so that the names and prices are as they were
DELETE_THEN_REMAKE = (
    """
_app_config = sm.describe_endpoint(EndpointName=APP_ENDPOINT)["EndpointConfigName"]
_app_variants = sm.describe_endpoint_config(EndpointConfigName=_app_config)["ProductionVariants"]
_app_model = _app_variants[0]["ModelName"]
_container = sm.describe_model(ModelName=_app_model)["PrimaryContainer"]
"""
    + DELETE_EVERYTHING.split("MONTH_AFTER")[0]
    + """
sm.create_model(ModelName=_app_model, ExecutionRoleArn=ROLE, PrimaryContainer=_container)
sm.create_endpoint_config(
    EndpointConfigName=_app_config,
    ProductionVariants=[
        {k: pv[k] for k in ("VariantName", "ModelName", "InstanceType", "InitialInstanceCount")}
        for pv in _app_variants
    ],
)
sm.create_endpoint(EndpointName=APP_ENDPOINT, EndpointConfigName=_app_config)
MONTH_AFTER = sum(
    i.hourly for i in cost_report().items if i.billing and PROJECT in i.name
) * HOURS_PER_MONTH
"""
)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (DELETE_EVERYTHING, "The team's app calls"),
        (KEEP_EVERYTHING, "is not needed and still bills"),
        (DELETE_THEN_REMAKE, "was made again"),
    ],
    ids=["delete everything", "keep everything", "delete, then make the app again"],
)
def test_the_naive_and_gaming_answers_fail_exercise_4(answer, message, monkeypatch):
    outcomes = run_lab("learner-03", monkeypatch, {"wrap-up": answer})
    failed = {cell: why for cell, why in outcomes.items() if why != "passed"}
    assert list(failed) == ["test-wrap-up"], failed
    assert message in failed["test-wrap-up"], failed["test-wrap-up"]


def test_forgetting_the_stopped_space_s_volume_is_told(monkeypatch):
    (solution,) = [s for i, s, _ in CELLS if i == "wrap-up"]
    forgets = solution.replace(
        "left = [i for i in cost_report().items if i.billing and PROJECT in i.name]",
        "left = [i for i in cost_report().items if i.billing and i.kind == 'Endpoint' "
        "and PROJECT in i.name]",
    )
    assert forgets != solution
    outcomes = run_lab("learner-04", monkeypatch, {"wrap-up": forgets})
    assert "volume still bills" in outcomes["test-wrap-up"], outcomes


def test_the_lab_draws_its_variant_from_labkit_so_it_is_graded_over_many_learners():
    (setup,) = [s for i, s, _ in CELLS if i == "setup"]
    assert 'labkit.announce("costs")' in setup and "costs_lab.variant()" in setup
    checks = [s for i, s, meta in CELLS if meta.get("grade")]
    assert len(checks) == 4
    assert all("importlib.reload(_cl)" in s for s in checks)


def test_the_project_s_identity_survives_a_reload_and_tells_a_remade_endpoint():
    import importlib

    v = costs_lab.variant("learner-05")
    p = v.project
    with mock_studio():
        sm, emr, s3 = (boto3.client(n) for n in ("sagemaker", "emr", "s3"))
        domain_id = sm.create_domain(
            DomainName="d", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
        )["DomainId"]
        sm.create_user_profile(DomainId=domain_id, UserProfileName=v.owner)
        costs_lab.make_project(sm, emr, s3, domain_id, v)
        reloaded = importlib.reload(costs_lab)
        assert reloaded.same_app(sm, domain_id, p) is None
        sm.delete_endpoint(EndpointName=p.app_endpoint)
        sm.create_endpoint(EndpointName=p.app_endpoint, EndpointConfigName=p.config(p.app_endpoint))
        assert "endpoint was made again" in (reloaded.same_app(sm, domain_id, p) or "")
