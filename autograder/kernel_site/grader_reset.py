"""Undo what student code hooked into the kernel, before each test cell is graded.

Imported by sitecustomize when the interpreter starts, before any student code, so the
copies of the builtins and of the shell classes' methods are the originals. The grader
calls ``start()`` once the kernel is up and ``reset(nonce)`` before each test cell,
through ``user_expressions`` (evaluated without input or AST transformers).

This is defence against hooks, not a boundary: student code shares this interpreter and
could find and disarm this module on purpose. The grader's own rules (an error reply
scores 0; a result counts only from a test's own last line) and the operating-system
sandbox do not depend on it.
"""

import builtins
import importlib
import os
import sys
import threading

_BUILTINS = dict(vars(builtins))
_STUDENT = os.environ.get("COURSE_STUDENT_ID")  # whose variant is graded (labkit)
_CLASSES: list[tuple[type, dict]] = []
_CALLBACKS: dict[str, list] = {}
# shell methods a student could shadow on the instance to run tests differently
_SHELL_METHODS = (
    "run_cell",
    "run_cell_async",
    "_run_cell",
    "run_ast_nodes",
    "run_code",
    "transform_cell",
    "transform_ast",
    "should_run_async",
    "showtraceback",
    "_showtraceback",
    "showsyntaxerror",
    "user_expressions",
)


def _snapshot_classes() -> None:
    try:
        from ipykernel.ipkernel import IPythonKernel
        from ipykernel.zmqshell import ZMQInteractiveShell
        from IPython.core.interactiveshell import InteractiveShell
    except ImportError:  # not a kernel
        return
    for cls in (InteractiveShell, ZMQInteractiveShell, IPythonKernel):
        _CLASSES.append((cls, {k: v for k, v in vars(cls).items() if callable(v)}))


def start(student=None) -> str:
    """Remember the event callbacks the kernel itself registered, and whose submission
    this kernel runs (a kernel may have booted before the grader knew)."""
    global _STUDENT
    if student is not None:
        _STUDENT = student
        os.environ["COURSE_STUDENT_ID"] = student
    shell = _shell()
    _CALLBACKS.clear()
    _CALLBACKS.update({event: list(cbs) for event, cbs in shell.events.callbacks.items()})
    return "started"


def reset(nonce: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    sys.modules["builtins"] = builtins  # the module itself, not a stand-in
    for name, value in _BUILTINS.items():
        if vars(builtins).get(name) is not value:
            setattr(builtins, name, value)
    for cls, methods in _CLASSES:
        for name, method in methods.items():
            if vars(cls).get(name) is not method:
                setattr(cls, name, method)
    shell = _shell()
    # a cell may rebind the notebook's own __builtins__: later cells would look names up there
    shell.user_ns["__builtins__"] = builtins
    for name in _SHELL_METHODS:
        shell.__dict__.pop(name, None)
    shell.input_transformer_manager = TransformerManager()
    shell.input_transformers_post = []
    shell.ast_transformers = []
    for event, callbacks in shell.events.callbacks.items():
        own = _CALLBACKS.get(event, [])
        callbacks[:] = [cb for cb in callbacks if any(cb is k for k in own)]
    _reset_plain_text(shell.display_formatter.formatters["text/plain"])
    sys.displayhook = shell.displayhook
    if _STUDENT is not None:  # tests regenerate the learner's own variant, not another's
        os.environ["COURSE_STUDENT_ID"] = _STUDENT
        if "labkit" in sys.modules:
            importlib.reload(sys.modules["labkit"])
    sys.settrace(None)
    sys.setprofile(None)
    threading.settrace(None)
    threading.setprofile(None)
    return f"reset {nonce}"


def _reset_plain_text(plain) -> None:
    """How results of built-in types are shown (a result can carry partial credit)."""
    from IPython.core.formatters import PlainTextFormatter

    defaults = PlainTextFormatter().type_printers
    for kind in (int, float, complex, bool, str, bytes, type(None), list, tuple, dict, set):
        if kind in defaults:
            plain.type_printers[kind] = defaults[kind]
        else:
            plain.type_printers.pop(kind, None)


def _shell():
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance()


_snapshot_classes()
