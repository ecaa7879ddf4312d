"""Feedback for learners that says which checks failed and why, without hidden tests.

nbgrader's feedback shows the autograded notebook, whose test cells were restored
from the source, hidden tests included. Before it is rendered, the hidden regions are
cut out of the test cells' code, any output that repeats a hidden test's line loses it,
and the tracebacks of failed checks are reduced to their last line, the message written
for the learner.
"""

from __future__ import annotations

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

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


FEEDBACK_PREPROCESSORS = [
    GetGrades,
    ShortenTestTracebacks,
    RedactHiddenTests,  # before the hidden tests are cut from the cells it learns them from
    ClearAllHiddenTests,
    CSSHTMLHeaderPreprocessor,
]
COMPACT_FEEDBACK_PREPROCESSORS = [CompactFeedback, *FEEDBACK_PREPROCESSORS]
