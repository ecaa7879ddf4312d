"""Find a class's submissions, in any of the three layouts the grader accepts.

1. nbgrader's tree: ``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass the
   ``submitted`` folder or the folder that holds it);
2. a zip file of that tree (or of a folder of LMS downloads);
3. a folder of LMS downloads: named as Canvas's or Moodle's "download all submissions"
   names them (lms.py), in a folder named after the assignment (or with --assignment),
   or named ``<student>_<assignment>.ipynb`` (e.g. ``jdoe_domains.ipynb``). When a
   learner uploaded one file several times, the latest counts, and that is reported.

Everything here is hostile input: links are never followed (a link to /dev/zero or to
another student's work is refused), files are read with a size limit, student ids must
be safe as folder names before they become paths, and a zip entry that would land
outside the folder it is unpacked into is refused while the rest is still graded. What
is refused or not recognised is reported (``Found.notices``), never skipped silently.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from . import lms

MAX_UNZIPPED_BYTES = 2 * 1024**3  # a class's notebooks, with room; more is not a class
MAX_NOTEBOOK_BYTES = 20 * 1024**2  # one submitted notebook, outputs included
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}")


@dataclass
class Submission:
    student: str
    assignment: str
    files: dict[str, bytes] = field(default_factory=dict)  # name as submitted -> content
    problem: str = ""  # set when the submission cannot be graded at all
    origin: dict = field(default_factory=dict)  # the LMS's names for it (lms.Download)

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


def discover(path: Path, assignments: list[str], unpack_to: Path, only: str | None = None) -> Found:
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
        found = _from_lms_folder(path, assignments, notices, only)
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


def _from_lms_folder(
    folder: Path, assignments: list[str], notices: list[str], only: str | None
) -> list[Submission]:
    """Downloads from an LMS, named by Canvas or Moodle (lms.py) or
    ``<student>_<assignment>.ipynb``, in the folder or in folders below it. The assignment
    is a folder's name, ``only`` (--assignment), or the uploaded file's name."""
    groups: dict[tuple[str, str, str], list[lms.Download]] = defaultdict(list)
    for relpath in _files_below(folder, notices):
        download = lms.parse(relpath) or _plain(relpath, assignments)
        if not relpath.endswith(".ipynb") or (download and download.plugin != "file"):
            notices.append(f"{shown(relpath)} is not a notebook: not graded")
            continue
        if download is None:
            notices.append(
                f"{shown(relpath)} is named neither as Canvas or Moodle downloads are nor "
                "<student>_<assignment>.ipynb: not graded"
            )
            continue
        assignment = _assignment_of(relpath, download, assignments, only)
        if assignment is None:
            notices.append(
                f"{shown(relpath)}: which assignment it belongs to is unknown (put it in a "
                "folder named after the assignment, or pass --assignment): not graded"
            )
            continue
        groups[(download.student, assignment, download.base.lower())].append(download)
    _separate_namesakes(groups, notices)
    found: dict[tuple[str, str], Submission] = {}
    for (student, assignment, _), candidates in sorted(groups.items()):
        chosen, replaced = lms.latest(candidates)
        if replaced:
            notices.append(f"{assignment}: {lms.describe(chosen, replaced)}")
        sub = found.setdefault((student, assignment), Submission(student, assignment))
        sub.origin = sub.origin or chosen.origin()
        if sub.problem:
            continue
        if not STUDENT_ID.fullmatch(student):
            sub.problem = (
                f"the student id {shown(student)} is not accepted: use letters, digits and "
                ". _ @ + -"
            )
            continue
        # graded under the name uploaded, less the LMS's resubmission number
        name = f"{assignment}.ipynb" if chosen.lms == lms.PLAIN else chosen.base
        try:
            sub.files[name] = read_notebook_file(folder / chosen.path)
        except SubmissionsError as err:
            sub.problem = str(err)
    return list(found.values())


def _files_below(folder: Path, notices: list[str]) -> list[str]:
    """Every file under ``folder`` as a relative POSIX path; links are reported, not
    followed."""
    found = []
    for here, dirs, files in os.walk(folder):
        base = Path(here)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                notices.append(f"{shown(name)} in {base} is a symbolic link: not followed")
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink())
        found += [(base / name).relative_to(folder).as_posix() for name in sorted(files)]
    return found


def _plain(relpath: str, assignments: list[str]) -> lms.Download | None:
    name = PurePosixPath(relpath).name
    if not name.endswith(".ipynb"):
        return None
    stem = name[: -len(".ipynb")]
    match = next(
        (a for a in sorted(assignments, key=len, reverse=True) if stem.endswith("_" + a)), None
    )
    if match is None or stem == "_" + match:
        return None
    return lms.Download(lms.PLAIN, stem[: -len(match) - 1], relpath, f"{match}.ipynb")


def _assignment_of(
    relpath: str, download: lms.Download, assignments: list[str], only: str | None
) -> str | None:
    if download.lms == lms.PLAIN:
        return download.base[: -len(".ipynb")]
    for folder in reversed(PurePosixPath(relpath).parts[:-1]):
        if folder in assignments:
            return folder
    if only:
        return only
    stem = download.base[: -len(".ipynb")]
    return stem if stem in assignments else None


def _separate_namesakes(groups: dict, notices: list[str]) -> None:
    """Two Moodle learners of one name in one assignment (different participant ids) keep
    their own submissions: both get the participant id in their student id."""
    ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (student, assignment, _), candidates in groups.items():
        ids[(student, assignment)] |= {d.user_id for d in candidates if d.lms == lms.MOODLE}
    for (student, assignment), pids in ids.items():
        if len(pids) < 2:
            continue
        notices.append(
            f"{assignment}: {len(pids)} Moodle participants are named '{student}': each is "
            "graded under the name and its participant id"
        )
        for key in [k for k in groups if k[:2] == (student, assignment)]:
            for download in groups.pop(key):
                renamed = replace(download, student=f"{student}-{download.user_id}")
                groups[(renamed.student, assignment, key[2])].append(renamed)
