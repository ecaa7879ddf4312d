"""nbgrader's ClearSolutions, with a stub per exercise that a learner can run past.

Used by generate_assignment in place of ClearSolutions (nbgrader_config.py), so labs/ and
the gradebook's copy of the release come from the same steps, before nbgrader computes
its checksums. Two changes to what learners get:

- each exercise's stub raises ``labkit.NotAnswered("Exercise N", names...)``: the label
  is the heading above the cell (``### Exercise N (...)``), the names those the solution
  defines at the top level and a later cell uses, so that a check meeting one of them
  undefined can say which exercise is unanswered (labkit/answers.py);
- solution cells and autograded test cells are tagged ``raises-exception``. JupyterLab
  then sends them with ``stop_on_error`` off, so Run All goes on past an unanswered
  exercise; nbclient (nbgrader's Execute, the tests) lets them fail without stopping.
  Tags are not part of nbgrader's checksums, and an error still scores 0.
"""

from __future__ import annotations

import ast
import re

from nbgrader import utils
from nbgrader.preprocessors import ClearSolutions

TAG = "raises-exception"
HEADING = re.compile(r"^#+\s+(.+?)\s*(?:\(|:|$)", re.M)


def exercise_label(markdown: str) -> str | None:
    """ "### Exercise 2 (3 points)" -> "Exercise 2" (the last heading in the cell)."""
    found = HEADING.findall(markdown)
    return found[-1].rstrip(" ,") if found else None


def top_level_names(source: str) -> set[str]:
    """Names a cell binds in the notebook's namespace (not inside its functions)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    bound: set[str] = set()

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bound.add(node.name)
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                bound.update((a.asname or a.name).split(".")[0] for a in node.names)
                continue
            for child in ast.walk(node):
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                    bound.add(child.id)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit([n for n in inner if isinstance(n, ast.stmt)])

    visit(tree.body)
    return bound


def free_names(source: str) -> set[str]:
    """Names a cell reads but never binds anywhere in itself: what it needs defined."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    loads, binds = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, ast.arg):
            binds.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            binds.add(node.name)
    return loads - binds


def stub(label: str, names: list[str]) -> str:
    args = ", ".join(repr(x) for x in [label, *names])
    return f"# YOUR CODE HERE\nfrom labkit import NotAnswered\nraise NotAnswered({args})"


class ClearSolutionsPerExercise(ClearSolutions):
    """ClearSolutions whose stub says which exercise is unanswered (see the module)."""

    def preprocess(self, nb, resources):
        self._stubs: dict[int, str] = {}
        label, defined_before = None, set()
        code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                label = exercise_label(cell.source) or label
            elif utils.is_solution(cell) and label:
                later = set().union(*(free_names(c.source) for j, c in code if j > i))
                answered = top_level_names(cell.source) - top_level_names(self._skeleton(cell))
                names = sorted((answered & later) - defined_before)
                self._stubs[i] = stub(label, names)
            if cell.cell_type == "code":
                defined_before |= top_level_names(cell.source)
        return super().preprocess(nb, resources)

    def _skeleton(self, cell) -> str:
        """What the release keeps of a solution cell: all but its solution region, or
        nothing when the whole cell is the solution."""
        kept, inside, region = [], False, False
        for line in cell.source.splitlines():
            if self.begin_solution_delimeter in line:
                inside = region = True
                kept.append(line[: len(line) - len(line.lstrip())] + "pass")
            elif self.end_solution_delimeter in line:
                inside = False
            elif not inside:
                kept.append(line)
        return "\n".join(kept) if region else ""

    def preprocess_cell(self, cell, resources, cell_index):
        language = resources["language"]
        default = self.code_stub
        if cell_index in self._stubs:
            self.code_stub = {**default, language: self._stubs[cell_index]}
        try:
            cell, resources = super().preprocess_cell(cell, resources, cell_index)
        finally:
            self.code_stub = default
        if cell.cell_type == "code" and (utils.is_solution(cell) or utils.is_grade(cell)):
            tags = cell.metadata.setdefault("tags", [])
            if TAG not in tags:
                tags.append(TAG)
        return cell, resources
