"""Make a submitted notebook gradable without losing what the learner wrote.

nbgrader itself restores edited locked and test cells from the source. What it cannot
take is a notebook whose nbgrader cells were deleted, duplicated or shuffled: here those
are put back in the source's order (deleted test cells restored, deleted answers left
unanswered), and every change is reported so it can be flagged.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

import nbformat
from nbformat import NotebookNode


class NotGradable(ValueError):
    pass


@dataclass
class Repaired:
    notebook: NotebookNode
    notes: list[str] = field(default_factory=list)


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def read_submission(raw: bytes, name: str) -> NotebookNode:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise NotGradable(f"{name} is not a text file (not UTF-8): {err.reason}") from err
    except json.JSONDecodeError as err:
        raise NotGradable(
            f"{name} is not a valid notebook: broken JSON at line {err.lineno}, "
            f"column {err.colno} ({err.msg})"
        ) from err
    if not isinstance(data, dict) or "cells" not in data:
        raise NotGradable(f"{name} is JSON but not a notebook (it has no cells)")
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as err:  # noqa: BLE001 - nbformat raises many kinds
        raise NotGradable(f"{name} is not a readable notebook: {err}") from err
    return nb


def repair(
    submitted: NotebookNode,
    source: NotebookNode,
    release: NotebookNode,
    max_cells: int | None = None,
) -> Repaired:
    """Return a notebook in the source's cell order with every nbgrader cell present once,
    each with the type and nbgrader metadata the assignment gave it."""
    notes: list[str] = []
    source_ids = [_grade_id(c) for c in source.cells if _grade_id(c)]
    release_cells = {_grade_id(c): c for c in release.cells if _grade_id(c)}

    # group the learner's cells: each nbgrader cell, followed by their own free cells
    by_id: dict[str, list[NotebookNode]] = {}
    trailing: dict[str | None, list[NotebookNode]] = {None: []}
    order_seen: list[str] = []
    current: str | None = None
    for cell in submitted.cells:
        gid = _grade_id(cell)
        if gid in release_cells:
            by_id.setdefault(gid, []).append(cell)
            order_seen.append(gid)
            current = gid
            trailing.setdefault(gid, [])
        else:
            trailing.setdefault(current, []).append(cell)

    duplicated = sorted(gid for gid, cells in by_id.items() if len(cells) > 1)
    if duplicated:
        notes.append(f"duplicated cells {duplicated} were graded once")
    missing = [gid for gid in source_ids if gid not in by_id]
    answers = {gid for gid, c in release_cells.items() if c.metadata["nbgrader"].get("solution")}
    if [g for g in missing if g not in answers]:
        notes.append(f"deleted cells {[g for g in missing if g not in answers]} were put back")
    if [g for g in missing if g in answers]:
        notes.append(f"deleted answer cells {[g for g in missing if g in answers]}: unanswered")
    seen_once = list(dict.fromkeys(order_seen))
    if [g for g in seen_once if g in source_ids] != [g for g in source_ids if g in by_id]:
        notes.append("cells were moved; they were graded in the assignment's order")

    cells: list[NotebookNode] = list(trailing[None])
    for gid in source_ids:
        kept = by_id.get(gid)
        cell = _pick(kept, release_cells[gid]) if kept else copy.deepcopy(release_cells[gid])
        cells.append(cell)
        cells += trailing.get(gid, [])
    cells, restored = _restore_metadata(cells, release_cells)
    if restored:
        notes.append(f"edited cell metadata {restored} was restored")
    if max_cells is not None and len(cells) > max_cells:
        cells = _within(cells, max_cells)
        notes.append(
            f"the notebook has more than {max_cells:,} cells: only the assignment's cells "
            "and your first ones were graded"
        )
    fixed = copy.deepcopy(submitted)
    fixed.cells = cells
    for i, cell in enumerate(fixed.cells):  # unique ids, as nbformat 4.5 requires
        cell["id"] = _grade_id(cell) or f"learner-{i}"
    fixed.metadata = copy.deepcopy(source.metadata)
    return Repaired(fixed, notes)


def _restore_metadata(
    cells: list[NotebookNode], release_cells: dict[str, NotebookNode]
) -> tuple[list[NotebookNode], list[str]]:
    """The assignment's cells get back their type and nbgrader metadata (grade flag,
    points, ids, checksums); any other cell claiming nbgrader metadata loses it."""
    restored: list[str] = []
    out: list[NotebookNode] = []
    for cell in cells:
        gid = _grade_id(cell)
        meta = cell.get("metadata", {})
        if gid in release_cells:
            released = release_cells[gid]
            if (
                cell.cell_type != released.cell_type
                or meta.get("nbgrader") != released.metadata["nbgrader"]
            ):
                restored.append(gid)
                cell = _as_type(cell, released.cell_type)
                cell.metadata["nbgrader"] = copy.deepcopy(released.metadata["nbgrader"])
        elif "nbgrader" in meta:
            cell = copy.deepcopy(cell)
            del cell.metadata["nbgrader"]
            restored.append(gid or "a cell of yours")
        out.append(cell)
    return out, sorted(set(restored))


def _as_type(cell: NotebookNode, cell_type: str) -> NotebookNode:
    metadata = copy.deepcopy(cell.get("metadata", {}))
    if cell_type == "code":
        return nbformat.v4.new_code_cell(cell.source, metadata=metadata)
    if cell_type == "markdown":
        return nbformat.v4.new_markdown_cell(cell.source, metadata=metadata)
    return nbformat.v4.new_raw_cell(cell.source, metadata=metadata)


def _within(cells: list[NotebookNode], limit: int) -> list[NotebookNode]:
    """Keep every assignment cell and as many of the learner's own cells, in order, as
    fit under the limit."""
    room = max(0, limit - sum(1 for c in cells if _grade_id(c)))
    kept = []
    for cell in cells:
        if _grade_id(cell):
            kept.append(cell)
        elif room:
            kept.append(cell)
            room -= 1
    return kept


def _pick(copies: list[NotebookNode], released: NotebookNode) -> NotebookNode:
    """Of several copies of one cell, the learner's answer: the last one they changed."""
    changed = [c for c in copies if c.source != released.source]
    return copy.deepcopy((changed or copies)[-1])


def locked_cells_edited(submitted: NotebookNode, release: NotebookNode) -> list[str]:
    """Read-only cells whose text the learner changed (nbgrader restores them)."""
    released = {
        _grade_id(c): c.source
        for c in release.cells
        if _grade_id(c) and c.metadata["nbgrader"].get("locked")
    }
    return sorted(
        {
            _grade_id(c)
            for c in submitted.cells
            if _grade_id(c) in released and c.source != released[_grade_id(c)]
        }
    )
