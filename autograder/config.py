"""The course's one nbgrader configuration (``nbgrader_config.py`` at the repository root),
loaded for the Python API, with per-run overrides."""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import nbgrader.api
from sqlalchemy import event
from sqlalchemy.engine import Engine
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parent.parent

# nbgrader's gradebook runs the `alembic` command it finds on PATH: make it this
# environment's, even when Python was started as .venv/bin/python without activation.
_BIN = os.path.dirname(sys.executable)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")
CONFIG_FILE = REPO / "nbgrader_config.py"


@functools.lru_cache(maxsize=1)
def _alembic_head() -> str:
    """The gradebook schema's revision, read in this process: nbgrader runs the
    `alembic heads` command for it each time it creates a gradebook (2-5 s a time)."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = AlembicConfig()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


nbgrader.api.get_alembic_version = _alembic_head

_SCRATCH: set[str] = set()  # gradebooks that are rebuilt, never recovered, if lost


def scratch_db_url(path: Path) -> str:
    """The URL of a throw-away SQLite gradebook (a template, a worker's, a test's):
    written without waiting for the disk at each of nbgrader's commits (hundreds per
    release, 10-15 ms each on a busy disk). The class gradebook keeps SQLite's default."""
    _SCRATCH.add(os.path.realpath(path))
    return f"sqlite:///{path}"


@event.listens_for(Engine, "connect")
def _unsynced_if_scratch(connection: Any, _record: Any) -> None:
    if isinstance(connection, sqlite3.Connection) and _SCRATCH:
        row = connection.execute("PRAGMA database_list").fetchone()
        if row and row[2] and os.path.realpath(row[2]) in _SCRATCH:
            connection.execute("PRAGMA synchronous=OFF")


def nbgrader_config(**overrides: Any) -> Config:
    """The course configuration; ``overrides`` are ``{"Section.trait": value}`` pairs."""
    config = PyFileConfigLoader(CONFIG_FILE.name, path=str(REPO)).load_config()
    for dotted, value in overrides.items():
        section, trait = dotted.rsplit(".", 1)
        config[section][trait] = value
    return config


def assignments(root: Path = REPO) -> list[str]:
    """Assignment ids: the folders of solutions/ that hold a notebook."""
    return sorted(p.name for p in (root / "solutions").iterdir() if any(p.glob("*.ipynb")))
