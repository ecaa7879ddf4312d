"""nbgrader's Execute step, with the kernel in the sandbox and the test cells guarded.

What this adds to nbgrader's own Execute preprocessor, and why:
- the kernel runs in an operating-system sandbox (kernel.py, sandbox.py);
- before each test cell the grader resets what student code may have hooked into the
  kernel (input and AST transformers, event callbacks, display and exception hooks,
  trace functions, patched builtins), through ``user_expressions``, which IPython
  evaluates without passing through any transformer; test cells are not kept in the
  kernel's history (``In``), so a later cell cannot print them;
- a test cell's outputs are put in a form in which student code cannot decide its score:
  an error reply, wherever its error landed, makes the error the first output (nbgrader
  scores a cell by its first error or result); a result counts only when the test's own
  last line is an expression;
- a cell that runs past the time limit is interrupted; one that ignores the interrupt,
  sends more output than allowed, or kills its kernel is stopped with the kernel, and
  the notebook is run again in a fresh sandbox without that cell, so every other cell
  is still graded (the outputs of cells that finished are kept from the first run);
- what was stopped, and why, is reported to the worker (``REPORTS``), never read from
  the notebook (whose outputs student code writes).
"""

from __future__ import annotations

import ast
import atexit
import copy
import json
import multiprocessing.util
import secrets
import signal
from dataclasses import dataclass

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Integer

from .kernel import SandboxedKernelManager
from .sandbox import Limits

GRADER_MARK = "autograder"  # in every error the grader writes into a notebook
MAX_STOPS = 3  # cells stopped in one notebook before the rest is given up


@dataclass
class Stop:
    """A cell the grader stopped, with the kernel."""

    index: int
    grade_id: str
    reason: str


REPORTS: list[dict] = []  # one per notebook executed in this process: {"notebook", "notes"}


class SandboxedExecute(Execute):
    limits = Dict(help="Limits fields (sandbox.Limits) to override").tag(config=True)
    grace = Integer(5, help="seconds a cell has to stop after an interrupt").tag(config=True)
    warm_kernel = Bool(True, help="boot the next notebook's kernel ahead").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        # the sandbox is thrown away with everything in it: killing the kernel loses
        # nothing, and a graceful shutdown costs about a second a notebook
        kwargs.setdefault("shutdown_kernel", "immediate")
        super().__init__(*args, **kwargs)
        self.iopub_timeout = self.grace

    def create_kernel_manager(self):
        """The kernel that booted ahead while the previous notebook ran, if it has the
        same limits; otherwise a new one."""
        self.km = SPARE.take(self._spare_key()) or self._new_kernel_manager()
        return self.km

    def _new_kernel_manager(self):
        current = self.km
        km = super().create_kernel_manager()  # which also makes it self.km
        self.km = current
        km.limits = self._limits
        return km

    def _spare_key(self) -> tuple:
        name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name", "")
        return (name, self._limits, self.kernel_manager_class)

    def _boot_spare(self) -> None:
        """Start the next notebook's kernel now: it boots (and loads the labs' modules)
        on another CPU while this notebook's cells run. It knows no student yet;
        ``start(student)`` tells it, before any code of that student runs."""
        if not self.warm_kernel or SPARE.km is not None:
            return
        km = self._new_kernel_manager()
        try:
            run_sync(km.start_kernel)(extra_arguments=self.extra_arguments)
        except Exception as err:  # noqa: BLE001 - the next notebook starts its own kernel
            self.log.warning("could not boot a kernel ahead: %s", err)
            _discard(km)
            return
        SPARE.put(km, self._spare_key())

    # ---------------------------------------------------------------- the notebook
    def preprocess(self, nb: NotebookNode, resources=None, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._limits = Limits(**self.limits)
        self._notes: list[str] = []
        self._notebook_output = 0
        stops: list[Stop] = []
        start: int | None = 0
        while start is not None:
            start = self._run_from(start, stops, resources)
        self.set_widgets_metadata()
        name = (resources or {}).get("nbgrader", {}).get("notebook", "")
        REPORTS.append({"notebook": name, "notes": self._notes})
        return self.nb, self.resources

    def _run_from(self, start: int, stops: list[Stop], resources) -> int | None:
        """Run cells from ``start`` in a fresh kernel, after replaying the earlier cells
        that finished. Returns where to resume after a stopped cell, or None when done."""
        skipped = {s.index for s in stops}
        kept = {i: copy.deepcopy(c) for i, c in enumerate(self.nb.cells) if i < start}
        self._stop_reason = ""
        with self.setup_kernel():
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            # whose submission this is: labs generate that learner's variant (labkit)
            student = (resources or {}).get("nbgrader", {}).get("student")
            self._call_kernel_site(f"start({student!r})", None)
            self._boot_spare()
            index = 0
            try:
                for index in range(len(self.nb.cells)):
                    if index in skipped:
                        continue
                    self._cell_output = 0
                    self.preprocess_cell(self.nb.cells[index], resources, index)
                    if index < start:  # a replay: the first run's outputs are the ones graded
                        self.nb.cells[index] = kept[index]
            except (CellTimeoutError, DeadKernelError) as stop:
                reason = self._reason(stop)  # while the kernel's exit status is known
            else:
                return None
        for i, cell in kept.items():
            self.nb.cells[i] = cell
        return self._record_stop(index, reason, stops)

    def _reason(self, stop: Exception) -> str:
        if self._stop_reason:
            return self._stop_reason
        if isinstance(stop, CellTimeoutError):
            return (
                f"it ran past the per-cell time limit ({self.timeout} s) and ignored the "
                "interrupt, so its kernel was stopped"
            )
        if self._exit_code() == 128 + signal.SIGXCPU:
            return f"the kernel died: it reached {self._limits.describe('cpu_seconds')}"
        return (
            "the kernel died while running it (for example os._exit, a crash, or "
            f"{self._limits.describe('memory')})"
        )

    def _exit_code(self) -> int | None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return process.poll() if process is not None else None

    def _record_stop(self, index: int, reason: str, stops: list[Stop]) -> int | None:
        cell = self.nb.cells[index]
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {index + 1}")
        stops.append(Stop(index, gid, reason))
        self._notes.append(f"{gid}: stopped by the grader: {reason}")
        cell.outputs = [_error("CellStopped", f"{GRADER_MARK}: this cell was stopped: {reason}")]
        if len(stops) < MAX_STOPS and index + 1 < len(self.nb.cells):
            return index + 1
        if len(stops) >= MAX_STOPS:
            for later in self.nb.cells[index + 1 :]:
                if later.cell_type == "code":
                    later.outputs = [
                        _error("NotRun", f"{GRADER_MARK}: not run: {MAX_STOPS} cells were stopped")
                    ]
            self._notes.append(f"grading gave up after {MAX_STOPS} stopped cells")
        return None

    def _stop_kernel(self, reason: str) -> None:
        """Kill the sandbox now: the cell's poll notices the dead kernel within a second."""
        if not self._stop_reason:
            self._stop_reason = reason
            process = getattr(getattr(self.km, "provisioner", None), "process", None)
            if process is not None and process.poll() is None:
                process.kill()

    # ---------------------------------------------------------------- one cell
    def preprocess_cell(self, cell, resources, index):
        self._check_assign_resources(resources)
        test = _is_test(cell) and cell.cell_type == "code" and bool(cell.source.strip())
        self._tampered = False
        if test:
            nonce = secrets.token_hex(8)
            if self._call_kernel_site(f"reset({nonce!r})", cell) != f"reset {nonce}":
                gid = cell.metadata["nbgrader"].get("grade_id", "a test")
                self._notes.append(
                    f"{gid}: the kernel did not let the grader reset it before this test "
                    "(the notebook changed the kernel's machinery); the test scores 0"
                )
                self._tampered = True
        # test cells stay out of the kernel's history: no later cell can print them
        cell = self.execute_cell(cell, index, store_history=not test)
        return cell, self.resources

    def _call_kernel_site(self, call: str, cell) -> str:
        """Evaluate grader_reset.<call> as a user expression; its text, or ''."""
        msg_id = self.kc.execute(
            "",
            silent=True,
            store_history=False,
            user_expressions={"r": f"__import__('grader_reset').{call}"},
        )
        reply = self.wait_for_reply(msg_id, cell)
        if not reply or reply["content"].get("status") != "ok":
            return ""
        data = reply["content"].get("user_expressions", {}).get("r", {}).get("data", {})
        return str(data.get("text/plain", "")).strip("'\"")

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)  # nbgrader: an error reply becomes an output
        cell, reply = kwargs["cell"], kwargs["execute_reply"]
        content = reply["content"]
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "a cell")
        if content.get("ename") == self.error_on_timeout.get(
            "ename"
        ):  # nbclient's, not the kernel's
            self._notes.append(f"{gid}: stopped after the per-cell time limit ({self.timeout} s)")
        if _is_test(cell) and cell.cell_type == "code":
            cell.outputs = _score_outputs(cell, content["status"] != "ok" or self._tampered)

    # ---------------------------------------------------------------- output limits
    def output(self, outs, msg, display_id, cell_index):
        if self._stop_reason:
            return None
        size = len(json.dumps(msg.get("content", {}), default=str))
        self._cell_output += size
        self._notebook_output += size
        if self._cell_output > self._limits.output_per_cell:
            self._stop_kernel(f"it sent more than {self._limits.describe('output_per_cell')}")
            return None
        if self._notebook_output > self._limits.output_per_notebook:
            self._stop_kernel(
                f"the notebook sent more than {self._limits.describe('output_per_notebook')}"
            )
            return None
        return super().output(outs, msg, display_id, cell_index)


class _Spare:
    """At most one kernel per process, booted ahead of the notebook that will use it."""

    def __init__(self):
        self.km = None
        self.key: tuple | None = None
        self._registered = False

    def put(self, km, key: tuple) -> None:
        self.km, self.key = km, key
        if not self._registered:  # a pool's worker process skips atexit: both are needed
            self._registered = True
            atexit.register(self.discard)
            multiprocessing.util.Finalize(None, self.discard, exitpriority=10)

    def take(self, key: tuple):
        km, self.km = self.km, None
        if km is None:
            return None
        if key == self.key and km.has_kernel and run_sync(km.is_alive)():
            return km
        _discard(km)
        return None

    def discard(self) -> None:
        km, self.km = self.km, None
        if km is not None:
            _discard(km)


SPARE = _Spare()


def _discard(km) -> None:
    """Kill a kernel nobody uses and remove its sandbox."""
    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
        else:
            run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001 - at exit, or a kernel already gone
        sandbox = getattr(km, "sandbox", None)
        if sandbox is not None:
            sandbox.remove()


def _is_test(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def _error(name: str, value: str) -> NotebookNode:
    return NotebookNode(
        output_type="error", ename=name, evalue=value, traceback=[f"{name}: {value}"]
    )


def _score_outputs(cell: NotebookNode, failed: bool) -> list:
    """The outputs nbgrader will score: it takes the first error (0 points) or the first
    result (partial credit). Student code may have put either anywhere."""
    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
    rest = [o for o in cell.outputs if o.get("output_type") not in ("error", "execute_result")]
    if failed:
        return (errors or [_error("TestFailed", f"{GRADER_MARK}: the test did not pass")]) + rest
    results = [o for o in cell.outputs if o.get("output_type") == "execute_result"]
    if results and _ends_with_expression(cell.source):
        return [results[-1], *rest]
    return rest


def _ends_with_expression(source: str) -> bool:
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and isinstance(body[-1], ast.Expr)
