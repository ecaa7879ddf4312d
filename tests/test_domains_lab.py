"""The domains lab: its variants, the decision of exercise 1 (which needs the brief read,
not the example copied) and the copied or hard-coded answers its hidden checks refuse.

The lab's code cells run here in-process, as in tests/test_spaces_lab.py; the lab's
grading over 20 learners and its wrong answers are tests/test_lab_seeds.py's.
"""

from __future__ import annotations

import lab_exec
import pytest

from autograder.synthetic import wrong_variants
from labkit import domains_lab

SEEDS = [f"learner-{i:02d}" for i in range(20)]
CELLS = lab_exec.code_cells("domains")
EXAMPLE = ("IAM", "Enabled")  # the example domain's settings: IAM and the default EFS


def run_lab(student: str, monkeypatch, replace: dict[str, str] | None = None) -> dict[str, str]:
    return lab_exec.run_lab(CELLS, student, monkeypatch, replace)


def run_until(last: str, student: str, monkeypatch, replace: dict[str, str]) -> dict[str, str]:
    """The lab's cells up to the check ``last`` (a quicker run for one exercise)."""
    upto = [cell[0] for cell in CELLS].index(last) + 1
    return lab_exec.run_lab(CELLS[:upto], student, monkeypatch, replace)


# ------------------------------------------------------------------ variants


def _answers(v: domains_lab.Variant) -> dict[str, dict[str, object]]:
    """What each exercise with names expects (exercise 4's answers are the ids the mock
    gives the file systems it makes, new at every run: nothing to copy there)."""
    return {
        "exercise 1": {"domain": v.domain_name, "role": v.team_role},
        "exercise 2": {"profiles": v.profiles, "role": v.own_role},
        "exercise 3": {
            "plain": v.check_plain,
            "custom": v.check_custom,
            "custom role": v.check_custom_role,
            "new default": v.check_new_role,
            "missing": v.check_missing,
        },
    }


def test_two_learners_get_different_answers_for_every_exercise():
    lab_exec.assert_learners_differ(_answers, domains_lab.variant)


def test_over_20_learners_every_answer_varies():
    variants = [domains_lab.variant(s) for s in SEEDS]
    assert len({v.domain_name for v in variants}) == 20
    assert len({v.team_role for v in variants}) >= 15
    assert {(v.auth_mode, v.home_efs) for v in variants} == set(domains_lab.CHOICES)
    assert len({v.sign_in for v in variants}) >= 4 and len({v.efs for v in variants}) >= 3
    assert len({v.profiles for v in variants}) == 20
    assert {v.profiles.index(v.own_role_profile) for v in variants} == {0, 1}
    assert len({v.own_role for v in variants}) == 20
    assert len({v.check_custom_role for v in variants}) == 20
    assert len({v.check_new_role for v in variants}) == 20


# ------------------------------------------------------------------ exercise 1: a decision


@pytest.mark.parametrize("student", SEEDS)
def test_the_example_s_settings_are_never_the_team_s(student):
    v = domains_lab.variant(student)
    assert (v.auth_mode, v.home_efs) != EXAMPLE
    assert v.auth_mode in ("IAM", "SSO") and v.home_efs in ("Enabled", "Disabled")
    assert v.own_role_profile in v.profiles and v.default_profile in v.profiles
    assert v.own_role_profile != v.default_profile


def test_a_word_in_the_brief_is_not_the_answer():
    """Keyword matching fails: 'IAM user' appears in a brief that needs SSO, and 'EFS' in
    one that needs no EFS."""
    assert any("IAM users" in text for text, mode in domains_lab.SIGN_IN if mode == "SSO")
    assert any("IAM Identity Center" in text for text, mode in domains_lab.SIGN_IN if mode == "IAM")
    assert any("EFS" in text for text, choice in domains_lab.HOME_EFS if choice == "Disabled")
    for text, mode in domains_lab.SIGN_IN:  # each sentence says its reason plainly
        iam_reason = "presigned" if "link" in text else "IAM user"
        reason = "access portal" if mode == "SSO" else iam_reason
        assert reason in text, text
    for text, choice in domains_lab.HOME_EFS:
        assert ("private spaces" in text) == (choice == "Enabled"), text


def test_printing_the_variant_does_not_show_the_decision():
    v = domains_lab.variant("learner-00")
    shown = repr(v) + v.brief()
    for word in ("'IAM'", "'SSO'", "Enabled", "Disabled", "AuthMode", "HomeEfs"):
        assert word not in shown, word


def _domain_answer(name: str, role: str, auth: str, home_efs: str) -> str:
    return (
        f"domain_id = sm.create_domain(DomainName={name!r}, AuthMode={auth!r}, "
        f"DefaultUserSettings={{'ExecutionRole': {role!r}}}, "
        f"HomeEfsFileSystemCreation={home_efs!r})['DomainId']"
    )


@pytest.mark.parametrize("student", SEEDS)
def test_copying_the_example_fails_exercise_1_for_everyone(student, monkeypatch):
    naive = wrong_variants("domains")["create-domain"]
    outcome = run_until("test-create-domain", student, monkeypatch, {"create-domain": naive})
    assert outcome["test-create-domain"] != "passed"
    v = domains_lab.variant(student)
    assert ("AuthMode" in outcome["test-create-domain"]) == (v.auth_mode == "SSO")


@pytest.mark.parametrize("wrong", ["auth", "efs"])
def test_each_half_of_the_decision_is_checked(wrong, monkeypatch):
    v = domains_lab.variant("learner-02")
    other = {"IAM": "SSO", "SSO": "IAM", "Enabled": "Disabled", "Disabled": "Enabled"}
    auth = other[v.auth_mode] if wrong == "auth" else v.auth_mode
    home_efs = other[v.home_efs] if wrong == "efs" else v.home_efs
    answer = _domain_answer(v.domain_name, v.team_role, auth, home_efs)
    outcome = run_until("test-create-domain", "learner-02", monkeypatch, {"create-domain": answer})
    assert ("AuthMode" if wrong == "auth" else "HomeEfsFileSystemCreation") in outcome[
        "test-create-domain"
    ]


# ------------------------------------------------------------------ copied answers


def test_the_solution_passes_for_another_learner(monkeypatch):
    assert set(run_lab("learner-05", monkeypatch).values()) == {"passed"}


def test_another_learner_s_literal_answers_fail(monkeypatch):
    """learner-01's answers, written out as literals, handed in by learner-00: the visible
    checks pass (the copier also overwrote the printed names), the hidden ones do not."""
    me, them = domains_lab.variant("learner-00"), domains_lab.variant("learner-01")
    copied = {
        "create-domain": f"DOMAIN_NAME, TEAM_ROLE = {them.domain_name!r}, {them.team_role!r}\n"
        + _domain_answer(them.domain_name, them.team_role, them.auth_mode, them.home_efs),
        "create-profiles": f"PEOPLE, PROJECT_ROLE = {them.profiles!r}, {them.own_role!r}\n"
        f"sm.create_user_profile(DomainId=course_id, UserProfileName={them.default_profile!r})\n"
        f"sm.create_user_profile(DomainId=course_id, UserProfileName={them.own_role_profile!r}, "
        f"UserSettings={{'ExecutionRole': {them.own_role!r}}})",
    }
    outcome = run_lab("learner-00", monkeypatch, copied)
    assert me.domain_name in outcome["test-create-domain"], outcome
    assert "expected" in outcome["test-create-profiles"], outcome
    assert outcome["test-effective-role"] == outcome["test-home-efs"] == "passed"


def _fitted(v: domains_lab.Variant) -> str:
    """An exercise 3 answer fitted to the names a learner saw in a check's feedback: the
    custom profile's role written in, the domain read for anyone else."""
    return f"""
def effective_execution_role(sm, domain_id, profile_name):
    sm.describe_user_profile(DomainId=domain_id, UserProfileName=profile_name)  # may raise
    if profile_name == {v.check_custom!r}:
        return {v.check_custom_role!r}
    return sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"]["ExecutionRole"]
"""


def test_exercise_3_refuses_an_answer_fitted_to_another_learner_s_names(monkeypatch):
    me, them = domains_lab.variant("learner-00"), domains_lab.variant("learner-01")
    fitted = {"effective-role": _fitted(them)}
    outcome = run_until("test-effective-role", "learner-00", monkeypatch, fitted)
    assert "own role wins" in outcome["test-effective-role"]
    assert outcome["test-create-domain"] == outcome["test-create-profiles"] == "passed"
    fitted = {"effective-role": _fitted(me)}  # the same answer fitted to one's own names
    outcome = run_until("test-effective-role", "learner-00", monkeypatch, fitted)
    assert outcome["test-effective-role"] == "passed"  # (so the refusal above is the names')
