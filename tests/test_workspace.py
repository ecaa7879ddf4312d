"""`make lab` works on the learner's own copy (labkit.workspace): copied once, never
overwritten, new labs added, a changed release offered beside the learner's copy."""

from __future__ import annotations

from pathlib import Path

from labkit.workspace import HIDDEN_SERVER_EXTENSIONS, lab_command, main, sync


def _release(labs: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (labs / rel).parent.mkdir(parents=True, exist_ok=True)
        (labs / rel).write_text(text)


def test_the_first_run_copies_every_lab(tmp_path):
    labs, mine = tmp_path / "labs", tmp_path / "my-labs"
    _release(labs, {"spaces/spaces.ipynb": "v1", "quiz/quiz.ipynb": "q1"})
    messages = sync(labs, mine)
    assert (mine / "spaces" / "spaces.ipynb").read_text() == "v1"
    assert (mine / "quiz" / "quiz.ipynb").read_text() == "q1"
    assert len(messages) == 2


def test_a_learners_notebook_is_never_overwritten(tmp_path):
    labs, mine = tmp_path / "labs", tmp_path / "my-labs"
    _release(labs, {"spaces/spaces.ipynb": "v1"})
    sync(labs, mine)
    (mine / "spaces" / "spaces.ipynb").write_text("my answers")
    assert sync(labs, mine) == []  # nothing released since: nothing to say
    assert (mine / "spaces" / "spaces.ipynb").read_text() == "my answers"
    assert not (mine / "spaces" / "spaces.new.ipynb").exists()


def test_a_lab_released_later_is_copied_in(tmp_path):
    labs, mine = tmp_path / "labs", tmp_path / "my-labs"
    _release(labs, {"spaces/spaces.ipynb": "v1"})
    sync(labs, mine)
    _release(labs, {"policy/policy.ipynb": "p1"})
    assert sync(labs, mine) == ["new: policy/policy.ipynb"]
    assert (mine / "policy" / "policy.ipynb").read_text() == "p1"


def test_a_changed_release_is_offered_as_new_beside_the_learners_copy(tmp_path):
    labs, mine = tmp_path / "labs", tmp_path / "my-labs"
    _release(labs, {"spaces/spaces.ipynb": "v1"})
    sync(labs, mine)
    (mine / "spaces" / "spaces.ipynb").write_text("my answers")
    _release(labs, {"spaces/spaces.ipynb": "v2"})
    messages = sync(labs, mine)
    assert len(messages) == 1 and "spaces/spaces.new.ipynb" in messages[0], messages
    assert (mine / "spaces" / "spaces.ipynb").read_text() == "my answers"
    assert (mine / "spaces" / "spaces.new.ipynb").read_text() == "v2"
    assert sync(labs, mine) == []  # offered once, not at every start
    # a learner who never touched their copy is offered the change the same way
    _release(labs, {"spaces/spaces.ipynb": "v3"})
    sync(labs, mine)
    assert (mine / "spaces" / "spaces.ipynb").read_text() == "my answers"
    assert (mine / "spaces" / "spaces.new.ipynb").read_text() == "v3"


def test_make_labs_leaves_the_learners_folder_alone():
    """`make labs` writes labs/ only; my-labs/ is git-ignored (git pull cannot touch it)."""
    root = Path(__file__).resolve().parent.parent
    makefile = (root / "Makefile").read_text()
    recipe = makefile.split("\nlabs:", 1)[1].split("\n\n", 1)[0]
    assert "my-labs" not in recipe and "workspace" not in recipe
    assert "my-labs/" in (root / ".gitignore").read_text().split()


def test_sync_only_prints_what_it_did(tmp_path, capsys):
    labs, mine = tmp_path / "labs", tmp_path / "my-labs"
    _release(labs, {"spaces/spaces.ipynb": "v1"})
    assert main(["--labs", str(labs), "--mine", str(mine), "--sync-only"]) == 0
    assert "new: spaces/spaces.ipynb" in capsys.readouterr().out


def test_the_lab_server_hides_the_instructors_server_extensions(tmp_path):
    command, env = lab_command(tmp_path)
    config = Path(command[command.index("-m") + 2].split("=", 1)[1])
    text = config.read_text()
    for extension in HIDDEN_SERVER_EXTENSIONS:
        assert f'"{extension}": false' in text
    assert "validate_assignment" not in text  # the Validate button stays
    assert (Path(env["JUPYTER_CONFIG_PATH"].split(":")[0]) / "labconfig").is_dir()
