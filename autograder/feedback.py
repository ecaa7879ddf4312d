"""Feedback for learners that says which checks failed and why, without hidden tests.

nbgrader's feedback shows the autograded notebook, whose test cells were restored
from the source, hidden tests included. Before it is rendered, the hidden regions are
cut out of the test cells' code, any output that repeats a hidden test's line loses it,
and the tracebacks of failed checks are reduced to their last line, the message written
for the learner. The notes for graders (rubrics, formgrader.py) are dropped, and answers
that wait for a person are marked as awaiting grading rather than scored 0. The page is
rendered with the course's own template (templates/feedback): self-contained,
nothing loaded from the network.
"""

from __future__ import annotations

import logging
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat import NotebookNode
from nbgrader.apps import NbGraderAPI
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

from .config import nbgrader_config
from .worker import _last_line

TEMPLATES = Path(__file__).parent / "templates"
MAX_PAGE = 5 * 1024**2  # a page larger than this is made again in the compact form
GRADER_NOTE = "autograder_for_graders"  # metadata of cells only graders may see

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
HIDDEN_END = "END HIDDEN TESTS"


class ShortenTestTracebacks(NbGraderPreprocessor):
    """In autograded cells, keep only ``ErrorName: message`` of a failure."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, cell_index: int
    ) -> tuple[NotebookNode, dict]:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and nbgrader.get("grade"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
        return cell, resources


class RedactHiddenTests(NbGraderPreprocessor):
    """Hidden tests never reach a learner, even printed by code that captured them (a
    kernel sees a test's code when it runs it): every output line holding a line of a
    hidden test is replaced. Lines shorter than ``min_length`` are too common to hide."""

    min_length = 12
    mark = "[a hidden test's line, removed]"

    def preprocess(self, nb: NotebookNode, resources: dict):
        self._hidden = sorted(
            {
                line.strip()
                for cell in nb.cells
                if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
                for line in _hidden_lines(cell.source)
                if len(line.strip()) >= self.min_length
            },
            key=len,
            reverse=True,
        )
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        if self._hidden and cell.cell_type == "code":
            for output in cell.get("outputs", []):
                for key in ("text", "evalue"):
                    if isinstance(output.get(key), str):
                        output[key] = self._redact(output[key])
                if "traceback" in output:
                    output["traceback"] = [self._redact(line) for line in output["traceback"]]
                for mime, value in output.get("data", {}).items():
                    if isinstance(value, str):
                        output["data"][mime] = self._redact(value)
        return cell, resources

    def _redact(self, text: str) -> str:
        for line in self._hidden:
            if line in text:
                text = text.replace(line, self.mark)
        return text


def _hidden_lines(source: str) -> list[str]:
    lines, inside = [], False
    for line in source.splitlines():
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif inside:
            lines.append(line)
    return lines


class CompactFeedback(NbGraderPreprocessor):
    """For a page that came out too large: the learner's own cells lose their outputs and
    keep the start of their code; the assignment's cells and the scores stay."""

    keep = 500

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        if not cell.get("metadata", {}).get("nbgrader"):
            if len(cell.source) > self.keep:
                cell.source = cell.source[: self.keep] + "\n# ... cut by the autograder"
            if cell.cell_type == "code":
                cell.outputs = []
        return cell, resources


class ClearAllHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, applied to every test cell of a graded notebook (and
    only to those: a learner's cell that mentions the markers is the learner's text)."""

    enforce_metadata = False

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        if not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)


class DropGraderNotes(NbGraderPreprocessor):
    """Cells the grader added for people grading by hand (model answers and rubrics) never
    reach a learner."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        nb.cells = [c for c in nb.cells if not c.get("metadata", {}).get(GRADER_NOTE)]
        return nb, resources


class GetGradesAwaiting(GetGrades):
    """nbgrader's GetGrades, which scores an answer nobody has graded yet as 0; here it is
    marked ``awaiting`` and its points are added up in ``resources["nbgrader"]``."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        resources["nbgrader"]["awaiting"] = 0.0
        return super().preprocess(nb, resources)

    def _get_score(self, cell: NotebookNode, resources: dict) -> None:
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"],
            self.notebook_id,
            self.assignment_id,
            self.student_id,
        )
        cell.metadata.nbgrader["score"] = grade.score
        cell.metadata.nbgrader["points"] = grade.max_score
        waiting = grade.auto_score is None and grade.manual_score is None
        cell.metadata.nbgrader["awaiting"] = waiting
        if waiting:
            resources["nbgrader"]["awaiting"] += grade.max_score


FEEDBACK_PREPROCESSORS = [
    DropGraderNotes,
    GetGradesAwaiting,
    ShortenTestTracebacks,
    RedactHiddenTests,  # before the hidden tests are cut from the cells it learns them from
    ClearAllHiddenTests,
    CSSHTMLHeaderPreprocessor,
]
COMPACT_FEEDBACK_PREPROCESSORS = [CompactFeedback, *FEEDBACK_PREPROCESSORS]


def feedback_api(out: Path, db_url: str, steps=FEEDBACK_PREPROCESSORS) -> NbGraderAPI:
    """nbgrader's feedback, rendered from OUT/autograded/ and the class gradebook into
    OUT/feedback/ with the course's template."""
    api = NbGraderAPI(
        config=nbgrader_config(
            **{
                "CourseDirectory.root": str(out),
                "CourseDirectory.db_url": db_url,
                "CourseDirectory.autograded_directory": "autograded",
                "CourseDirectory.feedback_directory": "feedback",
                "GenerateFeedback.preprocessors": steps,
                # nbgrader asks for the template "feedback": the course's is found first
                "HTMLExporter.extra_template_basedirs": [str(TEMPLATES)],
            }
        )
    )
    api.log.setLevel(logging.ERROR)
    return api


def render(api: NbGraderAPI, out: Path, db_url: str, student: str, assignment: str):
    """Write one submission's feedback pages: (success, note for grades.csv or "")."""
    outcome = api.generate_feedback(assignment, student, force=True)
    pages = list((out / "feedback" / student / assignment).glob("*.html"))
    if outcome["success"] and any(p.stat().st_size > MAX_PAGE for p in pages):
        compact = feedback_api(out, db_url, COMPACT_FEEDBACK_PREPROCESSORS)
        outcome = compact.generate_feedback(assignment, student, force=True)
        if outcome["success"]:
            return True, "the feedback page was too large: your own cells are shortened"
    if not outcome["success"]:
        return False, "feedback could not be generated: " + _last_line(outcome)
    return True, ""
