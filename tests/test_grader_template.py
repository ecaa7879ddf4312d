"""The grader's released template is cached by what it is made from: the same sources
give a copy of the cached one; a changed source, even by one character, a new one."""

from __future__ import annotations

import json
import shutil

import pytest

from autograder import grade


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A copy of the course's sources, and a cache of its own."""
    repo = tmp_path / "repo"
    shutil.copytree(grade.REPO / "solutions" / "domains", repo / "solutions" / "domains")
    monkeypatch.setattr(grade, "REPO", repo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return repo


def _files(root):
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix != ".db"
    }


def test_the_same_sources_give_the_cached_template(course, tmp_path):
    first = grade._prepare_template(tmp_path / "one", ["domains"])
    (cached,) = list(grade._template_cache().iterdir())
    (cached / "marker").write_text("from the cache")  # shows where the next one came from
    second = grade._prepare_template(tmp_path / "two", ["domains"])
    assert (second / "marker").read_text() == "from the cache"
    assert {k: v for k, v in _files(second).items() if k != "marker"} == _files(first)
    assert (second / "gradebook.db").stat().st_size > 0


def test_a_changed_source_is_released_again(course, tmp_path):
    grade._prepare_template(tmp_path / "one", ["domains"])
    path = course / "solutions" / "domains" / "domains.ipynb"
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\nOne more sentence."
    path.write_text(json.dumps(nb, indent=1))
    again = grade._prepare_template(tmp_path / "two", ["domains"])
    released = (again / "release" / "domains" / "domains.ipynb").read_text()
    assert "One more sentence." in released
    assert len(list(grade._template_cache().iterdir())) == 2


def test_an_unwritable_cache_still_grades(course, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    made = grade._prepare_template(tmp_path / "one", ["domains"])
    assert (made / "release" / "domains" / "domains.ipynb").exists()
