"""LMS downloads in, LMS files out.

Names are built as Canvas (lib/content_zipper.rb) and Moodle (mod/assign/classes/
downloader.php) build them; the files export writes are read back with the rules the two
importers apply (Canvas: app/models/gradebook_importer.rb and
Assignment#infer_comment_context_from_filename; Moodle: mod/assign/feedback/offline/
importgradeslib.php and mod/assign/feedback/file/importziplib.php).
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import nbformat
import pytest
from grading_support import autograder
from nbgrader.api import Gradebook

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


# ------------------------------------------------------------------ graded, then exported
@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Canvas and Moodle downloads of domains, a late resubmission among them, a Canvas
    quiz whose essays wait for a grader, and a file that is no submission."""
    root = tmp_path_factory.mktemp("downloads")
    _write(root, "domains/doejane_104_5531_domains.ipynb", _nb("domains"))
    _write(root, "domains/smithbob_105_5500_domains.ipynb", _nb("domains", solved=False))
    _write(root, "domains/smithbob_LATE_105_5532_domains-1.ipynb", _nb("domains"))
    _write(root, "domains/Jane Doe_1234567_assignsubmission_file/domains.ipynb", _nb("domains"))
    _write(root, "quiz/leeann_9_10_quiz.ipynb", _nb("quiz"))
    _write(root, "quiz/leeann_9_11_scratch.txt", b"notes")
    out = tmp_path_factory.mktemp("out")
    run = autograder("grade", str(root), "--out", str(out), "--workers", "2", "--timeout", "60")
    with (out / "grades.csv").open() as f:
        rows = {(r["student"], r["assignment"]): r for r in csv.DictReader(f)}
    return {"out": out, "run": run, "rows": rows}


def test_the_latest_upload_is_graded_and_late_is_said(graded):
    bob = graded["rows"][("smithbob_105", "domains")]
    assert float(bob["score"]) == 10  # the late, complete upload, not the blank one
    assert "late" in bob["message"].lower()
    assert "smithbob_LATE_105_5532_domains-1.ipynb" in graded["run"].stderr
    assert "leeann_9_11_scratch.txt" in graded["run"].stderr
    assert "leeann_9_11_scratch.txt" in (graded["out"] / "report.html").read_text()
    assert float(graded["rows"][("jane-doe", "domains")]["score"]) == 10
    quiz = graded["rows"][("leeann_9", "quiz")]
    assert (quiz["score"], quiz["awaiting"]) == ("41", "20")


def _canvas_header_ok(header: list[str]) -> int:
    """Canvas's GradebookImporter#header? and #update_column_count: the number of student
    columns, or an assertion error where Canvas would say 'Invalid header row'."""
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1]
    columns = 3
    if "SIS Login ID" in header[2]:
        columns += 1
    elif "SIS User ID" in header[2] and "SIS Login ID" in header[3]:
        columns += 2
    assert "Section" in header[columns - 1]
    return columns


def _canvas_comment_target(filename: str) -> tuple[str, str]:
    """Canvas's Assignment#infer_comment_context_from_filename: the first two all-digit
    parts between '_' are the user id and the attachment id."""
    user, attachment = [p for p in Path(filename).name.split("_") if p.isdigit()][:2]
    return user, attachment


def test_canvas_import_file_and_feedback_zips(graded):
    out = graded["out"]
    autograder("export", str(out), "--lms", "canvas", "--title", "quiz=Quiz 1 (12345)")
    with (out / "export" / "canvas-grades.csv").open() as f:
        table = list(csv.reader(f))
    header, possible, *learners = table
    first = _canvas_header_ok(header)
    assert header[first:] == ["domains", "Quiz 1 (12345)"]  # only what was submitted
    assert possible[0] == "Points Possible" and possible[first:] == ["10", "61"]
    grades = {row[1]: row[first:] for row in learners}
    # leeann's essays await a grader: no grade yet (an empty cell changes nothing)
    assert grades == {"9": ["", ""], "104": ["10", ""], "105": ["10", ""]}
    with zipfile.ZipFile(out / "export" / "canvas-feedback-domains.zip") as zf:
        targets = {_canvas_comment_target(n) for n in zf.namelist()}
        assert all(n.endswith("_domains.html") for n in zf.namelist())
    assert targets == {("104", "5531"), ("105", "5532")}  # the attachment that was graded
    with zipfile.ZipFile(out / "export" / "canvas-feedback-quiz.zip") as zf:
        assert [_canvas_comment_target(n) for n in zf.namelist()] == [("9", "10")]


def _moodle_feedback_target(path: str) -> tuple[str, str, str]:
    """importziplib.php: a path part split on '_' into at most 5: name, participant id,
    plugin type, plugin name, rest."""
    info = path.split("/")[0].split("_", 4)
    assert len(info) >= 4 and info[1].isdigit()
    return info[1], f"{info[2]}_{info[3]}", info[4] if len(info) == 5 else ""


def test_moodle_worksheet_and_feedback_zip(graded):
    out = graded["out"]
    autograder("export", str(out), "--lms", "moodle")
    exported = sorted(p.name for p in (out / "export").glob("moodle-*"))
    assert exported == ["moodle-feedback-domains.zip", "moodle-grades-domains.csv"]
    with (out / "export" / "moodle-grades-domains.csv").open() as f:
        (row,) = list(csv.DictReader(f))
    # the three columns the importer must find, or it refuses the file
    assert {"Identifier", "Grade", "Last modified (grade)"} <= set(row)
    assert "Feedback comments" not in row  # comments typed in Moodle are not replaced
    assert row["Identifier"].removeprefix("Participant ") == "1234567"
    assert (row["Grade"], row["Maximum Grade"], row["Full name"]) == ("10", "10", "Jane Doe")
    with zipfile.ZipFile(out / "export" / "moodle-feedback-domains.zip") as zf:
        assert [_moodle_feedback_target(n) for n in zf.namelist()] == [
            ("1234567", "assignfeedback_file", "domains.html")
        ]


def test_export_waits_for_finalize_after_hand_grading(graded):
    out = graded["out"]
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        for n in range(1, 6):
            grade = gradebook.find_grade(f"essay-{n}", "quiz", "quiz", "leeann_9")
            grade.manual_score, grade.needs_manual_grade = 3, False
        gradebook.db.commit()
    stale = autograder("export", str(out), "--lms", "canvas", ok=False)
    assert stale.returncode == 2 and "finalize" in stale.stdout
    autograder("finalize", str(out))
    autograder("export", str(out), "--lms", "canvas")
    with (out / "export" / "canvas-grades.csv").open() as f:
        grades = {row[1]: row[5:] for row in list(csv.reader(f))[2:]}
    assert grades["9"] == ["", "56"]  # 41 autograded + 5 essays x 3
