"""Who submitted a file, read from the name an LMS's "download all submissions" gave it.

Canvas (``lib/content_zipper.rb``): ``<name>[_LATE]_<user id>_<attachment id>_<file>``,
where ``<name>`` is the learner's sortable name, lower case, with everything but letters,
digits and ``_`` removed ("Doe, Jane" gives ``doejane``); with anonymous grading the name is
left out and the id is ``anon_<anonymous id>``. ``<file>`` is the name as uploaded: Canvas
calls a re-upload of the same name ``quiz-1.ipynb``, ``quiz-2.ipynb``. Attachment ids only
grow, so the largest is the latest upload.

Moodle (``mod/assign/classes/downloader.php``): a folder per learner,
``<full name>_<participant id>_assignsubmission_file/<file>`` (the default since 3.1), or
files named ``<full name>_<participant id>_assignsubmission_file_<file>``; an ``_`` in a name
becomes a space, blind marking writes "Participant" for the name, and the participant id
belongs to one assignment.

Anything else is either the course's own ``<student>_<assignment>.ipynb`` or unrecognised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath

CANVAS, MOODLE, PLAIN = "canvas", "moodle", "plain"
_WORD = re.compile(r"\w+")  # what Canvas keeps of a name: letters, digits, _ (Unicode)
_MOODLE = re.compile(
    r"(?P<name>[^_/]+)_(?P<pid>\d+)_assign(?P<subtype>submission|feedback)_(?P<plugin>[a-z]+)"
)
_RESUBMITTED = re.compile(r"^(?P<base>.+?)(?:-(?P<n>\d+)| \((?P<m>\d+)\))$")


@dataclass(frozen=True)
class Download:
    """One downloaded file and what its name says."""

    lms: str  # canvas | moodle | plain
    student: str  # the grader's id for the learner
    path: str  # as downloaded, relative to the submissions folder
    file: str  # the name the learner uploaded (Canvas: with Canvas's -N)
    user_id: str = ""  # Canvas user id (or anon_...), Moodle participant id
    name: str = ""  # Canvas's name part, Moodle's full name
    attachment_id: int = 0  # Canvas only
    late: bool = False  # Canvas's LATE
    plugin: str = "file"  # Moodle's submission plugin (file, onlinetext, ...)

    @property
    def base(self) -> str:
        """The uploaded name without a resubmission number: quiz-1.ipynb -> quiz.ipynb."""
        stem, dot, ext = self.file.rpartition(".")
        if not dot:
            stem, ext = self.file, ""
        found = _RESUBMITTED.match(stem)
        stem = found["base"] if found else stem
        return f"{stem}.{ext}" if ext else stem

    @property
    def resubmission(self) -> int:
        stem = self.file.rpartition(".")[0] or self.file
        found = _RESUBMITTED.match(stem)
        return int(found["n"] or found["m"]) if found else 0

    def origin(self) -> dict:
        """What export needs later to name the learner as the LMS does."""
        return {k: v for k, v in asdict(self).items() if v not in ("", 0, False)}


def ascii_slug(text: str, keep: str = "") -> str:
    """Letters and digits only, accents dropped (José -> jose); ``keep`` characters stay."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(rf"[^A-Za-z0-9{re.escape(keep)}]+", "-", folded).strip("-").lower()


def parse(relpath: str) -> Download | None:
    """What an LMS's download name says about a file, or None when it is no LMS's name."""
    parts = PurePosixPath(relpath).parts
    for index, part in enumerate(parts[:-1]):  # Moodle's folder per learner
        folder = _MOODLE.fullmatch(part.rstrip("_"))
        if folder and folder["subtype"] == "submission":
            return _moodle(folder, "/".join(parts[index + 1 :]), relpath)
    name = parts[-1]
    single = _MOODLE.match(name)
    if single and single["subtype"] == "submission" and name[single.end() :].startswith("_"):
        return _moodle(single, name[single.end() + 1 :], relpath)
    return _canvas(name, relpath)


def _canvas(name: str, relpath: str) -> Download | None:
    tokens = name.split("_")
    at = next((i for i, t in enumerate(tokens) if t.isdigit() or t == "anon"), None)
    if at is None:
        return None
    words = tokens[:at]
    late = bool(words) and words[-1] == "LATE"  # Canvas writes names in lower case
    if late:
        words = words[:-1]
    if tokens[at] == "anon":
        if at + 1 >= len(tokens) or not tokens[at + 1].isalnum():
            return None
        user, at = f"anon_{tokens[at + 1]}", at + 2
    else:
        user, at = tokens[at], at + 1
    if not words and not user.startswith("anon_"):
        return None
    if not all(_WORD.fullmatch(w) for w in words):
        return None
    if at + 1 >= len(tokens) or not tokens[at].isdigit():
        return None
    uploaded = "_".join(tokens[at + 1 :])
    if not uploaded:
        return None
    learner = "_".join(words)
    slug = ascii_slug(learner, keep="_")
    student = user if user.startswith("anon_") else f"{slug or 'canvas'}_{user}"
    return Download(
        CANVAS,
        student,
        relpath,
        uploaded,
        user_id=user,
        name=learner,
        attachment_id=int(tokens[at]),
        late=late,
    )


def _moodle(found: re.Match, uploaded: str, relpath: str) -> Download | None:
    if not uploaded:
        return None
    name, pid = found["name"].strip(), found["pid"]
    slug = ascii_slug(name)
    # blind marking names everyone "Participant": the participant id tells them apart
    student = slug if slug and slug != "participant" else f"participant-{pid}"
    return Download(
        MOODLE,
        student,
        relpath,
        PurePosixPath(uploaded).name,  # a learner's own folders inside theirs do not matter
        user_id=pid,
        name=name,
        plugin=found["plugin"],
    )


def latest(candidates: list[Download]) -> tuple[Download, list[Download]]:
    """The file that counts among several uploads of one name, and the ones it replaces:
    Canvas's largest attachment id, otherwise the highest resubmission number."""
    ordered = sorted(
        candidates, key=lambda d: (d.attachment_id, d.resubmission, d.path), reverse=True
    )
    return ordered[0], ordered[1:]


def describe(chosen: Download, replaced: list[Download]) -> str:
    late = ", marked LATE by Canvas" if chosen.late else ""
    others = ", ".join(f"'{d.path}'" for d in replaced)
    return (
        f"{chosen.student}: {len(replaced) + 1} uploads of {chosen.base}; graded the latest, "
        f"'{chosen.path}'{late}; not graded: {others}"
    )
