"""The class roster: a usable one is read as written, a malformed one gets an error that
names the line and the problem; passwords issued from it are stored only as hashes."""

from __future__ import annotations

import json
import pwd

import pytest

from class_hub import accounts
from class_hub.roster import RosterError, load, parse
from class_hub.state import State, check_password, issue_passwords

GOOD = """username,role,team
ana,learner,red
ben,learner,red
cy,learner,
ines,instructor,
"""


def test_a_roster_gives_learners_instructors_teams_and_accounts():
    roster = parse(GOOD)
    assert roster.learners == ["ana", "ben", "cy"]
    assert roster.instructors == ["ines"]
    assert roster.teams == {"red": ["ana", "ben"]}
    assert roster.accounts() == {
        "ana": "learner",
        "ben": "learner",
        "cy": "learner",
        "ines": "instructor",
        "team-red": "team",
    }


def test_a_spreadsheet_export_with_bom_blank_lines_and_spaces_is_fine(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffUsername, Role ,Team\r\n\r\n ana , Learner, red \r\n", encoding="utf-8")
    assert load(path).people[0].username == "ana"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("name,role\nana,learner\n", "line 1: the header must be"),
        ("username,role,team,email\nana,learner,,a@b\n", "line 1: the header must be"),
        ("username,role\n", "no learners or instructors"),
        ("username,role\nana,student\n", "line 2: role 'student' is not one of"),
        ("username,role\nAna,learner\n", "line 2: 'Ana' is not a usable account name"),
        ("username,role\nana smith,learner\n", "not a usable account name"),
        ("username,role\n../root,learner\n", "not a usable account name"),
        ("username,role\n1ana,learner\n", "not a usable account name"),
        ("username,role\n" + "a" * 31 + ",learner\n", "at most 30"),
        ("username,role\nana,learner\nben,learner\nana,learner\n", "line 4: 'ana' is already on"),
        ("username,role\nteam-red,learner\n", "kept for teams"),
        ("username,role,team\nines,instructor,red\n", "only learners belong to teams"),
        ("username,role,team\nana,learner,Red Team\n", "team 'Red Team' is not a usable name"),
        ("username,role\nana,learner,extra\n", "line 2: 3 fields, the header has 2"),
        ("username,role\n,learner\n", "line 2: no username"),
    ],
)
def test_a_malformed_roster_is_refused_with_the_line_and_reason(text, message):
    with pytest.raises(RosterError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse(text, "roster.csv")


def test_a_missing_or_binary_roster_file_is_a_clear_error(tmp_path):
    with pytest.raises(RosterError, match="no such roster file"):
        load(tmp_path / "missing.csv")
    (tmp_path / "roster.xlsx").write_bytes(b"PK\x03\x04\xff\xfe\x00")
    with pytest.raises(RosterError, match="not a UTF-8 text file"):
        load(tmp_path / "roster.xlsx")


def test_a_name_that_is_already_someone_elses_account_is_refused():
    existing = pwd.getpwuid(0).pw_name  # root: certainly not made by the hub
    with pytest.raises(RosterError, match=f"{existing}: already an account on this machine"):
        accounts.check_names([existing, "a-name-nobody-has"], "course-hub-no-such-group")


def test_passwords_are_issued_once_and_stored_as_hashes(tmp_path):
    state = State(tmp_path)
    state.create()
    first = issue_passwords(state, ["ana", "ben"])
    assert set(first) == {"ana", "ben"} and first["ana"] != first["ben"]
    stored = json.loads(state.passwords.read_text())
    assert first["ana"] not in state.passwords.read_text()
    assert check_password(first["ana"], stored["ana"])
    assert not check_password(first["ben"], stored["ana"])
    assert not check_password("", stored["ana"]) and not check_password("x", "garbage")
    again = issue_passwords(state, ["ana", "ben", "cy"])  # only the newcomer gets one
    assert set(again) == {"cy"}
    assert json.loads(state.passwords.read_text())["ana"] == stored["ana"]
    assert state.credentials.stat().st_mode & 0o777 == 0o600
    assert issue_passwords(state, ["ana"]) == {}  # ben and cy left the roster
    assert set(json.loads(state.passwords.read_text())) == {"ana"}
