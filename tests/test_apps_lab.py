"""The apps lab: its variants, the requests of exercise 2 (judged against the mock's own
answers), and the gaming routes its checks close.

The lab's code cells run here in-process, as in tests/test_spaces_lab.py; the lab's
grading over 20 learners and its wrong answers are tests/test_lab_seeds.py's.
"""

from __future__ import annotations

import boto3
import conftest
import lab_exec
import nbformat
import pytest

from autograder.config import REPO
from autograder.synthetic import wrong_variants
from labkit import apps_lab
from studio_mock import mock_studio

NOTEBOOK = REPO / "solutions" / "apps" / "apps.ipynb"
SEEDS = [f"learner-{i:02d}" for i in range(20)]
ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"

CELLS = lab_exec.code_cells("apps")
_MOTO_OWN = ("FeatureGroup", "Cluster", "Clusters")


def run_lab(student: str, monkeypatch, replace: dict[str, str] | None = None) -> dict[str, str]:
    # section 6's feature groups and HyperPod clusters are moto's own, not studio_mock's, and
    # moto's responses break botocore's shapes there (DescribeFeatureGroup has no NextToken,
    # a cluster's ARN ends in its name, not a 12-character id): the lab's exercises do not
    # depend on either, so only studio_mock's responses are checked here
    checked = conftest.response_problems
    monkeypatch.setattr(
        conftest,
        "response_problems",
        lambda name, parsed: [] if name.endswith(_MOTO_OWN) else checked(name, parsed),
    )
    return lab_exec.run_lab(CELLS, student, monkeypatch, replace)


def _solution(grade_id: str) -> str:
    (source,) = [s for i, s, _ in CELLS if i == grade_id]
    return source


def _predict(requests) -> dict[int, object]:
    """Exercise 2's answers as the solution cell computes them."""
    namespace = {"REQUESTS": requests}
    exec(_solution("judge-requests"), namespace)
    return namespace["answers"]


# ------------------------------------------------------------------ variants

# the error code of each rule, as the mock answers (shown by the test of every request)
CODES = {rule: "ResourceInUse" if rule == "D" else "ValidationException" for rule in "ABCDEF"}


def expected(v: apps_lab.Variant) -> dict[int, object]:
    """Exercise 2's answers: "accepted", or (error code, rule letter)."""
    rules = [apps_lab.rule_broken(r) for r in v.requests]
    return {
        n: "accepted" if rule is None else (CODES[rule], rule) for n, rule in enumerate(rules, 1)
    }


def _answers(v: apps_lab.Variant) -> dict[str, object]:
    """What each exercise expects (all four have names or numbers)."""
    return {
        "exercise 1": (v.stats_domain, v.r_user, v.rstudio_role),
        "exercise 2": (tuple(r.kind for r in v.requests), tuple(expected(v).items())),
        "exercise 3": v.check_profile,
        "exercise 4": (v.capacity, v.check_groups),
    }


def test_two_learners_get_different_answers_for_every_exercise():
    lab_exec.assert_learners_differ(_answers, apps_lab.variant, by_field=False)


def test_over_20_learners_every_answer_varies():
    variants = [apps_lab.variant(s) for s in SEEDS]
    assert len({v.stats_domain for v in variants}) >= 5
    assert len({v.rstudio_role for v in variants}) >= 4
    assert len({v.r_user for v in variants}) >= 10
    assert len({v.check_profile for v in variants}) >= 10
    assert len({tuple(expected(v).values()) for v in variants}) >= 15
    assert {r.kind for v in variants for r in v.requests} == set(apps_lab.REQUESTS)
    assert len({repr(v.capacity) for v in variants}) == 20
    assert len({tuple(sorted(v.check_capacity.items())) for v in variants}) >= 15


@pytest.mark.parametrize("student", SEEDS)
def test_every_learner_judges_accepted_and_refused_requests_for_different_rules(student):
    v = apps_lab.variant(student)
    answers = list(expected(v).values())
    refused = [a for a in answers if a != "accepted"]
    assert len(answers) == 4 and 1 <= len(refused) <= 3, answers
    # the naive answers are wrong for everyone: all accepted, all refused, one rule for all
    assert len({rule for _, rule in refused}) == len(refused) >= 2, refused
    assert not (
        any(r.kind == "rstudio" for r in v.requests)
        and any(r.kind == "rstudio-off" for r in v.requests)
    )
    assert len({r.space for r in v.requests}) == 4  # each request's own space in the check
    # exercise 4: the check's cluster has two groups of one type, so counts must add up
    assert apps_lab.add_up(v.check_groups) != {t: n for _, t, n in v.check_groups}


def test_the_notebook_shows_the_rules_the_checks_use():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (text,) = [c.source for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "md-17"]
    for letter, rule in apps_lab.RULES.items():
        assert f"| `{letter}` | {rule} |" in text


# ------------------------------------------------------------------ exercise 2's key


@pytest.mark.parametrize("rstudio_domain", [False, True])
def test_every_request_gets_the_mock_s_own_answer_and_the_solution_predicts_it(rstudio_domain):
    """Each request of the pool, made in a scratch domain as the check makes it: the
    mock's answer is the table's, and the solution's prediction is that answer."""
    kinds = [
        k
        for k in apps_lab.REQUESTS
        if apps_lab._request(k, "ana", "x").rstudio_domain == rstudio_domain
        or k not in ("rstudio", "rstudio-off")
    ]
    requests = tuple(apps_lab._request(k, "ana", f"ana-{i}") for i, k in enumerate(kinds))
    settings = {"RStudioServerProDomainSettings": {"DomainExecutionRoleArn": ROLE}}
    with mock_studio():
        sm = boto3.client("sagemaker")
        domain_id = sm.create_domain(
            DomainName="d",
            AuthMode="IAM",
            DefaultUserSettings={"ExecutionRole": ROLE},
            **({"DomainSettings": settings} if rstudio_domain else {}),
        )["DomainId"]
        sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
        seen = [apps_lab.attempt(sm, domain_id, "ana", r) for r in requests]
    predicted = _predict(requests)
    for n, (request, truth) in enumerate(zip(requests, seen, strict=True), 1):
        rule = apps_lab.rule_broken(request)
        if rule is None:
            assert truth == "accepted", (request.kind, truth)
            assert predicted[n] == "accepted", request.kind
        else:
            code, message = truth
            assert code == CODES[rule], (request.kind, truth)
            assert predicted[n] == (code, rule), request.kind
            assert message  # the learner has a message to read


def test_the_solution_passes_every_check(monkeypatch):
    outcomes = run_lab("learner-07", monkeypatch)
    assert set(outcomes.values()) == {"passed"}, outcomes
    assert len(outcomes) == 4


def test_the_lab_draws_its_variant_from_labkit_so_it_is_graded_over_many_learners():
    setup = _solution("setup")
    assert 'labkit.announce("apps")' in setup and "apps_lab.variant()" in setup


# ------------------------------------------------------------------ copied answers


def _literal(answers: dict[int, object]) -> str:
    return f"answers = {answers!r}\n"


def test_another_learner_s_answers_lose_exercise_2(monkeypatch):
    mine, theirs = apps_lab.variant("learner-03"), apps_lab.variant("learner-04")
    assert expected(mine) != expected(theirs)
    outcomes = run_lab("learner-03", monkeypatch, {"judge-requests": _literal(expected(theirs))})
    failed = {cell for cell, why in outcomes.items() if why != "passed"}
    assert failed == {"test-judge-requests"}, outcomes


def test_another_learner_s_literal_values_lose_exercises_1_and_4(monkeypatch):
    theirs = apps_lab.variant("learner-05")
    copied = {
        "enable-rstudio": f"""
sm.update_domain(
    DomainId=stats_id,
    DomainSettingsForUpdate={{"RStudioServerProDomainSettingsForUpdate": {{
        "DomainExecutionRoleArn": {theirs.rstudio_role!r}
    }}}},
)
try:  # their user is not in this learner's domain
    sm.create_app(
        DomainId=stats_id, UserProfileName={theirs.r_user!r}, AppType="RStudioServerPro",
        AppName="default",
    )
except ClientError as error:
    print(error)
""",
        "hyperpod-capacity": f"""
def hyperpod_capacity(sm):
    return {theirs.capacity!r}
""",
    }
    outcomes = run_lab("learner-06", monkeypatch, copied)
    failed = {cell for cell, why in outcomes.items() if why != "passed"}
    assert failed == {"test-enable-rstudio", "test-hyperpod-capacity"}, outcomes


def test_the_licensed_domain_passed_off_as_stats_id_loses_exercise_1(monkeypatch):
    """Section 3's second domain already has RStudio and a running server app: pointing
    stats_id at it would pass a check that trusted the variable."""
    gaming = "stats_id = licensed_id\n"
    outcomes = run_lab("learner-08", monkeypatch, {"enable-rstudio": gaming})
    failed = {cell: why for cell, why in outcomes.items() if why != "passed"}
    assert list(failed) == ["test-enable-rstudio"], failed
    assert "section 3 made without RStudio" in failed["test-enable-rstudio"]


def test_a_client_that_swallows_refusals_does_not_make_every_request_accepted(monkeypatch):
    """The check asks the mock with a client of its own: a learner's `sm` that turns every
    refusal into a success cannot make "accepted" the key."""
    gaming = """
class _Agreeable:
    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        method = getattr(self._inner, name)
        if name not in ("create_app", "create_space"):
            return method

        def call(**kwargs):
            try:
                return method(**kwargs)
            except ClientError:
                return {"AppArn": "", "SpaceArn": ""}

        return call


sm = _Agreeable(sm)
answers = {n: "accepted" for n in range(1, 5)}
"""
    for student in SEEDS[:2]:
        outcomes = run_lab(student, monkeypatch, {"judge-requests": gaming})
        failed = {cell for cell, why in outcomes.items() if why != "passed"}
        assert failed == {"test-judge-requests"}, (student, outcomes)


def test_the_wrong_variant_of_exercise_2_is_wrong_for_every_learner():
    wrong = wrong_variants("apps")["judge-requests"]
    for student in SEEDS:
        v = apps_lab.variant(student)
        namespace = {"REQUESTS": v.requests}
        exec(wrong, namespace)
        assert namespace["answers"] != expected(v), student
        assert _predict(v.requests) == expected(v), student
