"""The class hub's configuration, checked without starting it: the roster (a malformed
one gets an error that names the line and the problem), passwords stored only as hashes,
the sandbox's allow-list, the Kubernetes values file and the book's links."""

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


def test_the_sandbox_shows_a_server_only_what_it_needs(tmp_path):
    from pathlib import Path

    from class_hub import sandbox
    from class_hub.hub import REPO, _read_only_paths

    home, exchange = tmp_path / "home" / "nobody", tmp_path / "exchange"
    home.mkdir(parents=True)
    exchange.mkdir()
    state = State(tmp_path)
    cmd = sandbox.command("nobody", home, [Path(p) for p in _read_only_paths(state)], [exchange])
    binds = {(cmd[i], cmd[i + 1]) for i in range(len(cmd) - 1) if cmd[i] in ("--bind", "--ro-bind")}
    writable = {path for kind, path in binds if kind == "--bind"}
    assert writable == {str(home), str(exchange)}
    visible = {path for _, path in binds}
    for secret in (REPO, REPO / "solutions", REPO / ".git", REPO / "_grading", state.hub):
        assert str(secret) not in visible, secret
        assert not any(Path(v) in Path(secret).parents for v in visible if v != "/"), secret
    assert str(REPO / "studio_mock") in visible
    after = cmd[cmd.index("--") + 1 :]
    assert after[0] == "setpriv" and "--no-new-privs" in after and "--inh-caps=-all" in after
    assert f"--reuid={pwd.getpwnam('nobody').pw_uid}" in after


def test_the_kubernetes_values_file_parses_and_covers_the_same_hub():
    from pathlib import Path

    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(k) for k, _ in node.value]
        assert len(keys) == len(set(keys)), f"duplicate keys {keys}"
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    path = Path(__file__).resolve().parent.parent / "class_hub" / "z2jh-values.yaml"
    values = yaml.load(path.read_text(), Loader=Strict)
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"].endswith("LTI13Authenticator")
    assert values["cull"]["enabled"] and values["cull"]["timeout"] > 0
    storage = values["singleuser"]["storage"]
    assert storage["type"] == "dynamic"
    assert any(m["mountPath"] == "/srv/nbgrader/exchange" for m in storage["extraVolumeMounts"])
    assert "gitpuller" in values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]


def test_the_book_links_open_the_chapter_lab_through_nbgitpuller():
    import sys
    from pathlib import Path
    from urllib.parse import parse_qs, urlsplit

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "book" / "_ext"))
    from hub_links import lab_link, lab_of

    assert lab_of("book/spaces/index") == "spaces" and lab_of("book/containers/x") == "images"
    assert lab_of("book/classic/index") == "quiz" and lab_of("intro") is None
    link = urlsplit(lab_link("http://127.0.0.1:8000", "storage"))
    assert link.path == "/hub/user-redirect/git-pull"
    query = parse_qs(link.query)
    assert query["repo"] == ["http://127.0.0.1:8000/services/course/labs"]
    assert query["targetpath"] == ["labs"]
    assert query["urlpath"] == ["lab/tree/labs/storage/storage.ipynb"]
    labs = Path(__file__).resolve().parent.parent / "labs"
    from hub_links import LABS

    for lab in set(LABS.values()):
        assert (labs / lab / f"{lab}.ipynb").exists(), lab


def test_a_non_root_instructor_is_told_why_the_hub_needs_root(monkeypatch):
    from class_hub import hub

    monkeypatch.setattr(hub.os, "geteuid", lambda: 1000)
    with pytest.raises(hub.HubError, match="only root can do.*make lab"):
        hub.check_machine()


def test_a_malformed_roster_stops_the_hub_before_it_changes_anything(tmp_path):
    import subprocess
    import sys

    roster = tmp_path / "roster.csv"
    roster.write_text("username,role\nana,learner\nana,instructor\n")
    state = tmp_path / "state"
    proc = subprocess.run(
        [sys.executable, "-m", "class_hub", "--state", str(state), "--group", "course-hub-none"]
        + ["start", "--roster", str(roster), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "line 3: 'ana' is already on line 2" in proc.stdout
    assert not state.exists() and accounts.members("course-hub-none") == []


def test_the_labs_service_serves_only_files_of_the_labs_repository(tmp_path):
    from class_hub.labs_service import LabsHandler

    handler = object.__new__(LabsHandler)
    handler.directory = str(tmp_path / "labs.git")
    for path in (
        "/services/course/labs/../../../etc/passwd",
        "/services/course/labs/%2e%2e/%2e%2e/etc/passwd",
        "/services/course/labs/info/../../../../etc/shadow?x=1",
    ):
        served = handler.translate_path(path)
        assert served.startswith(handler.directory + "/"), (path, served)
    assert handler.translate_path("/services/course/labs/HEAD?x") == handler.directory + "/HEAD"
