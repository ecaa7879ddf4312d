"""The sharing lab's variants, its predict-then-verify exercise and its gaming routes.

tests/test_lab_seeds.py grades the lab for 20 ids (solution, blank, wrong variants, one
of which is Exercise 3's old gaming route: handing in the outcomes of the calls). Here:
two learners get different answers, Exercises 1 and 2 ask different things, the lab's
rules agree with the mock, Exercise 3 records before it shows, and Exercise 1 loses its
points when it is answered with StudioView.
"""

from __future__ import annotations

import dataclasses
import importlib

import boto3
import pytest
from test_lab_seeds import SEEDS, _cells, _exercise_tests, _notebook, _run, _with_cell

from labkit import sharing_lab
from studio_mock import mock_studio


def _answers(student: str) -> dict[str, object]:
    """What each exercise with names or numbers expects of this learner."""
    v = sharing_lab.variant(student)
    private = v.first(v.owner, "Private")
    return {
        "Exercise 1": {p: v.listed_in_studio(p) for p in v.people},
        "Exercise 2": {p: v.may_delete(p) for p in v.people},
        "Exercise 3": v.action_labels,
        "Exercise 4": (private.name, private.ebs_gb),
        "Exercise 5": (v.pair, v.owner, v.newcomer),
    }


def test_two_learners_get_different_answers_for_every_exercise():
    first, second = _answers("learner-00"), _answers("learner-01")
    same = [exercise for exercise in first if first[exercise] == second[exercise]]
    assert not same, same


def test_a_learner_gets_the_same_variant_each_time():
    assert sharing_lab.variant("learner-07") == sharing_lab.variant("learner-07")


@pytest.mark.parametrize("student", SEEDS)
def test_what_studio_lists_and_what_a_profile_may_delete_differ_for_everyone(student):
    v = sharing_lab.variant(student)
    for person in v.people:
        assert v.listed_in_studio(person) != v.may_delete(person), (student, person)
    labels = set(v.action_labels)
    assert len(labels) == 8 and len(v.spaces) >= 4, v


@pytest.fixture
def mock():
    importlib.reload(sharing_lab)  # a fresh record of predictions
    studio = mock_studio().start()
    yield boto3.client("sagemaker")
    studio.stop()
    importlib.reload(sharing_lab)


def _rules(v, attempt):
    """The recommended policy's rules, written out (as the solution writes them)."""
    if attempt.operation in ("ListSpaces", "DescribeSpace"):
        return False
    if attempt.operation == "CreatePresignedDomainUrl":
        return attempt.profile not in (None, v.peer) or (
            attempt.sharing == "Private" and attempt.space_owner != v.peer
        )
    if attempt.operation in ("CreateApp", "DeleteApp"):
        return attempt.sharing == "Private" and attempt.space_owner != v.peer
    if attempt.operation in ("CreateSpace", "UpdateSpace", "DeleteSpace"):
        return attempt.space_owner != v.peer
    return True


def test_every_attempt_of_the_pool_is_decided_by_the_mock_as_the_rules_say(mock):
    # the 20-id runs check the 8 attempts each learner gets; here all 15 of one variant
    v = sharing_lab.variant(SEEDS[0])
    pool = [attempt for attempt, _ in sharing_lab._pool(v)]
    everything = dataclasses.replace(v, action_labels=tuple(a.label for a in pool))
    assert sharing_lab.denied(everything, mock) == {a.label for a in pool if _rules(v, a)}


@pytest.mark.parametrize("student", SEEDS)
def test_each_learner_predicts_some_denied_and_some_allowed(student):
    v = sharing_lab.variant(student)
    said = [_rules(v, attempt) for attempt in sharing_lab.attempts(v)]
    assert len(said) == 8 and any(said) and not all(said), said


def test_verify_shows_nothing_before_a_prediction_and_predicting_stops_after(mock, capsys):
    assert sharing_lab.verify(mock) is None
    assert "Record a prediction first" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="No prediction was recorded"):
        sharing_lab.recorded_prediction()

    said = sharing_lab.predict(lambda attempt: attempt.operation != "ListSpaces")
    assert said.startswith("Prediction recorded")
    first = sharing_lab.recorded_prediction()
    assert sharing_lab.verify(mock) is not None

    refused = sharing_lab.predict(lambda attempt: False)
    assert "shown in this kernel already" in refused
    assert sharing_lab.recorded_prediction() == first  # the first prediction stands


def test_a_prediction_that_tries_the_calls_records_nothing(mock):
    said = sharing_lab.predict(lambda attempt: attempt.label in sharing_lab.denied())
    assert "no AWS calls while predicting" in said
    with pytest.raises(RuntimeError, match="no AWS calls while predicting"):
        sharing_lab.recorded_prediction()  # what the hidden check reports
    mock.list_domains()  # the calls are back once the prediction is over


USES_STUDIO_VIEW = """
def spaces_visible_in_studio(sm, domain_id, profile):
    return {card.name for card in StudioView(domain_id, profile.lower()).spaces()}
"""


def test_exercise_1_answered_with_studio_view_loses_exactly_its_points(tmp_path):
    source = _notebook("solutions", "sharing")
    top = {c["grade_id"]: c["points"] for c in _cells(source) if "grade_id" in c}
    (scores,) = _run(
        [(SEEDS[0], _with_cell(source, "visible-in-studio", USES_STUDIO_VIEW))], tmp_path
    )
    lost = {grade_id for grade_id, (score, _) in scores.items() if score < top[grade_id]}
    assert lost == set(_exercise_tests(source, "visible-in-studio")) == {"test-visible-in-studio"}
    assert scores["test-visible-in-studio"][0] == 0


def test_outcomes_computed_before_a_prediction_stop_it_being_recorded(mock):
    # the answer cell computes the truth at its top and the function only reads it
    known = sharing_lab.denied()
    said = sharing_lab.predict(lambda attempt: attempt.label in known)
    assert "that is trying, not predicting" in said
    with pytest.raises(RuntimeError, match="trying, not predicting"):
        sharing_lab.recorded_prediction()
