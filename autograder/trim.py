"""Keep what a submission puts in OUT/ small, whatever it printed.

nbgrader's LimitOutput counts lines, so one enormous line passes it. ``TrimOutputs``
runs after it in the autograde step and caps the text of every output by bytes, per
cell and per notebook, keeping each output's type (nbgrader scores a test by the type
of its first output, so a trimmed error is still an error). ``source_bytes`` measures
a notebook's own text as JSON stores it, for the limit on what a submission may hold.
"""

from __future__ import annotations

import json

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

CUT = "\n... output cut by the autograder (it keeps {cell} KiB a cell, {notebook} KiB in all) ...\n"


class TrimOutputs(NbGraderPreprocessor):
    per_cell = Integer(64 * 1024, help="bytes of output text kept per cell").tag(config=True)
    per_notebook = Integer(1024 * 1024, help="bytes of output text kept per notebook").tag(
        config=True
    )

    def preprocess(self, nb: NotebookNode, resources: dict):
        self._left = self.per_notebook
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if cell.cell_type != "code":
            return cell, resources
        budget = min(self.per_cell, max(self._left, 0))
        note = CUT.format(cell=self.per_cell // 1024, notebook=self.per_notebook // 1024)
        for output in cell.get("outputs", []):
            budget = _trim_output(output, budget, note)
        self._left -= min(self.per_cell, max(self._left, 0)) - budget
        return cell, resources


def _trim_output(output: NotebookNode, budget: int, note: str) -> int:
    """Cut the strings of one output to what is left of the budget; return what is left."""
    kind = output.get("output_type")
    if kind == "stream":
        output["text"], budget = _cut(output.get("text", ""), budget, note)
    elif kind == "error":
        output["evalue"], budget = _cut(output.get("evalue", ""), budget, note)
        lines = []
        for line in output.get("traceback", []):
            line, budget = _cut(line, budget, note)
            lines.append(line)
            if budget <= 0:
                break
        output["traceback"] = lines
    elif kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        for mime in list(data):
            value = data[mime]
            text = value if isinstance(value, str) else json.dumps(value)
            if len(json.dumps(text)) - 2 > budget:
                if mime == "text/plain":
                    data[mime], budget = _cut(text, budget, note)
                else:
                    del data[mime]  # an image or HTML cut in half is no use
            else:
                budget -= len(json.dumps(text)) - 2
        if not data:
            data["text/plain"] = note.strip()
    return budget


def _cut(text, budget: int, note: str) -> tuple[str, int]:
    """Cut by size as JSON stores it (a control character takes six bytes there)."""
    if isinstance(text, list):
        text = "".join(text)
    size = len(json.dumps(text)) - 2
    if size <= budget:
        return text, budget - size
    keep = int(max(budget, 0) * len(text) / size)
    return text[:keep] + note, 0


def source_bytes(nb: NotebookNode) -> int:
    """Bytes of the notebook's cells' text as JSON stores it (escapes included)."""
    return sum(len(json.dumps(cell.get("source", ""))) for cell in nb.cells)
