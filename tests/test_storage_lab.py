"""The storage lab: its variants, the judgement exercise 1 asks for (a volume above the
domain's maximum, allowed for one user only), and the routes around it that its checks
close.

The lab's code cells run here in-process (tests/lab_exec.py); the lab's grading over 20
learners and its wrong answers are tests/test_lab_seeds.py's.
"""

from __future__ import annotations

import textwrap

import boto3
import lab_exec
import pytest

from autograder.synthetic import wrong_variants
from labkit import storage_lab
from studio_mock import mock_studio

SEEDS = [f"learner-{i:02d}" for i in range(20)]
ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"
MAXIMUM = 100  # the course's assumed maximum when a domain sets none

CELLS = lab_exec.code_cells("storage")


def run_lab(student: str, monkeypatch, replace: dict[str, str] | None = None) -> dict[str, str]:
    return lab_exec.run_lab(CELLS, student, monkeypatch, replace)


def run_until(check: str, student: str, monkeypatch, replace: dict[str, str]) -> dict[str, str]:
    """The lab up to one exercise's check (faster: whether the answer costs other
    exercises nothing is tests/test_lab_seeds.py's to show, for the wrong variants)."""
    ids = [i for i, _, _ in CELLS]
    return lab_exec.run_lab(CELLS[: ids.index(check) + 1], student, monkeypatch, replace)


def _solution(cell_id: str) -> str:
    (source,) = [s for i, s, _ in CELLS if i == cell_id]
    return source


# ------------------------------------------------------------------ variants


def _answers(v: storage_lab.Variant) -> dict[str, dict[str, object]]:
    """What each exercise expects, or the numbers its checks use."""
    return {
        "exercise 1": {"space": v.data_space, "owner": v.owner, "volume": v.volume_gb},
        "exercise 2": {"limits": v.limits},
        "exercise 3": {"sizes": (v.grow_from, v.grow_to, v.shrink_ask, v.over_max)},
        "exercise 4": {"subnets": (v.subnet_picks, v.kept_pick)},
        "exercise 5": {"ebs": v.ebs_seconds, "efs": v.efs_seconds},
    }


def test_two_learners_get_different_answers_for_every_exercise():
    lab_exec.assert_learners_differ(_answers, storage_lab.variant)


def test_over_20_learners_every_answer_varies():
    variants = [storage_lab.variant(s) for s in SEEDS]
    assert len({v.data_space for v in variants}) >= 15
    assert len({v.owner for v in variants}) >= 10
    assert len({v.volume_gb for v in variants}) >= 15
    for kind in ("private", "shared"):
        assert len({v.limits[kind][0] for v in variants}) >= 10
        assert len({v.limits[kind][1] for v in variants}) >= 10
    assert len({v.grow_to for v in variants}) >= 10
    assert len({v.over_max for v in variants}) >= 15
    assert len({len(v.subnet_picks) for v in variants}) >= 3
    assert len({v.subnet_picks for v in variants}) >= 12
    assert len({v.ebs_seconds for v in variants}) >= 15


@pytest.mark.parametrize("student", SEEDS)
def test_the_exercises_ask_for_judgement_for_every_learner(student):
    v = storage_lab.variant(student)
    # exercise 1: the size alone is refused, and what the domain allows is not enough
    assert v.volume_gb > MAXIMUM and v.owner != v.colleague
    # exercise 2: neither the old fixed answer nor the data without its outputs is right
    (pdef, pmax), (sdef, smax) = v.limits["private"], v.limits["shared"]
    assert (pdef, pmax, sdef, smax) != (10, 200, 50, 500)
    assert pdef != v.private_usual[0] and pmax != v.private_largest[0]
    assert 5 <= pdef < pmax <= 16384 and 5 <= sdef < smax <= 16384
    # the swapped settings (a wrong variant) are wrong for everyone
    assert (pdef, pmax) != (sdef, smax)
    # exercise 3: a smaller size, and one above the maximum, are asked for
    assert 5 <= v.shrink_ask < v.grow_to <= MAXIMUM < v.over_max
    assert v.grow_from < v.grow_to
    # exercise 4: more than one subnet, so one mount target is never enough
    assert 2 <= len(v.subnet_picks) <= 6 and 0 <= v.kept_pick < len(v.subnet_picks)
    # exercise 5: the latencies are the text's; the files and operations are the learner's
    assert v.efs_seconds == pytest.approx(10 * v.ebs_seconds)


def test_the_lab_draws_its_variant_from_labkit_so_it_is_graded_over_many_learners():
    assert 'labkit.announce("storage")' in _solution("setup")
    assert "storage_lab.variant()" in _solution("setup")
    for check in ("test-size-space", "test-domain-limits", "test-grow", "test-attach-efs"):
        assert "importlib.reload(_sl)" in _solution(check), check
    assert "importlib.reload(_sl)" in _solution("test-small-files")


# ------------------------------------------------------------------ the limits as read


@pytest.mark.parametrize(
    "domain_limits, profile_limits",
    [(None, None), ((10, 150), None), (None, (5, 180)), ((20, 120), (5, 300))],
)
def test_private_limits_reads_what_the_mock_enforces(domain_limits, profile_limits):
    """Exercise 1's check reads the limits from the settings: they must be those that
    create_space applies (the default it gives, the maximum it allows and refuses)."""

    def storage(limits):
        default, maximum = limits
        return {
            "SpaceStorageSettings": {
                "DefaultEbsStorageSettings": {
                    "DefaultEbsVolumeSizeInGb": default,
                    "MaximumEbsVolumeSizeInGb": maximum,
                }
            }
        }

    with mock_studio():
        sm = boto3.client("sagemaker")
        settings = {"ExecutionRole": ROLE, **(storage(domain_limits) if domain_limits else {})}
        domain_id = sm.create_domain(DomainName="d", AuthMode="IAM", DefaultUserSettings=settings)[
            "DomainId"
        ]
        sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
        if profile_limits:
            sm.update_user_profile(
                DomainId=domain_id, UserProfileName="ana", UserSettings=storage(profile_limits)
            )
        default, maximum = storage_lab.private_limits(sm, domain_id, "ana")
        expected = profile_limits or domain_limits or (5, MAXIMUM)
        assert (default, maximum) == expected

        def create(name, size=None):
            extra = {}
            if size is not None:
                extra = {
                    "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": size}}
                }
            sm.create_space(
                DomainId=domain_id,
                SpaceName=name,
                OwnershipSettings={"OwnerUserProfileName": "ana"},
                SpaceSharingSettings={"SharingType": "Private"},
                SpaceSettings={"AppType": "JupyterLab", **extra},
            )
            space = sm.describe_space(DomainId=domain_id, SpaceName=name)
            return space["SpaceSettings"]["SpaceStorageSettings"]["EbsStorageSettings"][
                "EbsVolumeSizeInGb"
            ]

        assert create("plain") == default
        assert create("largest", maximum) == maximum
        with pytest.raises(sm.exceptions.ClientError, match="above the maximum"):
            create("over", maximum + 1)


# ------------------------------------------------------------------ the lab, run


def test_the_solution_passes_every_check(monkeypatch):
    outcomes = run_lab("learner-07", monkeypatch)
    assert set(outcomes.values()) == {"passed"}, outcomes
    assert len(outcomes) == 5


def _failed(outcomes: dict[str, str]) -> dict[str, str]:
    return {cell: why for cell, why in outcomes.items() if why != "passed"}


def _ex1(size: str, default: str = "5", where: str = "profile") -> str:
    """An answer to exercise 1: the limits set in OWNER's profile or the domain's
    DefaultUserSettings, then the space created with the given size."""
    limits = (
        '{"SpaceStorageSettings": {"DefaultEbsStorageSettings": {'
        f'"DefaultEbsVolumeSizeInGb": {default}, "MaximumEbsVolumeSizeInGb": 400}}}}}}'
    )
    if where == "profile":
        change = (
            "sm.update_user_profile(DomainId=course_id, UserProfileName=OWNER, "
            f"UserSettings={limits})"
        )
    else:
        change = f"sm.update_domain(DomainId=course_id, DefaultUserSettings={limits})"
    return f"{change}\nnew_space(course_id, DATA_SPACE, owner=OWNER, size_gb={size})\n"


@pytest.mark.parametrize(
    "answer, message",
    [
        # what the domain allows, not what the work needs
        (_ex1("100"), "raise the limit that is in the way"),
        # room to spare, billed whole
        (_ex1("DATA_GB + ROOM_GB + 20"), "billed whole, used or not, and it can grow"),
        # the default raised with the maximum: every new space of OWNER is large
        (_ex1("DATA_GB + ROOM_GB", default="DATA_GB + ROOM_GB"), "keep the default at 5 GB"),
        # the domain's limit raised for everyone
        (_ex1("DATA_GB + ROOM_GB", where="domain"), "raised for the whole domain"),
    ],
    ids=["what-is-allowed", "too-large", "default-raised", "domain-wide"],
)
def test_exercise_1_takes_the_right_size_at_the_right_level(answer, message, monkeypatch):
    failed = _failed(
        run_until("test-size-space", "learner-03", monkeypatch, {"size-space": answer})
    )
    assert list(failed) == ["test-size-space"], failed
    assert message in failed["test-size-space"]


def test_creating_the_space_alone_is_refused_for_every_learner():
    """The naive answer, create_space with the size the work needs, never gets through."""
    for student in SEEDS[:5]:
        v = storage_lab.variant(student)
        with mock_studio():
            sm = boto3.client("sagemaker")
            domain_id = sm.create_domain(
                DomainName="course", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
            )["DomainId"]
            sm.create_user_profile(DomainId=domain_id, UserProfileName=v.owner)
            with pytest.raises(sm.exceptions.ClientError, match="above the maximum"):
                sm.create_space(
                    DomainId=domain_id,
                    SpaceName=v.data_space,
                    OwnershipSettings={"OwnerUserProfileName": v.owner},
                    SpaceSharingSettings={"SharingType": "Private"},
                    SpaceSettings={
                        "AppType": "JupyterLab",
                        "SpaceStorageSettings": {
                            "EbsStorageSettings": {"EbsVolumeSizeInGb": v.volume_gb}
                        },
                    },
                )


def _literal_answers(v: storage_lab.Variant) -> dict[str, str]:
    """Another learner's answers to exercises 1, 2 and 5, with their numbers written out."""
    (pdef, pmax), (sdef, smax) = v.limits["private"], v.limits["shared"]

    def limits(default, maximum):
        return (
            '{"SpaceStorageSettings": {"DefaultEbsStorageSettings": {'
            f'"DefaultEbsVolumeSizeInGb": {default}, "MaximumEbsVolumeSizeInGb": {maximum}}}}}}}'
        )

    return {
        "size-space": (
            f"sm.update_user_profile(DomainId=course_id, UserProfileName={v.owner!r}, "
            f"UserSettings={limits(5, v.volume_gb)})\n"
            f"new_space(course_id, {v.data_space!r}, owner={v.owner!r}, size_gb={v.volume_gb})\n"
        ),
        "domain-limits": (
            f"sm.update_domain(DomainId=team_id, DefaultUserSettings={limits(pdef, pmax)}, "
            f"DefaultSpaceSettings={limits(sdef, smax)})\n"
        ),
        "small-files": (
            f"ebs_seconds = {v.ebs_seconds!r}\nefs_seconds = {v.efs_seconds!r}\nratio = 10.0\n"
        ),
    }


def test_a_copied_answer_fails_for_the_copier(monkeypatch):
    """Learner 01's answers, numbers and names written out, run for learner 00: they pass
    for 01 and fail each of their exercises for 00 (on exercise 1, learner 01's profile
    does not exist in learner 00's domain)."""
    copied = {
        cell: "with contextlib.suppress(ClientError):  # the grader runs on past an error\n"
        + textwrap.indent(source, "    ")
        for cell, source in _literal_answers(storage_lab.variant("learner-01")).items()
    }
    assert set(run_lab("learner-01", monkeypatch, copied).values()) == {"passed"}
    failed = _failed(run_lab("learner-00", monkeypatch, copied))
    assert sorted(failed) == ["test-domain-limits", "test-size-space", "test-small-files"]


def test_the_old_fixed_answer_to_exercise_2_fails(monkeypatch):
    old = (
        "sm.update_domain(DomainId=team_id, DefaultUserSettings={'SpaceStorageSettings': "
        "{'DefaultEbsStorageSettings': {'DefaultEbsVolumeSizeInGb': 10, "
        "'MaximumEbsVolumeSizeInGb': 200}}}, DefaultSpaceSettings={'SpaceStorageSettings': "
        "{'DefaultEbsStorageSettings': {'DefaultEbsVolumeSizeInGb': 50, "
        "'MaximumEbsVolumeSizeInGb': 500}}})\n"
    )
    failed = _failed(
        run_until("test-domain-limits", "learner-04", monkeypatch, {"domain-limits": old})
    )
    assert list(failed) == ["test-domain-limits"], failed


def test_exercise_4_covers_the_learner_s_own_subnets(monkeypatch):
    """An answer that covers the first two subnets, as a domain of two would need, fails a
    learner whose check domain has more; the reference covers them all."""
    v = next(storage_lab.variant(s) for s in SEEDS if len(storage_lab.variant(s).subnet_picks) > 2)
    two = _solution("attach-efs").replace(
        'for subnet in domain["SubnetIds"]:', 'for subnet in domain["SubnetIds"][:2]:'
    )
    two = two.replace(
        'return {subnet: targets[subnet] for subnet in domain["SubnetIds"]}',
        'return {subnet: targets[subnet] for subnet in domain["SubnetIds"][:2]}',
    )
    assert two != _solution("attach-efs")
    failed = _failed(run_until("test-attach-efs", v.student, monkeypatch, {"attach-efs": two}))
    assert list(failed) == ["test-attach-efs"], failed
    assert f"has {len(v.subnet_picks)} subnets" in failed["test-attach-efs"]


def test_each_wrong_variant_says_what_is_wrong(monkeypatch):
    """The wrong variants lose their exercise and only it (tests/test_lab_seeds.py); here,
    for one learner, each check's message names the mistake."""
    expected = {
        "size-space": "raised for the whole domain",
        "domain-limits": "the usual private work needs",
        "grow": "a volume cannot shrink",
        "attach-efs": "no mount target in",
        "small-files": "convert milliseconds to seconds",
    }
    wrong = wrong_variants("storage")
    assert set(wrong) == set(expected)
    for cell, source in wrong.items():
        failed = _failed(run_until(f"test-{cell}", "learner-05", monkeypatch, {cell: source}))
        assert list(failed) == [f"test-{cell}"], (cell, failed)
        assert expected[cell] in failed[f"test-{cell}"], (cell, failed)
