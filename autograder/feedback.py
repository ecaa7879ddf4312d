"""Feedback for learners that says which checks failed and why, without hidden tests.

nbgrader's feedback shows the autograded notebook, whose test cells were restored
from the source, hidden tests included. Before it is rendered, the hidden regions are
cut out of the test cells' code and the tracebacks of failed checks are reduced to
their last line, the message written for the learner.
"""

from __future__ import annotations

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"


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


class ClearAllHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, applied to every test cell of a graded notebook."""

    enforce_metadata = False


FEEDBACK_PREPROCESSORS = [
    GetGrades,
    ShortenTestTracebacks,
    ClearAllHiddenTests,
    CSSHTMLHeaderPreprocessor,
]
