"""The course's one nbgrader configuration (``nbgrader_config.py`` at the repository root),
loaded for the Python API, with per-run overrides."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parent.parent

# nbgrader's gradebook runs the `alembic` command it finds on PATH: make it this
# environment's, even when Python was started as .venv/bin/python without activation.
_BIN = os.path.dirname(sys.executable)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")
CONFIG_FILE = REPO / "nbgrader_config.py"


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
