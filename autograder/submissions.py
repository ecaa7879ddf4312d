"""Find a class's submissions, in any of the three layouts the grader accepts.

1. nbgrader's tree: ``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass the
   ``submitted`` folder or the folder that holds it);
2. a zip file of that tree (or of a folder of LMS downloads);
3. a folder of LMS downloads named ``<student>_<assignment>.ipynb`` (the assignment id
   is one of the course's, e.g. ``jdoe_domains.ipynb``; student ids may contain ``_``).
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_UNZIPPED_BYTES = 2 * 1024**3  # a class's notebooks, with room; more is not a class


@dataclass
class Submission:
    student: str
    assignment: str
    files: dict[str, Path] = field(default_factory=dict)  # name as submitted -> file
    problem: str = ""  # set when the submission cannot be graded at all

    @property
    def key(self) -> tuple[str, str]:
        return (self.student, self.assignment)

    def digest(self) -> str:
        """A fingerprint of the submitted bytes: unchanged submissions are not regraded."""
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + self.files[name].read_bytes() + b"\0")
        return h.hexdigest()


class SubmissionsError(ValueError):
    pass


def discover(path: Path, assignments: list[str], unpack_to: Path) -> list[Submission]:
    path = Path(path)
    if not path.exists():
        raise SubmissionsError(f"{path} does not exist.")
    if path.is_file() and zipfile.is_zipfile(path):
        path = _unzip(path, unpack_to)
    elif path.is_file():
        raise SubmissionsError(
            f"{path} is a file but not a zip archive: pass the submitted/ folder, a zip of it, "
            "or a folder of <student>_<assignment>.ipynb files."
        )
    tree = _find_tree(path, assignments)
    if tree is not None:
        found = _from_tree(tree, assignments)
    else:
        found = _from_lms_folder(path, assignments)
    if not found:
        raise SubmissionsError(
            f"No submissions found in {path}. Expected submitted/<student>/<assignment>/ "
            f"folders or <student>_<assignment>.ipynb files, for assignments {assignments}."
        )
    return sorted(found, key=lambda s: s.key)


def _unzip(archive: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf:
        total = 0
        for info in zf.infolist():
            name = Path(info.filename)
            if name.is_absolute() or ".." in name.parts:
                raise SubmissionsError(f"{archive}: refusing the unsafe path {info.filename!r}")
            total += info.file_size
            if total > MAX_UNZIPPED_BYTES:
                raise SubmissionsError(f"{archive} unpacks to more than 2 GiB: not a class")
        zf.extractall(target)
    entries = [p for p in target.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else target


def _find_tree(path: Path, assignments: list[str]) -> Path | None:
    for candidate in (path / "submitted", path):
        if candidate.is_dir() and any(
            (student / a).is_dir()
            for student in candidate.iterdir()
            if student.is_dir()
            for a in assignments
        ):
            return candidate
    return None


def _from_tree(tree: Path, assignments: list[str]) -> list[Submission]:
    found = []
    for student in sorted(p for p in tree.iterdir() if p.is_dir()):
        for folder in sorted(p for p in student.iterdir() if p.is_dir()):
            if folder.name not in assignments:
                continue
            files = {p.name: p for p in sorted(folder.glob("*.ipynb"))}
            problem = "" if files else f"no .ipynb file in {folder}"
            found.append(Submission(student.name, folder.name, files, problem))
    return found


def _from_lms_folder(folder: Path, assignments: list[str]) -> list[Submission]:
    found: dict[tuple[str, str], Submission] = {}
    for path in sorted(folder.glob("*.ipynb")):
        stem = path.stem
        match = next(
            (a for a in sorted(assignments, key=len, reverse=True) if stem.endswith("_" + a)),
            None,
        )
        if match is None or stem == "_" + match:
            continue
        student = stem[: -len(match) - 1]
        sub = found.setdefault((student, match), Submission(student, match))
        sub.files[f"{match}.ipynb"] = path
    return list(found.values())
