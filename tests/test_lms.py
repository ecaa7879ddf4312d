"""LMS downloads in: names built as Canvas (lib/content_zipper.rb) and Moodle
(mod/assign/classes/downloader.php) build them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import lms
from autograder.config import REPO
from autograder.submissions import discover
from autograder.synthetic import answered

ASSIGNMENTS = ["domains", "quiz", "spaces"]


def _nb(assignment: str, solved: bool = True) -> bytes:
    if solved:
        return nbformat.writes(answered(assignment)).encode()
    return (REPO / "labs" / assignment / f"{assignment}.ipynb").read_bytes()


# ------------------------------------------------------------------ names
@pytest.mark.parametrize(
    "name, student, user, attachment, late, base",
    [
        ("doejane_104_5531_quiz.ipynb", "doejane_104", "104", 5531, False, "quiz.ipynb"),
        ("smithbob_LATE_105_5532_quiz-1.ipynb", "smithbob_105", "105", 5532, True, "quiz.ipynb"),
        ("smithbob_105_5533_quiz-12.ipynb", "smithbob_105", "105", 5533, False, "quiz.ipynb"),
        ("obrien_106_5534_quiz (2).ipynb", "obrien_106", "106", 5534, False, "quiz.ipynb"),
        # a sortable name that kept an underscore; an upload whose own name has them
        ("doe_jane_107_5535_my_quiz.ipynb", "doe_jane_107", "107", 5535, False, "my_quiz.ipynb"),
        # Canvas keeps Unicode letters; the grader's id is ASCII, the user id keeps it unique
        ("núñezjosé_108_5536_quiz.ipynb", "nunezjose_108", "108", 5536, False, "quiz.ipynb"),
        ("mǎlì_109_5537_quiz.ipynb", "mali_109", "109", 5537, False, "quiz.ipynb"),
        ("李_110_5538_quiz.ipynb", "canvas_110", "110", 5538, False, "quiz.ipynb"),
        # anonymous grading: no name, the anonymous id
        ("anon_aB3x9_5539_quiz.ipynb", "anon_aB3x9", "anon_aB3x9", 5539, False, "quiz.ipynb"),
        ("LATE_anon_12345_5540_quiz.ipynb", "anon_12345", "anon_12345", 5540, True, "quiz.ipynb"),
    ],
)
def test_canvas_names_are_read_as_canvas_writes_them(name, student, user, attachment, late, base):
    got = lms.parse(name)
    assert got is not None and got.lms == lms.CANVAS
    assert (got.student, got.user_id, got.attachment_id, got.late, got.base) == (
        student,
        user,
        attachment,
        late,
        base,
    )


@pytest.mark.parametrize(
    "path, student, participant, file",
    [
        # one folder per learner: Moodle's default since 3.1 (4.1 dropped the last "_")
        ("Jane Doe_1234567_assignsubmission_file/quiz.ipynb", "jane-doe", "1234567", "quiz.ipynb"),
        ("Jane Doe_1234567_assignsubmission_file_/quiz.ipynb", "jane-doe", "1234567", "quiz.ipynb"),
        ("José Núñez_55_assignsubmission_file/work/quiz.ipynb", "jose-nunez", "55", "quiz.ipynb"),
        # files in one folder, as before 3.1
        ("Jane Doe_1234567_assignsubmission_file_quiz.ipynb", "jane-doe", "1234567", "quiz.ipynb"),
        # blind marking: everyone is "Participant", the participant id tells them apart
        ("Participant_7654321_assignsubmission_file_quiz.ipynb", "participant-7654321", "7654321",
         "quiz.ipynb"),
    ],
)  # fmt: skip
def test_moodle_names_are_read_as_moodle_writes_them(path, student, participant, file):
    got = lms.parse(path)
    assert got is not None and got.lms == lms.MOODLE
    assert (got.student, got.user_id, got.file) == (student, participant, file)


@pytest.mark.parametrize(
    "name",
    [
        "jdoe_quiz.ipynb",  # the course's own <student>_<assignment>.ipynb
        "104_5531_quiz.ipynb",  # Canvas never leaves out the name, except as anon_
        "doe.jane_104_5531_quiz.ipynb",  # Canvas removes the dot: not its name
        "doejane_104_quiz.ipynb",  # no attachment id
        "doejane_104_5531_",  # no file
        "Jane Doe_x1_assignsubmission_file_quiz.ipynb",  # participant ids are numbers
    ],
)
def test_names_no_lms_writes_are_not_taken_for_theirs(name):
    assert lms.parse(name) is None


# ------------------------------------------------------------------ a folder of downloads
def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_the_latest_upload_counts_and_the_choice_is_reported(tmp_path):
    old, new = _nb("quiz", solved=False), _nb("quiz")
    _write(tmp_path, "smithbob_105_5500_quiz.ipynb", old)
    _write(tmp_path, "smithbob_LATE_105_5532_quiz-1.ipynb", new)
    _write(tmp_path, "doejane_104_5531_quiz.ipynb", old)
    found = discover(tmp_path, ASSIGNMENTS, tmp_path / "unpacked")
    subs = {s.key: s for s in found.submissions}
    assert set(subs) == {("smithbob_105", "quiz"), ("doejane_104", "quiz")}
    bob = subs[("smithbob_105", "quiz")]
    assert bob.files == {"quiz.ipynb": new}  # graded under its own name, not quiz-1.ipynb
    assert bob.origin["attachment_id"] == 5532 and bob.origin["late"] is True
    (choice,) = [n for n in found.notices if "smithbob" in n]
    assert "smithbob_LATE_105_5532_quiz-1.ipynb" in choice and "LATE" in choice
    assert "not graded: 'smithbob_105_5500_quiz.ipynb'" in choice


def test_every_file_not_graded_is_reported(tmp_path):
    nb = _nb("quiz", solved=False)
    _write(tmp_path, "doejane_104_5531_quiz.ipynb", nb)
    _write(tmp_path, "doejane_104_5541_notes.pdf", b"%PDF")
    _write(tmp_path, "final answers.ipynb", nb)  # no learner in the name
    _write(tmp_path, "kim_11_12_homework.ipynb", nb)  # which assignment?
    _write(tmp_path, "Lee Ann_77_assignsubmission_onlinetext/onlinetext.html", b"<p>hi</p>")
    _write(tmp_path, ".DS_Store", b"\0")
    (tmp_path / "elsewhere").symlink_to("/etc", target_is_directory=True)
    found = discover(tmp_path, ASSIGNMENTS, tmp_path / "unpacked")
    assert [s.key for s in found.submissions] == [("doejane_104", "quiz")]
    text = "\n".join(found.notices)
    for name in (
        "doejane_104_5541_notes.pdf",
        "final answers.ipynb",
        "kim_11_12_homework.ipynb",
        "onlinetext.html",
        ".DS_Store",
        "elsewhere",
    ):
        assert name in text, f"{name} not reported:\n{text}"
    assert "--assignment" in text  # says how to place the homework


def test_a_folder_or_assignment_option_names_the_assignment(tmp_path):
    nb = _nb("spaces", solved=False)
    _write(tmp_path, "spaces/kim_11_12_homework.ipynb", nb)  # Canvas zip unpacked in a folder
    _write(tmp_path, "Jane Doe_3_assignsubmission_file/my spaces.ipynb", nb)
    found = discover(tmp_path, ASSIGNMENTS, tmp_path / "u")
    assert [s.key for s in found.submissions] == [("kim_11", "spaces")]
    found = discover(tmp_path, ASSIGNMENTS, tmp_path / "u", only="spaces")
    assert {s.key for s in found.submissions} == {("kim_11", "spaces"), ("jane-doe", "spaces")}


def test_moodle_namesakes_keep_their_own_submissions(tmp_path):
    a, b = _nb("quiz", solved=False), _nb("quiz")
    _write(tmp_path, "Jane Doe_11_assignsubmission_file/quiz.ipynb", a)
    _write(tmp_path, "Jane Doe_12_assignsubmission_file/quiz.ipynb", b)
    found = discover(tmp_path, ASSIGNMENTS, tmp_path / "u")
    subs = {s.key: s.files["quiz.ipynb"] for s in found.submissions}
    assert subs == {("jane-doe-11", "quiz"): a, ("jane-doe-12", "quiz"): b}
    assert any("2 Moodle participants are named 'jane-doe'" in n for n in found.notices)


def test_a_zip_of_moodle_folders_is_read(tmp_path):
    archive = tmp_path / "COURSE-Quiz-42.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Jane Doe_11_assignsubmission_file/quiz.ipynb", _nb("quiz", solved=False))
        zf.writestr("Lee Ann_12_assignsubmission_file/quiz.ipynb", _nb("quiz", solved=False))
    found = discover(archive, ASSIGNMENTS, tmp_path / "u")
    assert {s.key for s in found.submissions} == {("jane-doe", "quiz"), ("lee-ann", "quiz")}
