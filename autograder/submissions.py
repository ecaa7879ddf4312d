"""Find a class's submissions, in any of the three layouts the grader accepts.

1. nbgrader's tree: ``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass the
   ``submitted`` folder or the folder that holds it);
2. a zip file of that tree (or of a folder of LMS downloads);
3. a folder of LMS downloads named ``<student>_<assignment>.ipynb`` (the assignment id
   is one of the course's, e.g. ``jdoe_domains.ipynb``; student ids may contain ``_``).

Everything here is hostile input: links are never followed (a link to /dev/zero or to
another student's work is refused), files are read with a size limit, student ids must
be safe as folder names before they become paths, and a zip entry that would land
outside the folder it is unpacked into is refused while the rest is still graded. What
is refused is reported (``Found.notices``), never skipped silently.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_UNZIPPED_BYTES = 2 * 1024**3  # a class's notebooks, with room; more is not a class
MAX_NOTEBOOK_BYTES = 20 * 1024**2  # one submitted notebook, outputs included
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}")


@dataclass
class Submission:
    student: str
    assignment: str
    files: dict[str, bytes] = field(default_factory=dict)  # name as submitted -> content
    problem: str = ""  # set when the submission cannot be graded at all

    @property
    def key(self) -> tuple[str, str]:
        return (self.student, self.assignment)

    def digest(self) -> str:
        """A fingerprint of the submitted bytes: unchanged submissions are not regraded."""
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + self.files[name] + b"\0")
        return h.hexdigest()


@dataclass
class Found:
    submissions: list[Submission]
    notices: list[str] = field(default_factory=list)  # what was refused, and why


class SubmissionsError(ValueError):
    pass


def shown(name: str) -> str:
    """A name from a submission, safe to print (no control characters)."""
    return repr(name) if not name.isprintable() else f"'{name}'"


def discover(path: Path, assignments: list[str], unpack_to: Path) -> Found:
    path = Path(path)
    if path.is_symlink():
        raise SubmissionsError(f"{path} is a symbolic link: pass the folder or zip itself.")
    if not path.exists():
        raise SubmissionsError(f"{path} does not exist.")
    notices: list[str] = []
    if path.is_file() and zipfile.is_zipfile(path):
        path = _unzip(path, unpack_to, notices)
    elif path.is_file():
        raise SubmissionsError(
            f"{path} is a file but not a zip archive: pass the submitted/ folder, a zip of it, "
            "or a folder of <student>_<assignment>.ipynb files."
        )
    tree = _find_tree(path, assignments)
    if tree is not None:
        found = _from_tree(tree, assignments, notices)
    else:
        found = _from_lms_folder(path, assignments, notices)
    if not found:
        raise SubmissionsError(
            f"No submissions found in {path}. Expected submitted/<student>/<assignment>/ "
            f"folders or <student>_<assignment>.ipynb files, for assignments {assignments}."
            + ("\n" + "\n".join(notices) if notices else "")
        )
    return Found(sorted(found, key=lambda s: s.key), notices)


def read_notebook_file(path: Path) -> bytes:
    """The bytes of a submitted file: a regular file, not a link, within the size limit."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        if os.path.islink(path):
            raise SubmissionsError(
                f"{path.name} is a symbolic link; the grader does not follow links: submit "
                "the notebook file itself"
            ) from err
        raise SubmissionsError(f"{path.name} cannot be read: {err.strerror}") from err
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionsError(f"{path.name} is not a regular file")
        data = f.read(MAX_NOTEBOOK_BYTES + 1)
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise SubmissionsError(
            f"{path.name} is larger than {MAX_NOTEBOOK_BYTES // 1024**2} MB: clear its outputs "
            "(Kernel > Restart Kernel and Clear Outputs) and submit it again"
        )
    return data


def _unzip(archive: Path, target: Path, notices: list[str]) -> Path:
    """Unpack entry by entry: an entry that is a link, would land outside ``target`` or is
    too large is refused and reported; the rest is unpacked."""
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if info.is_dir() or not parts:
                continue
            if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                notices.append(f"zip entry {shown(name)} refused: it would land outside the folder")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                notices.append(f"zip entry {shown(name)} refused: it is a symbolic link")
                continue
            if info.file_size > MAX_NOTEBOOK_BYTES:
                notices.append(f"zip entry {shown(name)} refused: larger than a notebook may be")
                continue
            total += info.file_size
            if total > MAX_UNZIPPED_BYTES:
                raise SubmissionsError(f"{archive} unpacks to more than 2 GiB: not a class")
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as source:
                data = source.read(MAX_NOTEBOOK_BYTES + 1)  # the header's size may lie
            if len(data) > MAX_NOTEBOOK_BYTES:
                notices.append(f"zip entry {shown(name)} refused: larger than a notebook may be")
                continue
            destination.write_bytes(data)
    entries = [p for p in target.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else target


def _dirs(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted((e for e in entries if e.is_dir(follow_symlinks=False)), key=lambda e: e.name)


def _find_tree(path: Path, assignments: list[str]) -> Path | None:
    for candidate in (path / "submitted", path):
        if (
            candidate.is_dir()
            and not candidate.is_symlink()
            and any(
                (Path(student.path) / a).is_dir()
                for student in _dirs(candidate)
                for a in assignments
            )
        ):
            return candidate
    return None


def _from_tree(tree: Path, assignments: list[str], notices: list[str]) -> list[Submission]:
    found = []
    with os.scandir(tree) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_symlink():
                notices.append(f"{shown(entry.name)} in {tree} is a symbolic link: not followed")
    for student in _dirs(tree):
        with os.scandir(student.path) as entries:
            for entry in entries:
                if entry.is_symlink() and entry.name in assignments:
                    found.append(
                        Submission(
                            student.name,
                            entry.name,
                            problem=f"{entry.name} is a symbolic link; the grader does not "
                            "follow links",
                        )
                    )
        for folder in _dirs(Path(student.path)):
            if folder.name not in assignments:
                continue
            found.append(_read_folder(student.name, folder.name, Path(folder.path)))
    return found


def _read_folder(student: str, assignment: str, folder: Path) -> Submission:
    sub = Submission(student, assignment)
    if not STUDENT_ID.fullmatch(student):
        sub.problem = (
            f"the student id {shown(student)} is not accepted: use letters, digits and . _ @ + -"
        )
        return sub
    try:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".ipynb"):
                    sub.files[entry.name] = read_notebook_file(Path(entry.path))
    except SubmissionsError as err:
        sub.problem = str(err)
        return sub
    if not sub.files:
        sub.problem = f"no .ipynb file in {assignment}/"
    return sub


def _from_lms_folder(folder: Path, assignments: list[str], notices: list[str]) -> list[Submission]:
    found: dict[tuple[str, str], Submission] = {}
    for path in sorted(folder.glob("*.ipynb")):
        stem = path.stem
        match = next(
            (a for a in sorted(assignments, key=len, reverse=True) if stem.endswith("_" + a)),
            None,
        )
        if match is None or stem == "_" + match:
            notices.append(
                f"{shown(path.name)} is not named <student>_<assignment>.ipynb: not graded"
            )
            continue
        student = stem[: -len(match) - 1]
        sub = found.setdefault((student, match), Submission(student, match))
        if sub.problem:
            continue
        if not STUDENT_ID.fullmatch(student):
            sub.problem = (
                f"the student id {shown(student)} is not accepted: use letters, digits and "
                ". _ @ + -"
            )
            continue
        try:
            sub.files[f"{match}.ipynb"] = read_notebook_file(path)
        except SubmissionsError as err:
            sub.problem = str(err)
    return list(found.values())
